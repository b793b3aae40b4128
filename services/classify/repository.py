"""Every query of classify."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.classify.models import MessageClassification


class ClassificationRepository:
    """Stored classifications."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, message_id: str) -> MessageClassification | None:
        """The classification of a message, if it has one."""
        return await self.session.get(MessageClassification, message_id)

    def add(self, row: MessageClassification) -> None:
        """Store a classification."""
        self.session.add(row)
