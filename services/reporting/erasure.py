"""Reporting's part of a customer's export and erasure: who wrote the message facts and what they said.

The export holds the facts of the customer's messages and the survey answers about their
conversations.

Every fact and rollup stays, so the reports count what they counted before; the facts of the
customer's messages lose the author, the text preview and the conversation key (each key becomes a
fresh placeholder of its own, so conversations are still told apart), and survey answers of their
conversations lose their comment.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlmodel import col
from sqlmodel import select as select_rows
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import customers_pb2

from services.kit.exports import emit_part, records
from services.kit.ids import new_id
from services.kit.uow import UnitOfWork
from services.reporting.models import MessageFact, SurveyAnswer

ERASED = "erased"


def _of(keys: Collection[str], authors: Collection[tuple[str, str]]) -> ColumnElement[bool]:
    """Facts of these conversation keys or of these (channel, author id) pairs."""
    by_author = [
        and_(col(MessageFact.channel) == channel, col(MessageFact.author_id) == author)
        for channel, author in authors
    ]
    return or_(col(MessageFact.conversation_key).in_(keys), *by_author)


class ErasureRepository:
    """The statements of an erasure at reporting."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def facts(
        self, tenant_id: str, *, keys: Collection[str], authors: Collection[tuple[str, str]]
    ) -> Sequence[MessageFact]:
        """The facts of these conversation keys or of these (channel, author id) pairs."""
        query = select_rows(MessageFact).where(col(MessageFact.tenant_id) == tenant_id, _of(keys, authors))
        return (await self.session.exec(query)).all()

    async def surveys(self, tenant_id: str, conversation_ids: Collection[str]) -> Sequence[SurveyAnswer]:
        """The survey answers about these conversations."""
        query = select_rows(SurveyAnswer).where(
            col(SurveyAnswer.tenant_id) == tenant_id, col(SurveyAnswer.conversation_id).in_(conversation_ids)
        )
        return (await self.session.exec(query)).all()

    async def clear_facts(
        self, tenant_id: str, *, keys: Collection[str], authors: Collection[tuple[str, str]]
    ) -> None:
        """Forget the author, preview and conversation key of the facts of these conversation keys
        or of these (channel, author id) pairs."""
        query = select(col(MessageFact.conversation_key)).where(
            col(MessageFact.tenant_id) == tenant_id, _of(keys, authors)
        )
        conn = await self.session.connection()
        found = set((await conn.execute(query)).scalars().all())
        for key in found:
            await conn.execute(
                update(MessageFact)
                .where(
                    col(MessageFact.tenant_id) == tenant_id,
                    col(MessageFact.conversation_key) == key,
                    _of(keys, authors),
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


def _keys_and_authors(
    event: customers_pb2.CustomerErased | customers_pb2.CustomerExportRequested,
) -> tuple[set[str], set[tuple[str, str]]]:
    keys = set(event.conversation_keys) | {f"{i.channel}:{i.external_id}" for i in event.identities}
    return keys, {(i.channel, i.external_id) for i in event.identities}


async def export(uow: UnitOfWork, event: customers_pb2.CustomerExportRequested) -> None:
    """Answer an export request with what reporting keeps of the customer."""
    repo = ErasureRepository(uow.session)
    keys, authors = _keys_and_authors(event)
    conversations = list(event.conversation_ids)
    document = {
        "message_facts": records(await repo.facts(event.tenant_id, keys=keys, authors=authors)),
        "survey_answers": records(await repo.surveys(event.tenant_id, conversations))
        if conversations
        else [],
    }
    emit_part(uow, event, service="reporting", document=document)


async def erase(uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Erase what reporting keeps of an erased customer, leaving every count as it was."""
    repo = ErasureRepository(uow.session)
    keys, authors = _keys_and_authors(event)
    await repo.clear_facts(event.tenant_id, keys=keys, authors=authors)
    if event.conversation_ids:
        await repo.clear_comments(event.tenant_id, list(event.conversation_ids))
