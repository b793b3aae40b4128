"""Webhooks (CRM out): a tenant's outside systems subscribe to conversation, reply and lead events and
are sent each one as signed JSON, durably.

Fan-out writes one `pending` delivery per matching subscription in the transaction that handles the
event (unique per subscription and event, so an event Kafka delivers again is sent once). The sender
claims what is due (a lease, like reply's dispatcher), POSTs it, and records the outcome: 2xx is
`delivered`; anything else, a timeout or no connection is tried again with exponential backoff and
full jitter (or the receiver's Retry-After) until `webhook_retry_for_seconds` after the event (or
after a replay), then the delivery is `dead` with the last error.

Receivers verify `Webcare-Signature: v1=<hex HMAC-SHA256(secret, "<Webcare-Timestamp>.<raw body>")>`
and reject timestamps older than five minutes (replays). `csat.received` carries every survey answer
reporting records (CSAT and NPS, see `kind`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import httpx
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message
from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import Field as PydanticField
from sqlalchemy import and_, func, or_
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import conversations_pb2, feedback_pb2, messages_pb2, replies_pb2

from services.kit.errors import Conflict, NotFound, Unprocessable
from services.kit.events import now, rfc3339, to_datetime
from services.kit.ids import new_id
from services.kit.runtime import Runtime
from services.kit.secrets import SecretBox
from services.kit.uow import UnitOfWork
from services.reply import delivery
from services.reply.channels.base import retry_after
from services.reply.config import ReplySettings, reply_settings
from services.reply.dispatch import Backoff
from services.reply.models import WebhookDelivery, WebhookSubscription

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0  # how often the sender looks for deliveries due
MAX_ERROR = 500  # characters of a receiver's answer kept as the last error

EventTypeName = Literal[
    "conversation.opened",
    "conversation.assigned",
    "conversation.escalated",
    "conversation.resolved",
    "reply.sent",
    "csat.received",
    "lead.detected",
]
PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"

# The event types that map one to one to a platform event.
TYPE_OF: dict[type[Message], str] = {
    conversations_pb2.ConversationOpened: "conversation.opened",
    conversations_pb2.ConversationAssigned: "conversation.assigned",
    conversations_pb2.ConversationEscalated: "conversation.escalated",
    conversations_pb2.ConversationResolved: "conversation.resolved",
    replies_pb2.ReplySent: "reply.sent",
    feedback_pb2.SurveyAnswered: "csat.received",
}


class SubscriptionIn(BaseModel):
    """Where to send which events, and the secret that signs them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://crm.example.com/hooks/webcare",
                    "secret": "a-long-random-shared-secret",
                    "event_types": ["conversation.resolved", "lead.detected"],
                }
            ]
        },
    )

    url: str = PydanticField(min_length=1, max_length=2048, description="an https address")
    secret: str = PydanticField(
        min_length=16, max_length=256, description="signs every delivery; encrypted at rest, never returned"
    )
    event_types: list[EventTypeName] = PydanticField(min_length=1, max_length=7)

    @field_validator("event_types")
    @classmethod
    def _once_each(cls, value: list[EventTypeName]) -> list[EventTypeName]:
        return list(dict.fromkeys(value))


class SubscriptionOut(BaseModel):
    """A subscription as the API shows it: no secret."""

    id: str
    url: str
    event_types: list[str]
    active: bool
    created_at: datetime


class DeliveryOut(BaseModel):
    """One event sent (or being sent) to a subscription."""

    id: str
    subscription_id: str
    event_id: str
    event_type: str
    status: Literal["pending", "delivered", "dead"]
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    replayed_at: datetime | None


def subscription_out(row: WebhookSubscription) -> SubscriptionOut:
    """The API's view of a subscription."""
    return SubscriptionOut(
        id=row.id,
        url=row.url,
        event_types=list(row.event_types),
        active=row.active,
        created_at=row.created_at,
    )


def delivery_out(row: WebhookDelivery) -> DeliveryOut:
    """The API's view of a delivery."""
    return DeliveryOut.model_validate(row, from_attributes=True)


def box_of(rt: Runtime) -> SecretBox:
    """The box that seals subscription secrets: the channel router's, or one from the settings."""
    router = rt.state.get("router")
    return (
        router.box
        if isinstance(router, delivery.ChannelRouter)
        else SecretBox.from_settings(reply_settings(rt))
    )


async def check_url(url: str, *, allow_private_networks: bool) -> None:
    """Refuse a receiver address that is not https (http where private networks are allowed) or not
    on the internet."""
    try:
        await delivery._check_base_url(url, allow_private_networks=allow_private_networks)
    except Unprocessable as exc:
        raise Unprocessable(exc.detail.replace("base_url", "url"), code="invalid_url") from None


# Subscriptions


