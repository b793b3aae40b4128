"""Every query of reply."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reply.models import ConversationView, Reply


class ConversationViewRepository:
    """What reply knows of conversations."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, conversation_id: str) -> ConversationView | None:
        """A conversation by id, whichever tenant."""
        return await self.session.get(ConversationView, conversation_id)

    async def get_for(self, tenant_id: str, conversation_id: str) -> ConversationView | None:
        """A conversation of one tenant."""
        view = await self.get(conversation_id)
        return view if view is not None and view.tenant_id == tenant_id else None

    def save(self, view: ConversationView) -> None:
        """Store a new or changed view."""
        self.session.add(view)


class ReplyRepository:
    """Replies of every tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, reply: Reply) -> None:
        """Store a reply."""
        self.session.add(reply)

    async def for_conversation(self, tenant_id: str, conversation_id: str) -> Sequence[Reply]:
        """A conversation's replies, oldest first."""
        query = (
            select(Reply)
            .where(Reply.tenant_id == tenant_id, Reply.conversation_id == conversation_id)
            .order_by(col(Reply.id))
        )
        return (await self.session.exec(query)).all()
