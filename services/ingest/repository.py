"""Every query of ingest."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.ingest.models import InboundMessage


class MessageRepository:
    """Accepted channel messages."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, *, tenant_id: str, channel: str, external_id: str) -> InboundMessage | None:
        """The accepted message with this channel id, if any."""
        query = select(InboundMessage).where(
            InboundMessage.tenant_id == tenant_id,
            InboundMessage.channel == channel,
            InboundMessage.external_id == external_id,
        )
        return (await self.session.exec(query)).first()

    def add(self, message: InboundMessage) -> None:
        """Store a new message."""
        self.session.add(message)
