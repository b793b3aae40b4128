"""Folding events into the read models. Every handler is an upsert that gives the same facts whatever
order the topics deliver in and however often an event comes, so the read models rebuild from the
topics' beginning."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from webcare.v1 import conversations_pb2, messages_pb2, replies_pb2

from services.kit.events import to_datetime
from services.kit.runtime import Runtime
from services.kit.uow import UnitOfWork
from services.reporting import erasure, metrics, rollups
from services.reporting.models import AgentReplyFact, ConversationFact, MessageFact, ReviewFact

PREVIEW = 500
MESSAGE_KINDS = (messages_pb2.MessageReceived, messages_pb2.MessageClassified)
INSERT_ROWS = 1000  # rows per INSERT: facts have about 20 columns, PostgreSQL's limit is 32,767 values
Fact = MessageFact | ConversationFact | AgentReplyFact | ReviewFact
F = TypeVar("F", MessageFact, ConversationFact, AgentReplyFact, ReviewFact)
# The columns a fact inserted by `load_for` starts with, besides its key (the models' defaults).
# Columns whose default is None are left out: NULL either way, and a JSON column would take None
# for the JSON value null.
MESSAGE_DEFAULTS: dict[str, Any] = {
    name: field.default
    for name, field in MessageFact.model_fields.items()
    if name not in ("message_id", "tenant_id", "channel", "received_at") and field.default is not None
}
CONVERSATION_DEFAULTS: dict[str, Any] = {
    name: field.default
    for name, field in ConversationFact.model_fields.items()
    if name not in ("conversation_id", "tenant_id") and field.default is not None
}
KEYS: dict[type[Any], str] = {
    MessageFact: "message_id",
    ConversationFact: "conversation_id",
    AgentReplyFact: "reply_id",
    ReviewFact: "review_id",
}


async def load_for(rt: Runtime, uow: UnitOfWork, events: Sequence[Any]) -> Mapping[str, Any]:
    """Make sure every fact a batch changes exists, and load them all, locked, in one query per
    table; folding then finds each in the batch's preparation.

    Facts are first inserted as they begin (ON CONFLICT DO NOTHING), then selected FOR UPDATE, in
    one order of tables and keys: two batches that change one fact (its message received on one
    topic, classified on another) take turns instead of both inserting it, and never deadlock. A
    message fact this batch inserted counts as new for the rollups.
    """
    loaded: dict[str, Any] = {ERASED: await _erased_subjects(uow, events)}
    for table, begun in _beginnings(events).items():  # messages, then conversations
        keys = sorted(key for key in begun if _slot(table, key) not in uow.prepared)
        if not keys:
            continue
        key_column = getattr(table, KEYS[table])
        # One statement, compiled once, for all the rows (SQLAlchemy sends them as multi-row INSERTs
        # of INSERT_ROWS each, within PostgreSQL's 32,767 parameters): compiling a VALUES clause of
        # up to a thousand rows anew for every batch cost a third of folding's CPU.
        columns: Table = getattr(table, "__table__")  # noqa: B009 - SQLModel's classes do not declare it
        statement = (
            _insert(uow)(columns)
            .on_conflict_do_nothing(index_elements=[KEYS[table]])
            .returning(columns.c[KEYS[table]])
            .execution_options(insertmanyvalues_page_size=INSERT_ROWS)
        )
        connection = await uow.session.connection()
        inserted = await connection.execute(statement, [begun[key] for key in keys])
        new: set[str] = set(inserted.scalars().all()) if table is MessageFact else set()
        query = select(table).where(col(key_column).in_(keys)).order_by(col(key_column)).with_for_update()
        for row in (await uow.session.exec(query)).all():
            key = getattr(row, KEYS[table])
            loaded[_slot(table, key)] = row
            if key in new:
                loaded[_new(key)] = True
    for table, attribute, kind in (
        (AgentReplyFact, "reply_id", replies_pb2.ReplySent),
        (ReviewFact, "review_id", replies_pb2.ReplyReviewed),
    ):
        wanted = sorted({getattr(e, attribute) for e in events if isinstance(e, kind)})
        if wanted:
            column = col(getattr(table, attribute))
            found = {
                getattr(r, attribute): r
                for r in (await uow.session.exec(select(table).where(column.in_(wanted)))).all()
            }
            loaded.update({_slot(table, key): found.get(key) for key in wanted})
    return loaded


ERASED = "erased subjects"  # the batch's erased subjects, in its preparation


def _digests(event: messages_pb2.MessageReceived | messages_pb2.MessageClassified) -> tuple[str, str]:
    received = event if isinstance(event, messages_pb2.MessageReceived) else event.message
    return erasure.subject_digests(
        event.tenant_id, received.channel, received.conversation_key, received.author.external_id
    )


async def _erased_subjects(uow: UnitOfWork, events: Sequence[Any]) -> set[str]:
    """Which of the batch's messages' conversation keys and authors were erased (no erasure of their
    tenants runs while the batch is folded)."""
    messages = [e for e in events if isinstance(e, MESSAGE_KINDS)]
    if not messages:
        return set()
    await erasure.fold_guard(uow.session, {e.tenant_id for e in messages})
    digests = {d for e in messages for d in _digests(e)}
    return await erasure.ErasureRepository(uow.session).erased(digests)


async def _unless_erased(uow: UnitOfWork, fact: MessageFact) -> None:
    """Keep nothing that names an erased customer in a fact folded after their erasure."""
    erased = uow.prepared.get(ERASED)
    if erased is None:  # folded one event at a time, without the batch's preparation
        await erasure.fold_guard(uow.session, [fact.tenant_id])
        key, author = erasure.subject_digests(
            fact.tenant_id, fact.channel, fact.conversation_key, fact.author_id
        )
        erased = await erasure.ErasureRepository(uow.session).erased({key, author})
    if erased:
        erasure.forget(fact, erased)


def _beginnings(events: Sequence[Any]) -> dict[type[Fact], dict[str, dict[str, Any]]]:
    """For each table, the facts the events change, as rows to begin them with."""
    begun: dict[type[Fact], dict[str, dict[str, Any]]] = {MessageFact: {}, ConversationFact: {}}
    for event in events:
        if isinstance(event, MESSAGE_KINDS):
            received = event if isinstance(event, messages_pb2.MessageReceived) else event.message
            begun[MessageFact].setdefault(
                event.message_id,
                {
                    "message_id": event.message_id,
                    "tenant_id": event.tenant_id,
                    "channel": received.channel,
                    "received_at": to_datetime(received.occurred_at),
                    **MESSAGE_DEFAULTS,
                },
            )
        conversation_id = getattr(event, "conversation_id", "")
        if conversation_id:
            begun[ConversationFact].setdefault(
                conversation_id,
                {"conversation_id": conversation_id, "tenant_id": event.tenant_id, **CONVERSATION_DEFAULTS},
            )
    return begun


def _insert(uow: UnitOfWork) -> Any:
    bind = uow.session.bind
    return postgresql.insert if bind is not None and bind.dialect.name == "postgresql" else sqlite.insert


def _new(key: str) -> str:
    return f"new:MessageFact:{key}"


def _slot(table: type[Fact], key: str) -> str:
    return f"fact:{table.__name__}:{key}"


async def _get(uow: UnitOfWork, table: type[F], key: str) -> F | None:
    """A fact by key: from the batch's preparation when it looked, else from the database."""
    slot = _slot(table, key)
    if slot in uow.prepared:
        found: F | None = uow.prepared[slot]
        return found
    return await uow.session.get(table, key)


