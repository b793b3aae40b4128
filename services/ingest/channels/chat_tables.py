"""The live chat's tables and every query on them: visitor sessions and the agent replies they receive."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint, update
from sqlmodel import Field, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.ingest.models import Base
from services.kit.db import UtcDateTime


class ChatSession(Base, table=True):
    """A visitor's conversation with a chat widget; its id is the customer's id on the channel."""

    __tablename__ = "chat_sessions"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    channel_account_id: str = Field(max_length=64)
    # What the visitor typed into the widget: shown to agents, never verified.
    visitor_name: str = Field(default="", max_length=256)
    visitor_email: str = Field(default="", max_length=256)
    # The seq of the session's latest reply. Incrementing it takes the row's lock, so the replies of
    # one session are numbered without gaps and commit in the order of their numbers.
    reply_seq: int = 0
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class ChatReply(Base, table=True):
    """An agent reply for a chat session, kept so a widget that reconnects receives what it missed."""

    __tablename__ = "chat_replies"
    __table_args__ = (UniqueConstraint("session_id", "seq", name="uq_chat_replies_session_seq"),)

    reply_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    session_id: str = Field(max_length=64)
    seq: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    sent_at: datetime = Field(sa_type=UtcDateTime)


class ChatRepository:
    """Chat sessions and their replies."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, session_id: str) -> ChatSession | None:
        """One chat session."""
        return await self.session.get(ChatSession, session_id)

    def save(self, row: ChatSession) -> None:
        """Add or change a chat session."""
        self.session.add(row)

    async def has_reply(self, reply_id: str) -> bool:
        """Whether this reply is stored already."""
        return await self.session.get(ChatReply, reply_id) is not None

    async def next_seq(self, *, tenant_id: str, session_id: str) -> int | None:
        """Take the session's next reply number (locking its row until commit); None: no such session."""
        table = ChatSession.__table__  # type: ignore[attr-defined]
        statement = (
            update(table)
            .where(table.c.id == session_id, table.c.tenant_id == tenant_id)
            .values(reply_seq=table.c.reply_seq + 1)
            .returning(table.c.reply_seq)
        )
        conn = await self.session.connection()
        found = (await conn.execute(statement)).first()
        return int(found.reply_seq) if found is not None else None

    def add_reply(self, row: ChatReply) -> None:
        """Store a reply."""
        self.session.add(row)

    async def replies_after(self, session_id: str, after: int, *, limit: int) -> list[ChatReply]:
        """The session's replies numbered above `after`, in order."""
        query = (
            select(ChatReply)
            .where(ChatReply.session_id == session_id, col(ChatReply.seq) > after)
            .order_by(col(ChatReply.seq))
            .limit(limit)
        )
        return list(await self.session.exec(query))

    async def latest_seqs(self, session_ids: Sequence[str]) -> dict[str, int]:
        """The latest reply number of each of these sessions."""
        query = select(ChatSession.id, ChatSession.reply_seq).where(col(ChatSession.id).in_(session_ids))
        return {row[0]: row[1] for row in await self.session.exec(query)}