async def create(
    uow: UnitOfWork, *, tenant_id: str, data: SubscriptionIn, box: SecretBox, allow_private_networks: bool
) -> WebhookSubscription:
    """Subscribe a receiver to event types."""
    await check_url(data.url, allow_private_networks=allow_private_networks)
    row = WebhookSubscription(
        id=new_id(),
        tenant_id=tenant_id,
        url=data.url,
        secret=box.seal({"secret": data.secret}),
        event_types=list(data.event_types),
        active=True,
        created_at=now(),
    )
    uow.session.add(row)
    return row


async def get(uow: UnitOfWork, tenant_id: str, subscription_id: str) -> WebhookSubscription:
    """One subscription of a tenant (404 when there is none)."""
    row = await uow.session.get(WebhookSubscription, subscription_id)
    if row is None or row.tenant_id != tenant_id:
        raise NotFound(f"no webhook subscription {subscription_id}", code="subscription_not_found")
    return row


async def listed(uow: UnitOfWork, tenant_id: str) -> Sequence[WebhookSubscription]:
    """A tenant's subscriptions, oldest first."""
    query = (
        select(WebhookSubscription)
        .where(WebhookSubscription.tenant_id == tenant_id)
        .order_by(col(WebhookSubscription.id))
    )
    return (await uow.session.exec(query)).all()


async def remove(uow: UnitOfWork, tenant_id: str, subscription_id: str) -> None:
    """End a subscription; what was not sent yet is not sent, and its delivery log goes with it."""
    row = await get(uow, tenant_id, subscription_id)
    await uow.session.exec(delete(WebhookDelivery).where(col(WebhookDelivery.subscription_id) == row.id))
    await uow.session.delete(row)


# Deliveries


