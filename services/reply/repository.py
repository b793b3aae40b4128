"""Every query of reply."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, bindparam, insert, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.db import any_of
from services.reply.models import ConversationView, Reply, ReplyPolicy, ReplyStatus

REPLIES = Reply.__table__  # type: ignore[attr-defined]
VIEWS = ConversationView.__table__  # type: ignore[attr-defined]
REPLY_COLUMNS = tuple(column.name for column in REPLIES.columns)
INSERT_REPLY = insert(REPLIES)  # the values come with each execution: compiled once
VIEWS_WITH_POLICY = select(ConversationView, ReplyPolicy).outerjoin(
    ReplyPolicy, col(ReplyPolicy.tenant_id) == col(ConversationView.tenant_id)
)
VIEW_WITH_POLICY = VIEWS_WITH_POLICY.where(
    col(ConversationView.id) == bindparam("conversation_id"),
    col(ConversationView.tenant_id) == bindparam("tenant_id"),
)


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

    async def with_policy(
        self, tenant_id: str, conversation_id: str
    ) -> tuple[ConversationView | None, ReplyPolicy | None]:
        """A conversation of one tenant, and the tenant's reply policy if it set one, in one query."""
        params = {"conversation_id": conversation_id, "tenant_id": tenant_id}
        found = (await self.session.exec(VIEW_WITH_POLICY, params=params)).first()
        return (found[0], found[1]) if found is not None else (None, None)

    async def with_policies(
        self, conversation_ids: Sequence[str]
    ) -> dict[str, tuple[ConversationView, ReplyPolicy | None]]:
        """Conversations by id, whichever tenant, each with its tenant's reply policy if it set one,
        in one query."""
        conn = await self.session.connection()
        query = VIEWS_WITH_POLICY.where(any_of(VIEWS.c.id, set(conversation_ids), conn.dialect))
        return {view.id: (view, policy) for view, policy in (await self.session.exec(query)).all()}

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

    async def insert(self, replies: Sequence[Reply]) -> None:
        """Store new replies at once, in one round trip (the objects stay outside the session)."""
        if not replies:
            return
        conn = await self.session.connection()
        await conn.execute(
            INSERT_REPLY, [{name: getattr(reply, name) for name in REPLY_COLUMNS} for reply in replies]
        )

    async def for_conversation(self, tenant_id: str, conversation_id: str) -> Sequence[Reply]:
        """A conversation's replies, oldest first."""
        query = (
            select(Reply)
            .where(Reply.tenant_id == tenant_id, Reply.conversation_id == conversation_id)
            .order_by(col(Reply.id))
        )
        return (await self.session.exec(query)).all()

    async def get(self, reply_id: str, *, for_update: bool = False) -> Reply | None:
        """A reply by id, whichever tenant."""
        query = select(Reply).where(Reply.id == reply_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.exec(query)).first()

    async def by_idempotency_key(self, tenant_id: str, key: str) -> Reply | None:
        """The tenant's reply accepted with this idempotency key, if any."""
        query = select(Reply).where(Reply.tenant_id == tenant_id, Reply.idempotency_key == key)
        return (await self.session.exec(query)).first()

    async def by_external_id(self, tenant_id: str, channel: str, external_id: str) -> Reply | None:
        """The tenant's reply the channel knows by this id, locked."""
        query = select(Reply).where(
            Reply.tenant_id == tenant_id, Reply.channel == channel, Reply.external_id == external_id
        )
        return (await self.session.exec(query.with_for_update())).first()

    async def with_status(self, tenant_id: str, status: str, *, limit: int) -> Sequence[Reply]:
        """A tenant's replies in one status, oldest first."""
        query = (
            select(Reply)
            .where(Reply.tenant_id == tenant_id, Reply.status == status)
            .order_by(col(Reply.created_at), col(Reply.id))
            .limit(limit)
        )
        return (await self.session.exec(query)).all()

    async def due_for_update(self, *, at: datetime, limit: int) -> Sequence[Reply]:
        """Replies to send now, locked (others' locks skipped): queued ones whose next try is due, and
        ones whose sender's lease ran out."""
        query = (
            select(Reply)
            .where(
                or_(
                    and_(col(Reply.status) == ReplyStatus.queued.value, col(Reply.next_attempt_at) <= at),
                    and_(col(Reply.status) == ReplyStatus.sending.value, col(Reply.lease_until) <= at),
                )
            )
            .order_by(col(Reply.next_attempt_at))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.exec(query)).all()
