"""Ingest's logic: store a delivery, de-duplicate its messages, and announce each one once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from webcare.v1 import common_pb2, messages_pb2, replies_pb2

from services.ingest import listening
from services.ingest.accounts import Account
from services.ingest.channels.base import DELIVERIES, EVENTS, Author, Inbound, Parsed, Receipt, text_of
from services.ingest.models import Delivery, DeliveryAccepted, MessageAccepted, MessageIn
from services.ingest.repository import MessageRepository
from services.kit.errors import NotFound, WebcareError
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
    """
    channel = source.channel
    EVENTS.labels(channel, "ignored").inc(parsed.ignored)
    EVENTS.labels(channel, "own").inc(parsed.own)
    outcome = Outcome(ids={}, ignored=parsed.ignored + parsed.own)
    if not parsed.messages and not parsed.receipts:
        return outcome
    for item in parsed.messages:  # from here on every message names its channel
        item.channel = item.channel or channel
    async with rt.unit_of_work(must_publish=True) as uow:
        received_at = now()
        items = await _listened(uow, source.tenant_id, parsed.messages, outcome)
        if not items and not parsed.receipts:
            return outcome
        delivery = Delivery(
            id=new_id(),
            tenant_id=source.tenant_id,
            channel=channel,
            channel_account_id=source.account.id if source.account else None,
            content_type=raw.content_type[:128],
            body=raw.body,
            received_at=received_at,
        )
        uow.session.add(delivery)
        await uow.session.flush()
        await _messages(uow, source, delivery, items, outcome)
        for receipt in parsed.receipts:
            uow.emit(_receipt(source, receipt), key=receipt.external_id)
        EVENTS.labels(channel, "receipt").inc(len(parsed.receipts))
    EVENTS.labels(channel, "accepted").inc(outcome.accepted)
    EVENTS.labels(channel, "duplicate").inc(outcome.duplicates)
    return outcome


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
    uow: UnitOfWork,
    source: Source,
    delivery: Delivery,
    items: list[tuple[Inbound, listening.Match | None]],
    outcome: Outcome,
) -> None:
    repo = MessageRepository(uow.session)
    once: dict[tuple[str, str], tuple[Inbound, listening.Match | None]] = {}
    for item, match in items:  # a delivery that carries one message twice publishes it once
        once.setdefault((item.channel, item.external_id), (item, match))
    outcome.duplicates += len(items) - len(once)
    items = list(once.values())
    ids = {item.external_id: new_id() for item, _ in items}
    rows = [
        {
            "id": ids[item.external_id],
            "tenant_id": source.tenant_id,
            "channel": item.channel,
            "external_id": item.external_id,
            "conversation_key": item.conversation_key,
            "received_at": delivery.received_at,
            "channel_account_id": delivery.channel_account_id,
            "delivery_id": delivery.id,
        }
        for item, _ in items
    ]
    inserted = await repo.insert_new(rows)
    fresh = [(item, match) for item, match in items if (item.channel, item.external_id) in inserted]
    for item, _ in items:
        if (item.channel, item.external_id) not in inserted:
            found = await repo.find(
                tenant_id=source.tenant_id,
                channel=item.channel,
                external_id=item.external_id,
            )
            if found is not None:
                ids[item.external_id] = found.id
            outcome.duplicates += 1
    owners: dict[str, tuple[str, datetime]] = {}
    for item, _ in fresh:
        if item.public:
            owners.setdefault(
                item.conversation_key, (item.thread_owner or item.author.id, delivery.received_at)
            )
    customers = await repo.thread_customers(source.tenant_id, owners)
    for item, match in fresh:
        customer = customers.get(item.conversation_key)
        community = item.public and customer is not None and customer != item.author.id
        event = _received(source, delivery, ids[item.external_id], item, match, community=community)
        uow.emit(event, key=item.conversation_key)
        outcome.accepted += 1
    outcome.ids.update(ids)


def _received(
    source: Source,
    delivery: Delivery,
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
    event.sent_at.CopyFrom(timestamp(item.sent_at or delivery.received_at))
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