async def deliveries(
    uow: UnitOfWork,
    tenant_id: str,
    *,
    subscription_id: str | None = None,
    status: str | None = None,
    limit: int,
    before: str | None = None,
) -> Sequence[WebhookDelivery]:
    """A tenant's deliveries, newest first (`limit` + 1 rows, for the cursor), of one subscription
    and in one status if given, older than the delivery `before` if given."""
    query = select(WebhookDelivery).where(WebhookDelivery.tenant_id == tenant_id)
    if subscription_id is not None:
        query = query.where(WebhookDelivery.subscription_id == subscription_id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    if before is not None:
        query = query.where(col(WebhookDelivery.id) < before)
    query = query.order_by(col(WebhookDelivery.id).desc()).limit(limit + 1)
    return (await uow.session.exec(query)).all()


async def replay(
    uow: UnitOfWork, tenant_id: str, delivery_id: str, *, at: datetime | None = None
) -> WebhookDelivery:
    """Send a dead delivery again: pending at once, tries counted anew (409 unless it is dead)."""
    query = select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    row = (await uow.session.exec(query)).first()
    if row is None or row.tenant_id != tenant_id:
        raise NotFound(f"no webhook delivery {delivery_id}", code="delivery_not_found")
    if row.status != DEAD:
        raise Conflict(f"the delivery is {row.status}; only dead deliveries are replayed", code="not_dead")
    moment = at or now()
    row.status, row.attempts, row.next_attempt_at, row.lease_until = PENDING, 0, moment, None
    row.replayed_at = moment
    uow.session.add(row)
    return row


# Fan-out


def event_type(event: Message) -> str | None:
    """The webhook event type of a platform event; None when it is none of them."""
    if isinstance(event, messages_pb2.MessageClassified):
        return "lead.detected" if event.category.primary == "lead" or event.message.lead else None
    return TYPE_OF.get(type(event))


def body_of(event: Message, kind: str) -> str:
    """The JSON a receiver is sent for an event."""
    fields: Any = event
    document = {
        "id": fields.event_id,
        "type": kind,
        "occurred_at": rfc3339(to_datetime(fields.occurred_at)),
        "tenant": fields.tenant_id,
        "data": _data(event),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _data(event: Message) -> dict[str, Any]:
    """The event's fields; a lead goes out with the redacted text only: private data the customer
    wrote stays in the platform."""
    data: dict[str, Any] = MessageToDict(event, preserving_proto_field_name=True)
    if isinstance(event, messages_pb2.MessageClassified):
        message = data.get("message", {})
        message.pop("text", None)
        data.pop("private_data", None)
        data["text"] = event.redacted_preview
    return data


def _subscriptions_slot(tenant_id: str) -> str:
    return f"webhooks:subscriptions:{tenant_id}"


async def _active_subscriptions(
    uow: UnitOfWork, tenant_ids: Sequence[str]
) -> dict[str, list[WebhookSubscription]]:
    """The active subscriptions of these tenants, in one query."""
    query = select(WebhookSubscription).where(
        col(WebhookSubscription.tenant_id).in_(sorted(set(tenant_ids))),
        col(WebhookSubscription.active).is_(True),
    )
    found: dict[str, list[WebhookSubscription]] = {tenant: [] for tenant in tenant_ids}
    for row in (await uow.session.exec(query)).all():
        found[row.tenant_id].append(row)
    return found


async def load_subscriptions(rt: Runtime, uow: UnitOfWork, events: Sequence[Any]) -> Mapping[str, Any]:
    """A batch's preparation: the active subscriptions of the tenants of its events, so that fanning
    out each event asks the database no more than once per batch."""
    tenants = [event.tenant_id for event in events if event_type(event) is not None]
    if not tenants:
        return {}
    found = await _active_subscriptions(uow, tenants)
    return {_subscriptions_slot(tenant): rows for tenant, rows in found.items()}


async def fan_out(uow: UnitOfWork, event: Message) -> int:
    """Write a pending delivery of the event for each active subscription to its type that has none
    yet; how many."""
    kind = event_type(event)
    if kind is None:
        return 0
    fields: Any = event
    active = uow.prepared.get(_subscriptions_slot(fields.tenant_id))
    if active is None:
        active = (await _active_subscriptions(uow, [fields.tenant_id])).get(fields.tenant_id, [])
    subscribed = [row for row in active if kind in row.event_types]
    if not subscribed:
        return 0
    known = select(WebhookDelivery.subscription_id).where(WebhookDelivery.event_id == fields.event_id)
    already = set((await uow.session.exec(known)).all())
    moment, body = now(), body_of(event, kind)
    for subscription in subscribed:
        if subscription.id in already:
            continue
        uow.session.add(
            WebhookDelivery(
                id=new_id(),
                subscription_id=subscription.id,
                tenant_id=subscription.tenant_id,
                event_id=fields.event_id,
                event_type=kind,
                body=body,
                status=PENDING,
                next_attempt_at=moment,
                created_at=moment,
            )
        )
    return len([s for s in subscribed if s.id not in already])


# Sending


def signature(secret: str, timestamp: int, body: str) -> str:
    """The `Webcare-Signature` header of a body sent at `timestamp` (unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"v1={digest}"


def headers_for(held: WebhookDelivery, secret: str, timestamp: int) -> dict[str, str]:
    """What a delivery is sent with."""
    return {
        "Content-Type": "application/json",
        "Webcare-Event-Id": held.event_id,
        "Webcare-Timestamp": str(timestamp),
        "Webcare-Signature": signature(secret, timestamp, held.body),
    }


async def _due_subscriptions(session: AsyncSession, at: datetime, limit: int) -> Sequence[str]:
    """Subscriptions with deliveries due, longest waiting first."""
    query = (
        select(WebhookDelivery.subscription_id)
        .where(_due(at))
        .group_by(col(WebhookDelivery.subscription_id))
        .order_by(func.min(WebhookDelivery.next_attempt_at))
        .limit(limit)
    )
    return (await session.exec(query)).all()


def _due(at: datetime) -> Any:
    return and_(
        col(WebhookDelivery.status) == PENDING,
        col(WebhookDelivery.next_attempt_at) <= at,
        or_(col(WebhookDelivery.lease_until).is_(None), col(WebhookDelivery.lease_until) <= at),
    )


@dataclass(frozen=True)
class Target:
    """Where a claimed delivery goes, and the secret that signs it."""

    url: str
    secret: str


class Sender:
    """Sends what is due, many at once, at most a few per subscription."""

    def __init__(self, rt: Runtime, http: httpx.AsyncClient, settings: ReplySettings | None = None) -> None:
        self.rt = rt
        self.http = http
        self.settings = settings or reply_settings(rt)
        self.backoff = Backoff(
            self.settings.webhook_retry_base_seconds, self.settings.webhook_retry_max_seconds
        )
        self.wake = asyncio.Event()
        self._in_flight: dict[str, int] = {}  # subscription id: deliveries being sent
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def free(self) -> int:
        """How many more deliveries may be sent at once."""
        return self.settings.webhook_concurrency - sum(self._in_flight.values())

    async def run(self) -> None:
        """Start what is due, every tick or when woken, until cancelled; never waits for a receiver."""
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), timeout=TICK_SECONDS)
                self.wake.clear()
                try:
                    await self.pass_once(wait=False)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - the next tick tries again; nothing is lost
                    log.warning("webhook sending failed, will retry: %r", exc)
        finally:
            for task in self._tasks:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def pass_once(self, *, at: datetime | None = None, wait: bool = True) -> int:
        """Claim what is due (as of `at`) and send it; how many were claimed. With `wait`, return
        once every one is recorded."""
        claimed = await self._claim(at or now())
        for held, _ in claimed:
            self._in_flight[held.subscription_id] = self._in_flight.get(held.subscription_id, 0) + 1
        sends = [self._send(held, target, at=at) for held, target in claimed]
        if wait:
            await asyncio.gather(*sends)
        else:
            for send in sends:
                task = asyncio.create_task(send)
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        return len(claimed)

    async def _claim(self, moment: datetime) -> list[tuple[WebhookDelivery, Target]]:
        cap = self.settings.webhook_concurrency_per_subscription
        claimed: list[tuple[WebhookDelivery, Target]] = []
        box = box_of(self.rt)
        async with self.rt.unit_of_work() as uow:
            for subscription_id in await _due_subscriptions(uow.session, moment, limit=max(self.free, 0)):
                room = min(cap - self._in_flight.get(subscription_id, 0), self.free - len(claimed))
                if room <= 0:
                    continue
                subscription = await uow.session.get(WebhookSubscription, subscription_id)
                query = (
                    select(WebhookDelivery)
                    .where(_due(moment), WebhookDelivery.subscription_id == subscription_id)
                    .order_by(col(WebhookDelivery.next_attempt_at))
                    .limit(room)
                    .with_for_update(skip_locked=True)
                )
                for row in (await uow.session.exec(query)).all():
                    row.attempts += 1
                    row.lease_until = moment + timedelta(seconds=self.settings.webhook_lease_seconds)
                    uow.session.add(row)
                    claimed.append((row, self._target(box, subscription)))
        return claimed

    @staticmethod
    def _target(box: SecretBox, subscription: WebhookSubscription | None) -> Target:
        if subscription is None:
            return Target(url="", secret="")
        try:
            secret = box.open(subscription.secret).get("secret", "")
        except ValueError:
            secret = ""
        return Target(url=subscription.url, secret=secret)

    async def _send(self, held: WebhookDelivery, target: Target, *, at: datetime | None) -> None:
        try:
            code, error, wait = await self._post(held, target)
            await self._record(held, code=code, error=error, wait=wait, at=at)
        finally:
            self._in_flight[held.subscription_id] -= 1
            if not self._in_flight[held.subscription_id]:
                del self._in_flight[held.subscription_id]

    async def _post(
        self, held: WebhookDelivery, target: Target
    ) -> tuple[int | None, str | None, float | None]:
        """POST a delivery; the status code, the error (None when taken), and the Retry-After."""
        if not target.secret:
            return None, "the subscription's secret cannot be read (deleted, or the key changed)", None
        try:
            response = await self.http.post(
                target.url,
                content=held.body.encode(),
                # Signed with the wall clock (not a pass's `at`): receivers check it against theirs.
                headers=headers_for(held, target.secret, int(time.time())),
                timeout=self.settings.webhook_timeout_seconds,
            )
        except Exception as exc:  # noqa: BLE001 - a timeout, no connection, a refused address: try again later
            return None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR], None
        if response.is_success:
            return response.status_code, None, None
        error = f"HTTP {response.status_code}: {response.text[:MAX_ERROR]}"
        return response.status_code, error, retry_after(response)

    async def _record(
        self,
        held: WebhookDelivery,
        *,
        code: int | None,
        error: str | None,
        wait: float | None,
        at: datetime | None,
    ) -> None:
        moment = at or now()
        async with self.rt.unit_of_work() as uow:
            query = select(WebhookDelivery).where(WebhookDelivery.id == held.id).with_for_update()
            row = (await uow.session.exec(query)).first()
            if row is None or row.status != PENDING or row.attempts != held.attempts:
                return  # deleted, or another process took over after our lease ran out
            row.lease_until, row.last_status_code, row.last_error = None, code, error
            if error is None:
                row.status, row.delivered_at, row.next_attempt_at = DELIVERED, moment, None
            else:
                retry_at = moment + timedelta(seconds=self.backoff.delay(row.attempts, wait))
                since = row.replayed_at or row.created_at
                if retry_at > since + timedelta(seconds=self.settings.webhook_retry_for_seconds):
                    row.status, row.next_attempt_at = DEAD, None
                else:
                    row.next_attempt_at = retry_at
            uow.session.add(row)


def sender(rt: Runtime) -> Sender:
    """The runtime's webhook sender."""
    found = rt.state["webhook_sender"]
    assert isinstance(found, Sender)
    return found


async def start(rt: Runtime, http: httpx.AsyncClient) -> None:
    """Start the runtime's webhook sender."""
    rt.state["webhook_sender"] = worker = Sender(rt, http)
    rt.state["webhook_task"] = asyncio.create_task(worker.run())


async def stop(rt: Runtime) -> None:
    """Stop the sender; what it held is sent again by any process once the lease runs out."""
    task: asyncio.Task[None] | None = rt.state.pop("webhook_task", None)
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
