"""Classify's HTTP routes (none yet beyond the kernel's)."""

from __future__ import annotations

from fastapi import APIRouter


def router() -> APIRouter:
    """The routes classify owns."""
    return APIRouter(prefix="/v1", tags=["classify"])
