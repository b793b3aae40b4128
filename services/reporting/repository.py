"""Every query of reporting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.models import ConversationFact, MessageFact


class FactRepository:
    """The read models."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def message(self, message_id: str) -> MessageFact | None:
        """A message fact."""
        return await self.session.get(MessageFact, message_id)

    async def conversation(self, tenant_id: str, conversation_id: str) -> ConversationFact:
        """A conversation fact, new if none exists yet."""
        found = await self.session.get(ConversationFact, conversation_id)
        return found or ConversationFact(conversation_id=conversation_id, tenant_id=tenant_id)

    def save(self, fact: MessageFact | ConversationFact) -> None:
        """Store a new or changed fact."""
        self.session.add(fact)

    async def count_messages(self, tenant_id: str, since: datetime | None, until: datetime | None) -> int:
        """Messages received in the period."""
        query = select(func.count()).select_from(MessageFact).where(MessageFact.tenant_id == tenant_id)
        if since:
            query = query.where(MessageFact.received_at >= since)
        if until:
            query = query.where(MessageFact.received_at < until)
        return int((await self.session.exec(query)).one())

    async def conversations(
        self, tenant_id: str, since: datetime | None, until: datetime | None
    ) -> Sequence[tuple[datetime, datetime | None, datetime | None]]:
        """(opened, first response, resolved) of the conversations opened in the period."""
        query = select(
            ConversationFact.opened_at, ConversationFact.first_response_at, ConversationFact.resolved_at
        ).where(ConversationFact.tenant_id == tenant_id, col(ConversationFact.opened_at).is_not(None))
        if since:
            query = query.where(col(ConversationFact.opened_at) >= since)
        if until:
            query = query.where(col(ConversationFact.opened_at) < until)
        rows = (await self.session.exec(query)).all()
        return [(opened, first, resolved) for opened, first, resolved in rows if opened is not None]
