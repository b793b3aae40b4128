"""The email adapter (not built yet)."""

from __future__ import annotations

from fastapi import APIRouter

from services.kit.runtime import Runtime


def router() -> APIRouter:
    """The email routes."""
    return APIRouter()


async def start(rt: Runtime) -> None:
    """Start this channel's background work."""


async def stop(rt: Runtime) -> None:
    """Stop this channel's background work."""