def _keep(uow: UnitOfWork, fact: Fact) -> None:
    """Store a new or changed fact, and let later events of the batch find it."""
    uow.session.add(fact)
    uow.prepared[_slot(type(fact), getattr(fact, KEYS[type(fact)]))] = fact


async def _message(
    uow: UnitOfWork, received: messages_pb2.MessageReceived, message_id: str
) -> tuple[MessageFact, rollups.Counted | None]:
    fact = await _get(uow, MessageFact, message_id)
    begun_here = uow.prepared.pop(_new(message_id), False)  # inserted by this batch: not yet counted
    before = rollups.counted(fact) if fact is not None and not begun_here else None
    if fact is None:
        fact = MessageFact(
            message_id=message_id,
            tenant_id=received.tenant_id,
            channel=received.channel,
            received_at=to_datetime(received.occurred_at),
        )
    fact.channel_account_id = received.channel_account_id
    fact.conversation_key = received.conversation_key[:512]
    fact.is_public = received.is_public
    fact.proactive = received.proactive
    fact.lead = fact.lead or received.lead
    fact.community_member = received.community_member
    fact.author_id = received.author.external_id[:256]
    fact.author_handle = (received.author.handle or received.author.name)[:256]
    return fact, before


async def message_received(uow: UnitOfWork, event: messages_pb2.MessageReceived) -> None:
    """A message as ingest took it."""
    fact, before = await _message(uow, event, event.message_id)
    await _unless_erased(uow, fact)
    _keep(uow, fact)
    rollups.move(uow, before, rollups.counted(fact))


