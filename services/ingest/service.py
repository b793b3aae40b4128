"""Ingest's logic: store a delivery, de-duplicate its messages, and announce each one once."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import delete as sa_delete
from webcare.v1 import common_pb2, messages_pb2, replies_pb2

from services.ingest import listening
from services.ingest.accounts import Account
from services.ingest.channels.base import DELIVERIES, EVENTS, Author, Inbound, Parsed, Receipt, text_of
from services.ingest.config import ingest_settings
from services.ingest.models import (
    MAX_CONVERSATION_KEY,
    MAX_EXTERNAL_ID,
    Delivery,
    DeliveryAccepted,
    MessageAccepted,
    MessageIn,
)
from services.ingest.repository import MessageRepository
from services.kit.batching import GroupCommit
from services.kit.errors import NotFound, Unavailable, WebcareError
from services.kit.events import new_event, now, timestamp
from services.kit.ids import new_id
from services.kit.runtime import Runtime
from services.kit.uow import UnitOfWork


@dataclass(frozen=True)
class Source:
    """Where a delivery came from: the tenant, the channel, and the account when one is registered."""

    tenant_id: str
    channel: str
    account: Account | None = None

    @classmethod
    def of(cls, account: Account) -> Source:
        """The source of a delivery to a registered account."""
        return cls(tenant_id=account.tenant_id, channel=account.channel, account=account)


@dataclass(frozen=True)
class Raw:
    """A delivery as the channel sent it, kept for audit."""

    body: str
    content_type: str = "application/json"


@dataclass
class Outcome:
    """What became of a delivery's messages: platform ids of the new ones, and the counts."""

    ids: dict[str, str]  # external id -> platform message id, new and duplicate alike
    accepted: int = 0
    duplicates: int = 0
    ignored: int = 0

    def answer(self) -> DeliveryAccepted:
        """The webhook's answer."""
        return DeliveryAccepted(accepted=self.accepted, duplicates=self.duplicates, ignored=self.ignored)


GROUP = 200  # deliveries stored in one transaction at most
GROUPS_AT_ONCE = 2  # one group's transaction runs while the one before waits for Kafka


def conversation_key(data: MessageIn) -> str:
    """The key that groups a message with the rest of its conversation."""
    return data.conversation_key or f"{data.channel}:{data.author.id}"


async def accept_message(rt: Runtime, *, tenant_id: str, data: MessageIn) -> MessageAccepted:
    """Accept a message from the generic REST channel; repeats get the first one's id."""
    inbound = Inbound(
        external_id=data.external_id,
        conversation_key=conversation_key(data),
        author=Author(
            id=data.author.id,
            handle=data.author.handle or "",
            name=data.author.name or "",
            follower_count=data.author.follower_count or 0,
        ),
        text=data.text,
        public=data.public,
        in_reply_to=data.in_reply_to or "",
        sent_at=data.sent_at,
        addressed=data.addressed,
    )
    raw = Raw(body=data.model_dump_json())
    source = Source(tenant_id=tenant_id, channel=data.channel)
    outcome = await accept(rt, source, Parsed(messages=[inbound]), raw)
    if data.external_id not in outcome.ids:
        return MessageAccepted(id=None, status="not_matched")
    return MessageAccepted(id=outcome.ids[data.external_id], duplicate=outcome.duplicates > 0)


