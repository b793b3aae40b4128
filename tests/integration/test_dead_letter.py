"""A service consumer on real Kafka parks what it can never handle on `<topic>.dlq`, and goes on."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import select
from sqlmodel import col
from webcare.v1 import messages_pb2

from services.kit.auth import KeyStore
from services.kit.bus.base import DLQ_SUFFIX, Record, RetryPolicy
from services.kit.bus.kafka import KafkaBus, KafkaConfig
from services.kit.config import KitSettings
from services.kit.db import Database, is_transient
from services.kit.events import encode, new_event
from services.kit.migrate import upgrade
from services.kit.runtime import Runtime
from services.kit.uow import OutboxRelay
from services.reporting.models import MessageFact
from services.reporting.spec import spec as reporting_spec


@pytest.fixture
def topic(unique: str) -> str:
    """The topic reporting reads in this test, in place of webcare.message.received."""
    return f"test.dlq.received.{unique}"


@pytest.fixture
async def reporting(
    kafka_bootstrap: str, pg_database_url: str, unique: str, topic: str
) -> AsyncIterator[Runtime]:
    """Reporting's real consumer on Kafka and PostgreSQL, reading `topic` in a group of its own."""
    spec = reporting_spec()
    consumers = tuple(
        replace(c, name=f"{c.name}-{unique}", topics=(topic,)) for c in spec.consumers if c.name == "facts"
    )
    spec = replace(spec, consumers=consumers)
    settings = KitSettings(database_url=pg_database_url)
    policy = RetryPolicy(attempts=3, backoff_seconds=0.01, is_transient=is_transient)
    bus = KafkaBus(KafkaConfig(bootstrap=kafka_bootstrap), policy=policy)
    db = Database(settings.database_url_for(spec.name), pool_size=4)
    await upgrade(spec, db)
    relay = OutboxRelay(service=spec.name, db=db, bus=bus)
    runtime = Runtime(spec=spec, settings=settings, bus=bus, db=db, keys=KeyStore(), relay=relay)
    runtime.subscribe()
    await bus.start()
    try:
        yield runtime
    finally:
        await bus.stop()
        await db.close()


def _message(topic: str, message_id: str) -> Record:
    event = new_event(
        messages_pb2.MessageReceived,
        tenant_id="acme",
        message_id=message_id,
        channel="x",
        conversation_key="x:thread-1",
        text="Hallo?",
    )
    return replace(encode(event, source="ingest", key="x:thread-1"), topic=topic)


def _with_header(record: Record, name: str, value: bytes | None) -> Record:
    kept = tuple((k, v) for k, v in record.headers if k != name)
    return replace(record, headers=kept if value is None else (*kept, (name, value)))


async def _facts(db: Database) -> list[str]:
    async with db.engine.connect() as conn:
        return list((await conn.execute(select(col(MessageFact.message_id)))).scalars())


async def _read_all(bootstrap: str, topic: str) -> list[Record]:
    """Every record a topic holds now, read with a plain Kafka client."""
    consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        tps = sorted(consumer.assignment())
        assert tps, f"{topic} has no partitions"
        ends = await consumer.end_offsets(tps)
        found: list[Record] = []
        while not all([await consumer.position(tp) >= ends[tp] for tp in tps]):
            for messages in (await consumer.getmany(timeout_ms=500)).values():
                found.extend(
                    Record(m.topic, m.key, m.value or b"", tuple(m.headers), m.partition, m.offset)
                    for m in messages
                )
        return found
    finally:
        await consumer.stop()


async def test_an_undecodable_event_is_dead_lettered_with_its_reason_and_later_events_are_handled(
    reporting: Runtime, kafka_bootstrap: str, topic: str
) -> None:
    group = reporting.bus.subscriptions[0].group
    first = _message(topic, "msg-before")
    garbage = replace(_message(topic, "msg-garbage"), value=b"\xff\xff not protobuf")
    no_type = _with_header(_message(topic, "msg-no-type"), "ce_type", None)
    unknown = _with_header(_message(topic, "msg-unknown"), "ce_type", b"webcare.message.teleported.v1")
    last = _message(topic, "msg-after")
    # One key, so one partition: the records are handled in this order.
    await reporting.bus.publish(first, garbage, no_type, unknown, last)

    deadline = time.monotonic() + 20
    while "msg-after" not in await _facts(reporting.db):
        assert time.monotonic() < deadline, "the record after the poison ones was not handled"
        await asyncio.sleep(0.05)

    assert sorted(await _facts(reporting.db)) == ["msg-after", "msg-before"]
    dead = await _read_all(kafka_bootstrap, topic + DLQ_SUFFIX)
    assert [r.value for r in dead] == [garbage.value, no_type.value]  # the unknown type is skipped
    assert all(r.key == b"x:thread-1" for r in dead)

    parked = dead[0]
    reason = parked.header("webcare_error") or ""
    assert reason.startswith("PermanentEventError: body is not a valid MessageReceived"), reason
    assert parked.header("webcare_error_type") == "PermanentEventError"
    assert parked.header("webcare_attempts") == "1"
    assert parked.header("webcare_original_topic") == topic
    assert parked.header("webcare_consumer_group") == group
    assert parked.header("ce_id") == garbage.header("ce_id")
    assert parked.header("ce_type") == "webcare.message.received.v1"
    assert parked.header("traceparent") is not None

    assert "no ce_type header" in (dead[1].header("webcare_error") or "")