async def message_classified(uow: UnitOfWork, event: messages_pb2.MessageClassified) -> None:
    """What classify made of a message (it carries the message, so it may come first)."""
    fact, before = await _message(uow, event.message, event.message_id)
    first = not fact.classified
    fact.classified = True
    fact.language = event.language[:8]
    fact.category = event.category.primary[:32]
    fact.lead = fact.lead or event.category.primary == "lead"
    fact.sentiment = event.sentiment.label[:16]
    fact.sentiment_score = event.sentiment.score
    fact.topics = list(event.topics)
    fact.preview = (event.redacted_preview or "")[:PREVIEW]
    await _unless_erased(uow, fact)
    _keep(uow, fact)
    rollups.move(uow, before, rollups.counted(fact))
    if first:
        metrics.message_classified(uow, fact)


async def _conversation(uow: UnitOfWork, tenant_id: str, conversation_id: str) -> ConversationFact:
    """The conversation's fact (a new one if none), its rollup counts tracked from now on."""
    found = await _get(uow, ConversationFact, conversation_id)
    fact = found or ConversationFact(conversation_id=conversation_id, tenant_id=tenant_id)
    rollups.track(uow, fact, new=found is None)
    return fact


async def conversation_opened(uow: UnitOfWork, event: conversations_pb2.ConversationOpened) -> None:
    """Start a conversation's clock at its first message."""
    fact = await _conversation(uow, event.tenant_id, event.conversation_id)
    first = fact.opened_at is None
    fact.channel = event.channel
    fact.opened_at = to_datetime(event.first_message_at)
    fact.channel_account_id = event.channel_account_id
    fact.queue = event.queue or fact.queue or "default"
    fact.category = event.category[:32]
    fact.language = event.language[:8]
    fact.is_public = event.is_public
    fact.proactive = event.proactive
    if event.HasField("first_response_due_at"):
        fact.first_response_due_at = to_datetime(event.first_response_due_at)
    _keep(uow, fact)
    if first:
        metrics.conversation_opened(uow, fact)
        metrics.first_response(uow, fact)  # when the reply came first


async def conversation_assigned(uow: UnitOfWork, event: conversations_pb2.ConversationAssigned) -> None:
    """Who holds the conversation now."""
    fact = await _conversation(uow, event.tenant_id, event.conversation_id)
    fact.agent_id = event.agent_id
    _keep(uow, fact)


async def conversation_escalated(uow: UnitOfWork, event: conversations_pb2.ConversationEscalated) -> None:
    """When the conversation first escalated."""
    fact = await _conversation(uow, event.tenant_id, event.conversation_id)
    fact.escalated_at = _earliest(fact.escalated_at, to_datetime(event.occurred_at))
    _keep(uow, fact)