async def accept(rt: Runtime, source: Source, parsed: Parsed, raw: Raw) -> Outcome:
    """Store and announce a delivery once; returns after its events are on the bus.

    The raw delivery, its new messages and their events commit in one transaction, so a crash loses
    nothing and a retry of the same delivery (or ten at once) publishes each message exactly once.
    Deliveries that arrive while a transaction is under way share the next one (group commit).
    """
    channel = source.channel
    EVENTS.labels(channel, "ignored").inc(parsed.ignored)
    EVENTS.labels(channel, "own").inc(parsed.own)
    outcome = Outcome(ids={}, ignored=parsed.ignored + parsed.own)
    if not parsed.messages and not parsed.receipts:
        return outcome
    for item in parsed.messages:  # from here on every message names its channel
        item.channel = item.channel or channel
    usable = [item for item in parsed.messages if _storable(item)]
    if len(usable) < len(parsed.messages):  # ids no table can hold: counted, never a 500
        EVENTS.labels(channel, "invalid_id").inc(len(parsed.messages) - len(usable))
        outcome.ignored += len(parsed.messages) - len(usable)
        parsed = replace(parsed, messages=usable)
    raw = replace(raw, body=raw.body.replace("\x00", "\ufffd"))  # PostgreSQL text holds no NUL
    batcher = rt.state.get("ingest_batcher")
    if not isinstance(batcher, GroupCommit):
        write = functools.partial(_write, rt)
        batcher = rt.state["ingest_batcher"] = GroupCommit(write, max_batch=GROUP, concurrency=GROUPS_AT_ONCE)
    await batcher.submit(_Pending(source, parsed, raw, outcome, ignored=outcome.ignored))
    EVENTS.labels(channel, "accepted").inc(outcome.accepted)
    EVENTS.labels(channel, "duplicate").inc(outcome.duplicates)
    EVENTS.labels(channel, "receipt").inc(len(parsed.receipts))
    return outcome


def _storable(item: Inbound) -> bool:
    """Whether a message's ids fit the columns that de-duplicate and thread it."""
    return (
        0 < len(item.external_id) <= MAX_EXTERNAL_ID
        and 0 < len(item.conversation_key) <= MAX_CONVERSATION_KEY
        and len(item.author.id) <= MAX_EXTERNAL_ID
        and "\x00" not in item.external_id + item.conversation_key + item.author.id
    )


@dataclass(frozen=True)
class _Stored:
    """A stored delivery, as its messages and their events refer to it."""

    id: str
    channel_account_id: str | None
    received_at: datetime


@dataclass
class _Pending:
    """A delivery waiting for its transaction."""

    source: Source
    parsed: Parsed
    raw: Raw
    outcome: Outcome
    ignored: int = 0  # what the outcome counted as ignored before the transaction

    def start_over(self) -> None:
        """Forget what a try of this delivery counted in its transaction."""
        self.outcome.accepted = self.outcome.duplicates = 0
        self.outcome.ignored = self.ignored
        self.outcome.ids.clear()


async def _write(rt: Runtime, batch: Sequence[_Pending]) -> list[Exception | None]:
    """Store a group of deliveries (kit/batching.py); a group tried before that failed counted
    nothing that holds, so each outcome starts anew."""
    for pending in batch:
        pending.start_over()
    try:
        await _store(rt, list(batch))
    except Unavailable as exc:  # committed; only the bus is away: every sender retries later
        return [exc] * len(batch)
    return [None] * len(batch)


async def _store(rt: Runtime, batch: list[_Pending]) -> None:
    """One transaction for several deliveries: raw bodies, new messages, events."""
    async with rt.unit_of_work(must_publish=True) as uow:
        received_at = now()
        rows: list[dict[str, object]] = []
        taken: list[tuple[_Pending, _Stored, list[tuple[Inbound, listening.Match | None]]]] = []
        for pending in batch:
            source, parsed = pending.source, pending.parsed
            items = await _listened(uow, source.tenant_id, parsed.messages, pending.outcome)
            if not items and not parsed.receipts:
                continue
            delivery = _Stored(
                id=new_id(),
                channel_account_id=source.account.id if source.account else None,
                received_at=received_at,
            )
            rows.append(
                {
                    "id": delivery.id,
                    "tenant_id": source.tenant_id,
                    "channel": source.channel,
                    "channel_account_id": delivery.channel_account_id,
                    "content_type": pending.raw.content_type[:128],
                    "body": pending.raw.body,
                    "received_at": received_at,
                }
            )
            taken.append((pending, delivery, items))
        if not taken:
            return
        await MessageRepository(uow.session).insert_deliveries(rows)
        await _messages(uow, taken)
        for pending, _, _ in taken:
            for receipt in pending.parsed.receipts:
                uow.emit(_receipt(pending.source, receipt), key=receipt.external_id)


