"""Listening: the tenant's monitoring rules decide which unaddressed public posts become conversations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter
from sqlmodel.ext.asyncio.session import AsyncSession

from services.ingest.channels.base import Inbound


@dataclass(frozen=True)
class Match:
    """The monitoring rules a post matched."""

    rules: tuple[str, ...]
    lead: bool = False


async def match_all(session: AsyncSession, tenant_id: str, items: Sequence[Inbound]) -> list[Match | None]:
    """For each unaddressed post, the rules it matched, or None when none did (it is not taken)."""
    return [None for _ in items]


def router() -> APIRouter:
    """The routes of monitoring rules."""
    return APIRouter()
