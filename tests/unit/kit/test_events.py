"""The event contract in code: CloudEvents binary headers around a protobuf body, and back."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from google.protobuf.message import Message
from webcare.v1 import common_pb2, messages_pb2

from services.kit.bus.base import Record
from services.kit.errors import PermanentEventError
from services.kit.events import BY_MESSAGE, MESSAGE_RECEIVED, decode, encode, new_event, timestamp

RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def received(**fields: object) -> messages_pb2.MessageReceived:
    """A MessageReceived with a fixed time."""
    event = messages_pb2.MessageReceived(
        event_id="01J0000000000000000000EVT1",
        tenant_id="acme",
        occurred_at=timestamp(datetime(2026, 11, 23, 13, 21, 0, 250000, tzinfo=UTC)),
        message_id="msg-1",
        channel="x",
        conversation_key="x:thread-7",
        text="Wo bleibt meine Rechnung? 🧾",
        is_public=True,
    )
    event.MergeFrom(messages_pb2.MessageReceived(**fields))  # type: ignore[arg-type]
    return event


def with_header(record: Record, name: str, value: bytes | None) -> Record:
    """The record with one header replaced (or removed when `value` is None)."""
    kept = tuple((k, v) for k, v in record.headers if k != name)
    return replace(record, headers=kept if value is None else (*kept, (name, value)))


def test_encode_sets_the_cloudevents_binary_headers() -> None:
    record = encode(received(), source="ingest", key="x:thread-7")

    assert record.topic == MESSAGE_RECEIVED
    assert record.key == b"x:thread-7"
    headers = dict(record.headers)
    assert len(headers) == len(record.headers), "no header twice"
    assert headers == {
        "ce_specversion": b"1.0",
        "ce_id": b"01J0000000000000000000EVT1",
        "ce_type": b"webcare.message.received.v1",
        "ce_source": b"/webcare/ingest",
        "ce_time": b"2026-11-23T13:21:00.250000Z",
        "ce_tenant": b"acme",
        "content-type": b"application/protobuf",
    }


def test_ce_time_is_rfc3339_in_utc_with_a_z() -> None:
    event = new_event(messages_pb2.MessageReceived, tenant_id="acme", message_id="m")
    ce_time = encode(event, source="ingest", key="k").header("ce_time")

    assert ce_time is not None
    assert RFC3339_UTC.match(ce_time), ce_time
    parsed = datetime.fromisoformat(ce_time.replace("Z", "+00:00"))
    assert parsed == event.occurred_at.ToDatetime(tzinfo=UTC)


@pytest.mark.parametrize("message", list(BY_MESSAGE), ids=lambda m: m.__name__)
def test_every_registered_event_has_a_versioned_type_and_round_trips(message: type[Message]) -> None:
    event = new_event(message, tenant_id="acme")
    record = encode(event, source="routing", key="conv-9")
    ce_type = record.header("ce_type")

    assert ce_type is not None
    assert re.fullmatch(r"webcare\.[a-z_]+\.[a-z_]+\.v\d+", ce_type), ce_type
    assert record.topic.startswith("webcare.")
    assert decode(record) == event


def test_decode_round_trips_the_event() -> None:
    event = received(author=common_pb2.Author(external_id="a-1", handle="@kunde"))

    decoded = decode(encode(event, source="ingest", key="k"))

    assert isinstance(decoded, messages_pb2.MessageReceived)
    assert decoded == event
    assert decoded.text == "Wo bleibt meine Rechnung? 🧾"


def test_decode_tolerates_fields_a_newer_producer_added() -> None:
    record = encode(received(), source="ingest", key="k")
    unknown_field_99 = b"\x98\x06\x01"  # field 99, varint 1

    decoded = decode(replace(record, value=record.value + unknown_field_99))

    assert isinstance(decoded, messages_pb2.MessageReceived)
    assert decoded.message_id == "msg-1"


def test_decode_returns_none_for_an_unknown_event_type() -> None:
    record = encode(received(), source="ingest", key="k")

    assert decode(with_header(record, "ce_type", b"webcare.message.teleported.v1")) is None
    assert decode(with_header(record, "ce_type", b"webcare.message.received.v2")) is None


def test_decode_rejects_a_body_that_is_not_protobuf() -> None:
    record = replace(encode(received(), source="ingest", key="k"), value=b"\xff\xff\xff not protobuf")

    with pytest.raises(PermanentEventError, match="not a valid MessageReceived"):
        decode(record)


def test_decode_rejects_a_record_without_ce_type() -> None:
    record = with_header(encode(received(), source="ingest", key="k"), "ce_type", None)

    with pytest.raises(PermanentEventError, match="ce_type"):
        decode(record)


@pytest.mark.parametrize("missing", ["event_id", "tenant_id"])
def test_decode_rejects_an_event_without_event_id_or_tenant(missing: str) -> None:
    record = encode(received(), source="ingest", key="k")
    event = messages_pb2.MessageReceived.FromString(record.value)
    event.ClearField(missing)

    with pytest.raises(PermanentEventError, match="without event_id or tenant_id"):
        decode(replace(record, value=event.SerializeToString()))


def test_decode_rejects_a_body_of_another_content_type() -> None:
    record = with_header(encode(received(), source="ingest", key="k"), "content-type", b"application/json")

    with pytest.raises(PermanentEventError, match="content-type"):
        decode(record)


def test_encode_refuses_a_message_that_is_not_a_registered_event() -> None:
    with pytest.raises(TypeError, match="not a registered event"):
        encode(common_pb2.Author(external_id="a-1"), source="ingest", key="k")