async def _listened(
    uow: UnitOfWork, tenant_id: str, messages: list[Inbound], outcome: Outcome
) -> list[tuple[Inbound, listening.Match | None]]:
    """The messages to take: every addressed one, and unaddressed ones a monitoring rule matched."""
    unaddressed = [item for item in messages if not item.addressed]
    matches = iter(await listening.match_all(uow.session, tenant_id, unaddressed) if unaddressed else [])
    taken: list[tuple[Inbound, listening.Match | None]] = []
    for item in messages:
        match = None if item.addressed else next(matches)
        if not item.addressed and match is None:
            outcome.ignored += 1
            EVENTS.labels(item.channel, "not_matched").inc()
            continue
        taken.append((item, match))
    return taken


async def _messages(
    uow: UnitOfWork, taken: list[tuple[_Pending, _Stored, list[tuple[Inbound, listening.Match | None]]]]
) -> None:
    """Insert the batch's messages not seen before in one statement and announce those."""
    repo = MessageRepository(uow.session)
    first: dict[tuple[str, str, str], str] = {}  # (tenant, channel, external id) -> message id
    rows: list[dict[str, object]] = []
    owned: list[tuple[_Pending, _Stored, Inbound, listening.Match | None, str]] = []
    repeats: list[tuple[_Pending, Inbound, tuple[str, str, str]]] = []
    for pending, delivery, items in taken:
        tenant = pending.source.tenant_id
        for item, match in items:
            key = (tenant, item.channel, item.external_id)
            if key in first:  # the same message twice in one delivery, or in two of this batch
                repeats.append((pending, item, key))
                continue
            first[key] = message_id = new_id()
            owned.append((pending, delivery, item, match, message_id))
            rows.append(
                {
                    "id": message_id,
                    "tenant_id": tenant,
                    "channel": item.channel,
                    "external_id": item.external_id,
                    "conversation_key": item.conversation_key,
                    "received_at": delivery.received_at,
                    "channel_account_id": delivery.channel_account_id,
                    "delivery_id": delivery.id,
                }
            )
    # In key order: two groups at once (GROUPS_AT_ONCE) that share messages lock them in one order.
    rows.sort(key=lambda row: (str(row["tenant_id"]), str(row["channel"]), str(row["external_id"])))
    inserted = await repo.insert_new(rows)
    stored: dict[tuple[str, str, str], str] = {}
    for key in first:
        if key not in inserted:  # taken before this batch: answer with the first one's id
            found = await repo.find(tenant_id=key[0], channel=key[1], external_id=key[2])
            if found is not None:
                stored[key] = found.id
    fresh = [
        entry
        for entry in owned
        if (entry[0].source.tenant_id, entry[2].channel, entry[2].external_id) in inserted
    ]
    customers = await _thread_customers(repo, fresh)
    for pending, delivery, item, match, message_id in owned:
        key = (pending.source.tenant_id, item.channel, item.external_id)
        if key not in inserted:
            pending.outcome.duplicates += 1
            pending.outcome.ids[item.external_id] = stored.get(key, message_id)
            continue
        customer = customers.get((key[0], item.conversation_key))
        community = item.public and customer is not None and customer != item.author.id
        event = _received(pending.source, delivery, message_id, item, match, community=community)
        uow.emit(event, key=item.conversation_key)
        pending.outcome.accepted += 1
        pending.outcome.ids[item.external_id] = message_id
    for pending, item, key in repeats:
        pending.outcome.duplicates += 1
        pending.outcome.ids[item.external_id] = stored.get(key, first[key])


