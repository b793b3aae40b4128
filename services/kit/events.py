"""The event contract in code: topics, CloudEvents headers, and protobuf encoding."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from google.protobuf.message import DecodeError, Message
from google.protobuf.timestamp_pb2 import Timestamp
from webcare.v1 import (
    api_keys_pb2,
    conversations_pb2,
    customers_pb2,
    feedback_pb2,
    messages_pb2,
    replies_pb2,
)

from services.kit.bus.base import Record
from services.kit.errors import PermanentEventError
from services.kit.ids import new_id

MESSAGE_RECEIVED = "webcare.message.received"
MESSAGE_CLASSIFIED = "webcare.message.classified"
CONVERSATION_EVENTS = "webcare.conversation.events"
REPLY_EVENTS = "webcare.reply.events"
API_KEY_EVENTS = "webcare.apikey.events"
FEEDBACK_EVENTS = "webcare.feedback.events"
CUSTOMER_EVENTS = "webcare.customer.events"

CONTENT_TYPE = "application/protobuf"
SPEC_VERSION = "1.0"


@dataclass(frozen=True)
class EventType:
    """One kind of event: its protobuf message, CloudEvents type and topic."""

    message: type[Message]
    ce_type: str
    topic: str


_TYPES = [
    EventType(messages_pb2.MessageReceived, "webcare.message.received.v1", MESSAGE_RECEIVED),
    EventType(messages_pb2.MessageClassified, "webcare.message.classified.v1", MESSAGE_CLASSIFIED),
    EventType(conversations_pb2.ConversationOpened, "webcare.conversation.opened.v1", CONVERSATION_EVENTS),
    EventType(
        conversations_pb2.ConversationMessageAdded,
        "webcare.conversation.message_added.v1",
        CONVERSATION_EVENTS,
    ),
    EventType(conversations_pb2.ConversationOffered, "webcare.conversation.offered.v1", CONVERSATION_EVENTS),
    EventType(
        conversations_pb2.ConversationAssigned, "webcare.conversation.assigned.v1", CONVERSATION_EVENTS
    ),
    EventType(
        conversations_pb2.ConversationEscalated, "webcare.conversation.escalated.v1", CONVERSATION_EVENTS
    ),
    EventType(
        conversations_pb2.ConversationTransferred, "webcare.conversation.transferred.v1", CONVERSATION_EVENTS
    ),
    EventType(
        conversations_pb2.ConversationReopened, "webcare.conversation.reopened.v1", CONVERSATION_EVENTS
    ),
    EventType(
        conversations_pb2.ConversationResolved, "webcare.conversation.resolved.v1", CONVERSATION_EVENTS
    ),
    EventType(
        conversations_pb2.ConversationFirstResponded,
        "webcare.conversation.first_responded.v1",
        CONVERSATION_EVENTS,
    ),
    EventType(replies_pb2.ReplySent, "webcare.reply.sent.v1", REPLY_EVENTS),
    EventType(replies_pb2.ReplyFailed, "webcare.reply.failed.v1", REPLY_EVENTS),
    EventType(replies_pb2.DeliveryReceipt, "webcare.reply.delivery_receipt.v1", REPLY_EVENTS),
    EventType(replies_pb2.ReplyDelivered, "webcare.reply.delivered.v1", REPLY_EVENTS),
    EventType(replies_pb2.ReplyReviewed, "webcare.reply.reviewed.v1", REPLY_EVENTS),
    EventType(feedback_pb2.SurveyAnswered, "webcare.feedback.survey_answered.v1", FEEDBACK_EVENTS),
    EventType(customers_pb2.CustomerErased, "webcare.customer.erased.v1", CUSTOMER_EVENTS),
    EventType(customers_pb2.CustomerMessagesErased, "webcare.customer.messages_erased.v1", CUSTOMER_EVENTS),
    EventType(customers_pb2.CustomerExportRequested, "webcare.customer.export_requested.v1", CUSTOMER_EVENTS),
    EventType(customers_pb2.CustomerDataExported, "webcare.customer.data_exported.v1", CUSTOMER_EVENTS),
    EventType(api_keys_pb2.ApiKeyIssued, "webcare.apikey.issued.v1", API_KEY_EVENTS),
    EventType(api_keys_pb2.ApiKeyRevoked, "webcare.apikey.revoked.v1", API_KEY_EVENTS),
]
BY_MESSAGE: dict[type[Message], EventType] = {t.message: t for t in _TYPES}
BY_CE_TYPE: dict[str, EventType] = {t.ce_type: t for t in _TYPES}
TOPICS: tuple[str, ...] = tuple(dict.fromkeys(t.topic for t in _TYPES))
COMPACTED_TOPICS = frozenset({API_KEY_EVENTS})

M = TypeVar("M", bound=Message)


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def timestamp(value: datetime) -> Timestamp:
    """A protobuf Timestamp for an aware datetime."""
    ts = Timestamp()
    ts.FromDatetime(value.astimezone(UTC))
    return ts


def to_datetime(value: Timestamp) -> datetime:
    """An aware UTC datetime for a protobuf Timestamp."""
    return value.ToDatetime(tzinfo=UTC)


def rfc3339(value: datetime) -> str:
    """RFC 3339 in UTC with a Z, as the API speaks it."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def new_event(cls: type[M], *, tenant_id: str, **fields: Any) -> M:
    """A new event of `cls` with a fresh event id and the current time."""
    make: Callable[..., M] = cls  # generated classes take their fields as keywords; the base does not
    return make(event_id=new_id(), tenant_id=tenant_id, occurred_at=timestamp(now()), **fields)


def encode(event: Message, *, source: str, key: str) -> Record:
    """The Kafka record for an event: CloudEvents binary mode with a protobuf body."""
    kind = BY_MESSAGE.get(type(event))
    if kind is None:
        raise TypeError(f"{type(event).__name__} is not a registered event")
    fields: Any = event
    headers = (
        ("ce_specversion", SPEC_VERSION.encode()),
        ("ce_id", fields.event_id.encode()),
        ("ce_type", kind.ce_type.encode()),
        ("ce_source", f"/webcare/{source}".encode()),
        ("ce_time", rfc3339(to_datetime(fields.occurred_at)).encode()),
        ("ce_tenant", fields.tenant_id.encode()),
        ("content-type", CONTENT_TYPE.encode()),
    )
    return Record(topic=kind.topic, key=key.encode(), value=event.SerializeToString(), headers=headers)


def message_type(record: Record) -> type[Message] | None:
    """The protobuf message a record holds, from its headers alone; None for an event type this
    version does not know."""
    ce_type = record.header("ce_type")
    if ce_type is None:
        raise PermanentEventError("record has no ce_type header")
    kind = BY_CE_TYPE.get(ce_type)
    return None if kind is None else kind.message


def decode(record: Record) -> Message | None:
    """The event in a record; None for an event type this version does not know."""
    ce_type = record.header("ce_type")
    if ce_type is None:
        raise PermanentEventError("record has no ce_type header")
    kind = BY_CE_TYPE.get(ce_type)
    if kind is None:
        return None
    content_type = record.header("content-type")
    if content_type not in (None, CONTENT_TYPE):
        raise PermanentEventError(f"content-type {content_type!r} is not {CONTENT_TYPE}")
    event = kind.message()
    try:
        event.ParseFromString(record.value)
    except DecodeError as exc:
        raise PermanentEventError(f"body is not a valid {kind.message.__name__}: {exc}") from exc
    fields: Any = event
    if not fields.event_id or not fields.tenant_id:
        raise PermanentEventError(f"{kind.message.__name__} without event_id or tenant_id")
    return event
