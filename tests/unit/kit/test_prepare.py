"""A consumer's batch preparation runs once for the new events of a batch, and handlers see its results."""

from __future__ import annotations

import pathlib
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import MetaData, event
from webcare.v1 import messages_pb2

from services.kit.auth import KeyStore
from services.kit.bus.base import Record, Subscription
from services.kit.bus.memory import MemoryBus
from services.kit.config import KitSettings
from services.kit.db import Database, add_kit_tables
from services.kit.events import MESSAGE_RECEIVED, encode, new_event
from services.kit.runtime import Consumer, Runtime, ServiceSpec
from services.kit.uow import OutboxRelay, UnitOfWork


def received(message_id: str) -> messages_pb2.MessageReceived:
    return new_event(messages_pb2.MessageReceived, tenant_id="t", message_id=message_id, conversation_key="k")


async def subscribed(tmp_path: pathlib.Path, consumer: Consumer) -> tuple[Database, Subscription]:
    """A service with this one consumer, on a fresh SQLite database and a memory bus: its database and
    the consumer's subscription."""
    metadata = MetaData()
    add_kit_tables(metadata)
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/kit.db")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    spec = ServiceSpec(name="svc", router=APIRouter, metadata=metadata, consumers=(consumer,))
    bus = MemoryBus()
    runtime = Runtime(
        spec=spec,
        settings=KitSettings(),
        bus=bus,
        db=db,
        keys=KeyStore(),
        relay=OutboxRelay(service="svc", db=db, bus=bus),
    )
    runtime.subscribe()
    (subscription,) = bus.subscriptions
    return db, subscription


async def test_prepare_runs_once_per_batch_for_new_events_and_handlers_see_its_results(
    tmp_path: pathlib.Path,
) -> None:
    prepared_batches: list[list[str]] = []
    seen_by_handler: list[tuple[str, Any]] = []

    async def prepare(rt: Runtime, uow: UnitOfWork, events: Sequence[Any]) -> Mapping[str, Any]:
        prepared_batches.append([e.message_id for e in events])
        return {e.event_id: e.message_id.upper() for e in events}

    async def handle(rt: Runtime, uow: UnitOfWork, event: messages_pb2.MessageReceived) -> None:
        seen_by_handler.append((event.message_id, uow.prepared.get(event.event_id)))

    consumer = Consumer(
        name="c",
        topics=(MESSAGE_RECEIVED,),
        handlers={messages_pb2.MessageReceived: handle},
        prepare={messages_pb2.MessageReceived: prepare},
    )
    db, subscription = await subscribed(tmp_path, consumer)
    assert subscription.batch_handler is not None
    records = [encode(received(f"m{i}"), source="t", key="k") for i in range(3)]
    await subscription.handler(records[0])

    await subscription.batch_handler([*records, records[1]])

    assert prepared_batches == [["m0"], ["m1", "m2"]]
    assert seen_by_handler == [("m0", "M0"), ("m1", "M1"), ("m2", "M2")]
    await db.close()


async def test_records_no_handler_wants_are_skipped_unread_and_open_no_transaction(
    tmp_path: pathlib.Path,
) -> None:
    """A consumer group reads every event of its topics; those of types it has no handler for are
    skipped by their ce_type header, their bodies never parsed, and a batch of only those touches no
    database (reply's receipts group reads every ReplySent it sends)."""
    handled: list[str] = []

    async def handle(rt: Runtime, uow: UnitOfWork, event: messages_pb2.MessageReceived) -> None:
        handled.append(event.message_id)

    consumer = Consumer(name="c", topics=(MESSAGE_RECEIVED,), handlers={messages_pb2.MessageReceived: handle})
    db, subscription = await subscribed(tmp_path, consumer)
    assert subscription.batch_handler is not None
    other = encode(
        new_event(messages_pb2.MessageClassified, tenant_id="t", message_id="m9"), source="t", key="k"
    )
    unreadable = Record(
        topic=other.topic, key=other.key, value=b"\xff\xff not protobuf", headers=other.headers
    )
    transactions = 0

    def count(*_: Any) -> None:
        nonlocal transactions
        transactions += 1

    event.listen(db.engine.sync_engine, "begin", count)
    await subscription.batch_handler([other, unreadable])
    assert (transactions, handled) == (0, [])  # nothing parsed, nothing opened

    await subscription.batch_handler([other, encode(received("m1"), source="t", key="k"), unreadable])
    assert (transactions, handled) == (1, ["m1"])
    await db.close()