async def conversation_transferred(uow: UnitOfWork, event: conversations_pb2.ConversationTransferred) -> None:
    """A hand-over: counted, and the queue or agent it went to."""
    fact = await _conversation(uow, event.tenant_id, event.conversation_id)
    fact.transfers += 1
    fact.agent_id = event.to_agent_id or fact.agent_id
    fact.queue = event.to_queue or fact.queue
    _keep(uow, fact)


async def conversation_reopened(uow: UnitOfWork, event: conversations_pb2.ConversationReopened) -> None:
    """A reopening: counted; the conversation is open again."""
    fact = await _conversation(uow, event.tenant_id, event.conversation_id)
    fact.reopenings += 1
    fact.resolved_at = None
    _keep(uow, fact)


async def conversation_resolved(uow: UnitOfWork, event: conversations_pb2.ConversationResolved) -> None:
    """Note when a conversation was resolved (the latest resolution, after reopenings)."""
    fact = await _conversation(uow, event.tenant_id, event.conversation_id)
    moment = to_datetime(event.occurred_at)
    fact.resolved_at = max(fact.resolved_at, moment) if fact.resolved_at else moment
    fact.agent_id = event.agent_id or fact.agent_id
    _keep(uow, fact)


async def conversation_first_responded(
    uow: UnitOfWork, event: conversations_pb2.ConversationFirstResponded
) -> None:
    """The first response's time in the tenant's business hours, as routing counted it (the earliest
    should routing ever say it twice)."""
    fact = await _conversation(uow, event.tenant_id, event.conversation_id)
    business = max(0.0, event.business_seconds)
    known = fact.first_response_business_seconds
    fact.first_response_business_seconds = business if known is None else min(known, business)
    _keep(uow, fact)


async def message_added(uow: UnitOfWork, event: conversations_pb2.ConversationMessageAdded) -> None:
    """Another customer answering in the thread before any agent did."""
    if not event.community_member or not event.HasField("sent_at"):
        return
    fact = await _conversation(uow, event.tenant_id, event.conversation_id)
    fact.community_answered_at = _earliest(fact.community_answered_at, to_datetime(event.sent_at))
    _keep(uow, fact)


async def reply_sent(uow: UnitOfWork, event: replies_pb2.ReplySent) -> None:
    """Stop a conversation's first-response clock at its first reply, and count the agent's reply."""
    fact = await _conversation(uow, event.tenant_id, event.conversation_id)
    sent = to_datetime(event.occurred_at)
    first = fact.first_response_at is None
    if fact.first_response_at is None or sent < fact.first_response_at:
        fact.first_response_at = sent
        fact.first_response_agent_id = event.agent_id
    _keep(uow, fact)
    if first:
        metrics.first_response(uow, fact)
    if await _get(uow, AgentReplyFact, event.reply_id) is None:
        _keep(
            uow,
            AgentReplyFact(
                reply_id=event.reply_id,
                tenant_id=event.tenant_id,
                agent_id=event.agent_id,
                conversation_id=event.conversation_id,
                channel=event.channel,
                sent_at=sent,
                negative_words=len(event.negative_words),
            ),
        )


async def reply_reviewed(uow: UnitOfWork, event: replies_pb2.ReplyReviewed) -> None:
    """A supervisor's scorecard of an agent's reply."""
    if await _get(uow, ReviewFact, event.review_id) is not None:
        return
    _keep(
        uow,
        ReviewFact(
            review_id=event.review_id,
            tenant_id=event.tenant_id,
            agent_id=event.agent_id,
            reviewed_at=to_datetime(event.occurred_at),
            product_knowledge=event.product_knowledge,
            wording=event.wording,
            empathy=event.empathy,
            guideline_kept=event.guideline_kept,
        ),
    )


def _earliest(current: datetime | None, moment: datetime) -> datetime:
    return min(current, moment) if current else moment
