"""The whatsapp adapter (not built yet)."""

from __future__ import annotations

from fastapi import APIRouter


def router() -> APIRouter:
    """The whatsapp routes."""
    return APIRouter()