async def _thread_customers(
    repo: MessageRepository, fresh: list[tuple[_Pending, _Stored, Inbound, listening.Match | None, str]]
) -> dict[tuple[str, str], str]:
    """Each public thread's customer, by (tenant, conversation key)."""
    by_tenant: dict[str, dict[str, tuple[str, datetime]]] = {}
    for pending, delivery, item, _, _ in fresh:
        if item.public:
            owners = by_tenant.setdefault(pending.source.tenant_id, {})
            owners.setdefault(
                item.conversation_key, (item.thread_owner or item.author.id, delivery.received_at)
            )
    customers: dict[tuple[str, str], str] = {}
    for tenant, owners in by_tenant.items():
        for key, customer in (await repo.thread_customers(tenant, owners)).items():
            customers[(tenant, key)] = customer
    return customers


def _received(
    source: Source,
    delivery: _Stored,
    message_id: str,
    item: Inbound,
    match: listening.Match | None,
    *,
    community: bool,
) -> messages_pb2.MessageReceived:
    author = common_pb2.Author(
        external_id=item.author.id,
        handle=item.author.handle,
        name=item.author.name,
        follower_count=item.author.follower_count,
    )
    attachments = [
        common_pb2.Attachment(
            kind=a.kind,
            mime_type=a.mime_type,
            url=a.url,
            name=a.name,
            size=a.size,
            external_id=a.external_id,
            latitude=a.latitude,
            longitude=a.longitude,
        )
        for a in item.attachments
    ]
    event = new_event(
        messages_pb2.MessageReceived,
        tenant_id=source.tenant_id,
        message_id=message_id,
        channel=item.channel,
        external_id=item.external_id,
        conversation_key=item.conversation_key,
        author=author,
        text=text_of(item.text),
        is_public=item.public,
        channel_account_id=source.account.id if source.account else "",
        in_reply_to=item.in_reply_to,
        attachments=attachments,
        community_member=community,
        proactive=match is not None,
        monitoring_rules=list(match.rules) if match else [],
        lead=bool(match and match.lead),
        subject=text_of(item.subject),
        rating=item.rating,
        delivery_id=delivery.id,
    )
    try:
        event.sent_at.CopyFrom(timestamp(item.sent_at or delivery.received_at))
    except (OverflowError, ValueError):  # a channel's impossible date (year 1 at +01:00, say)
        event.sent_at.CopyFrom(timestamp(delivery.received_at))
    return event


def _receipt(source: Source, receipt: Receipt) -> replies_pb2.DeliveryReceipt:
    event = new_event(
        replies_pb2.DeliveryReceipt,
        tenant_id=source.tenant_id,
        channel=source.channel,
        channel_account_id=source.account.id if source.account else "",
        external_id=receipt.external_id,
        status=receipt.status,
        recipient=receipt.recipient,
        reason=receipt.reason,
        error_code=receipt.error_code,
    )
    if receipt.reported_at is not None:
        event.reported_at.CopyFrom(timestamp(receipt.reported_at))
    return event


class UnknownAccount(NotFound):
    """A delivery for a channel account no tenant registered."""

    code = "unknown_account"


@asynccontextmanager
async def counted(channel: str) -> AsyncIterator[None]:
    """Count a delivery by outcome: accepted, or the error code it was refused with."""
    try:
        yield
    except WebcareError as exc:
        DELIVERIES.labels(channel, exc.code).inc()
        raise
    DELIVERIES.labels(channel, "accepted").inc()


async def prune_deliveries(rt: Runtime, moment: datetime) -> int:
    """Delete raw deliveries older than `delivery_retention_days` (the audit copy's time is up)."""
    cutoff = moment - timedelta(days=ingest_settings(rt.settings).delivery_retention_days)
    async with rt.db.engine.begin() as conn:
        table = Delivery.__table__  # type: ignore[attr-defined]
        result = await conn.execute(sa_delete(table).where(table.c.received_at < cutoff))
    return int(result.rowcount or 0)
