"""Reporting's part of a customer's export and erasure: who wrote the message facts and what they said.

The export holds the facts of the customer's messages and the survey answers about their
conversations.

The erasure also leaves digests of the customer's conversation keys and authors (ErasedSubject), so
that a message fact folded of them later, when the read models are rebuilt from the topics or an
event was still under way, is kept without the author, the text and the key as well (`forget`).

Every fact and rollup stays, so the reports count what they counted before; the facts of the
customer's messages lose the author, the text preview and the conversation key (each key becomes a
placeholder of its own, so conversations are still told apart), and survey answers of their
conversations lose their comment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import ColumnElement, and_, or_, select, text, update
from sqlmodel import col
from sqlmodel import select as select_rows
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import customers_pb2

from services.kit.events import now
from services.kit.exports import emit_part, records
from services.kit.uow import UnitOfWork
from services.reporting.models import ErasedSubject, MessageFact, SurveyAnswer

ERASED = "erased"


def _lock_key(tenant_id: str) -> int:
    return int.from_bytes(
        hashlib.sha256(f"reporting-erasure:{tenant_id}".encode()).digest()[:8], "big", signed=True
    )


async def _advisory(session: AsyncSession, function: str, tenant_ids: Collection[str]) -> None:
    bind = session.bind
    if bind is None or bind.dialect.name != "postgresql":  # SQLite writes one transaction at a time
        return
    conn = await session.connection()
    for key in sorted({_lock_key(t) for t in tenant_ids}):
        await conn.execute(text(f"SELECT {function}(:key)"), {"key": key})


async def fold_guard(session: AsyncSession, tenant_ids: Collection[str]) -> None:
    """Let no erasure of these tenants run while this transaction folds (and see the digests of
    those that committed before)."""
    await _advisory(session, "pg_advisory_xact_lock_shared", tenant_ids)


def digest(tenant_id: str, kind: str, value: str) -> str:
    """The digest an erased subject is remembered by: kind "key" (a conversation key) or "author"
    ("channel:author id")."""
    return hashlib.sha256(f"{tenant_id}\x00{kind}\x00{value}".encode()).hexdigest()


def subject_digests(tenant_id: str, channel: str, conversation_key: str, author_id: str) -> tuple[str, str]:
    """The digests of a message's conversation key and author (as message facts keep them)."""
    return (
        digest(tenant_id, "key", conversation_key[:512]),
        digest(tenant_id, "author", f"{channel}:{author_id[:256]}"),
    )


def placeholder(tenant_id: str, conversation_key: str) -> str:
    """What an erased conversation key becomes: the same for every fact of the conversation, and
    again when the facts are folded anew, and naming nobody."""
    return f"{ERASED}:{digest(tenant_id, 'key', conversation_key[:512])[:24]}"


def forget(fact: MessageFact, erased: Iterable[str]) -> None:
    """Blank what names the customer in a fact of an erased subject (one of the `erased` digests)."""
    key, author = subject_digests(fact.tenant_id, fact.channel, fact.conversation_key, fact.author_id)
    if key in erased or author in erased:
        fact.author_id = ""
        fact.author_handle = ""
        fact.preview = ""
        fact.conversation_key = placeholder(fact.tenant_id, fact.conversation_key)


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
        or of these (channel, author id) pairs.

        The facts are locked first, in the order folding locks them (by message id), and then
        changed by message id: an UPDATE by another column would lock them in the order it finds
        them, and deadlock with a batch folding the same messages."""
        query = (
            select(col(MessageFact.message_id), col(MessageFact.conversation_key))
            .where(col(MessageFact.tenant_id) == tenant_id, _of(keys, authors))
            .order_by(col(MessageFact.message_id))
            .with_for_update()
        )
        conn = await self.session.connection()
        by_key: dict[str, list[str]] = {}
        for message_id, key in (await conn.execute(query)).all():
            by_key.setdefault(key, []).append(message_id)
        for key, message_ids in by_key.items():
            for start in range(0, len(message_ids), 1000):
                await conn.execute(
                    update(MessageFact)
                    .where(col(MessageFact.message_id).in_(message_ids[start : start + 1000]))
                    .values(
                        author_id="",
                        author_handle="",
                        preview="",
                        conversation_key=placeholder(tenant_id, key),
                    )
                )

    async def erased(self, digests: Collection[str]) -> set[str]:
        """Which of these digests are of erased subjects."""
        found: set[str] = set()
        wanted = sorted(digests)
        for start in range(0, len(wanted), 1000):
            query = select_rows(col(ErasedSubject.digest)).where(
                col(ErasedSubject.digest).in_(wanted[start : start + 1000])
            )
            found.update((await self.session.exec(query)).all())
        return found

    async def remember(self, tenant_id: str, digests: Collection[str]) -> None:
        """Remember these subjects as erased."""
        known = await self.erased(digests)
        moment = now()
        for value in sorted(set(digests) - known):
            self.session.add(ErasedSubject(digest=value, tenant_id=tenant_id, erased_at=moment))

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
    await _advisory(uow.session, "pg_advisory_xact_lock", [event.tenant_id])
    repo = ErasureRepository(uow.session)
    keys, authors = _keys_and_authors(event)
    await repo.remember(
        event.tenant_id,
        {digest(event.tenant_id, "key", key[:512]) for key in keys}
        | {digest(event.tenant_id, "author", f"{channel}:{author[:256]}") for channel, author in authors},
    )
    await repo.clear_facts(event.tenant_id, keys=keys, authors=authors)
    if event.conversation_ids:
        await repo.clear_comments(event.tenant_id, list(event.conversation_ids))
