"""Reporting's part of a customer's erasure: who wrote the message facts and what they said.

Every fact and rollup stays, so the reports count what they counted before; the facts of the
customer's messages lose the author, the text preview and the conversation key (each key becomes a
fresh placeholder of its own, so conversations are still told apart), and survey answers of their
conversations lose their comment.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import and_, or_, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import customers_pb2

from services.kit.ids import new_id
from services.kit.uow import UnitOfWork
from services.reporting.models import MessageFact, SurveyAnswer

ERASED = "erased"


class ErasureRepository:
    """The statements of an erasure at reporting."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def clear_facts(
        self, tenant_id: str, *, keys: Collection[str], authors: Collection[tuple[str, str]]
    ) -> None:
        """Forget the author, preview and conversation key of the facts of these conversation keys
        or of these (channel, author id) pairs."""
        by_author = [
            and_(col(MessageFact.channel) == channel, col(MessageFact.author_id) == author)
            for channel, author in authors
        ]
        query = select(col(MessageFact.conversation_key)).where(
            col(MessageFact.tenant_id) == tenant_id,
            or_(col(MessageFact.conversation_key).in_(keys), *by_author),
        )
        conn = await self.session.connection()
        found = set((await conn.execute(query)).scalars().all())
        for key in found:
            await conn.execute(
                update(MessageFact)
                .where(
                    col(MessageFact.tenant_id) == tenant_id,
                    col(MessageFact.conversation_key) == key,
                    or_(col(MessageFact.conversation_key).in_(keys), *by_author),
                )
                .values(author_id="", author_handle="", preview="", conversation_key=f"{ERASED}:{new_id()}")
            )

    async def clear_comments(self, tenant_id: str, conversation_ids: Collection[str]) -> None:
        """Remove the comments of the survey answers about these conversations."""
        conn = await self.session.connection()
        await conn.execute(
            update(SurveyAnswer)
            .where(
                col(SurveyAnswer.tenant_id) == tenant_id,
                col(SurveyAnswer.conversation_id).in_(conversation_ids),
            )
            .values(comment="")
        )


async def erase(uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Erase what reporting keeps of an erased customer, leaving every count as it was."""
    repo = ErasureRepository(uow.session)
    keys = set(event.conversation_keys) | {f"{i.channel}:{i.external_id}" for i in event.identities}
    authors = {(i.channel, i.external_id) for i in event.identities}
    await repo.clear_facts(event.tenant_id, keys=keys, authors=authors)
    if event.conversation_ids:
        await repo.clear_comments(event.tenant_id, list(event.conversation_ids))
