"""Handlers take effect once per event id, and events leave through the outbox only after a commit.

Real services (reporting, classify) on PostgreSQL, wired by a Runtime as the app wires them, on an
in-memory bus whose records the tests read back.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

import pytest
from google.protobuf.message import Message
from sqlalchemy import Table, func, select
from webcare.v1 import messages_pb2

from services.classify.models import MessageClassification
from services.classify.spec import spec as classify_spec
from services.kit.auth import KeyStore
from services.kit.bus.base import Record, RetryPolicy
from services.kit.bus.memory import MemoryBus
from services.kit.config import KitSettings
from services.kit.db import Database, inbox, outbox
from services.kit.errors import PermanentEventError, Unavailable
from services.kit.events import MESSAGE_CLASSIFIED, MESSAGE_RECEIVED, decode, encode, new_event, now
from services.kit.migrate import upgrade
from services.kit.runtime import EventHandler, Runtime, ServiceSpec
from services.kit.uow import OutboxRelay, UnitOfWork
from services.reporting.models import MessageFact
from services.reporting.spec import spec as reporting_spec

REPORTING_GROUP = "webcare-reporting-facts"
CLASSIFY_GROUP = "webcare-classify-classifier"


class SwitchableBus(MemoryBus):
    """An in-memory bus that can be made unreachable."""

    down = False

    async def send(self, records: Sequence[Record]) -> None:
        """Fail like an unreachable broker while `down`."""
        if self.down:
            raise ConnectionError("broker unreachable")
        await super().send(records)

    def published(self, topic: str) -> list[Record]:
        """Every record on a topic, partition by partition."""
        return [r for part in self.broker.logs.get(topic, []) for r in part]


@pytest.fixture
def bus() -> SwitchableBus:
    """The bus of the runtimes under test."""
    return SwitchableBus(policy=RetryPolicy(attempts=3, backoff_seconds=0.01))


StartRuntime = Callable[[ServiceSpec], Awaitable[Runtime]]


@pytest.fixture
async def runtime_for(pg_database_url: str, bus: SwitchableBus) -> AsyncIterator[StartRuntime]:
    """Starts Runtimes of specs on fresh PostgreSQL databases, as the app does (without HTTP)."""
    started: list[Runtime] = []

    async def start(spec: ServiceSpec) -> Runtime:
        settings = KitSettings(database_url=pg_database_url, handler_backoff_seconds=0.01)
        db = Database(settings.database_url_for(spec.name), pool_size=8)
        await upgrade(spec, db)
        # The relay's timer is not started: each test decides when the outbox is flushed.
        relay = OutboxRelay(service=spec.name, db=db, bus=bus, interval_seconds=3600)
        runtime = Runtime(spec=spec, settings=settings, bus=bus, db=db, keys=KeyStore(), relay=relay)
        started.append(runtime)
        for hook in spec.on_start:
            await hook(runtime)
        runtime.subscribe()
        return runtime

    yield start
    for runtime in started:
        for hook in runtime.spec.on_stop:
            await hook(runtime)
        await runtime.db.close()


GATE_SECONDS = 2.0


def counted(spec: ServiceSpec, calls: Counter[str], gate: asyncio.Barrier | None = None) -> ServiceSpec:
    """The spec with every handler counting its calls by event id (and waiting at `gate`, if given)."""

    def wrap(handler: EventHandler) -> EventHandler:
        async def counting(rt: Runtime, uow: UnitOfWork, event: Any) -> None:
            calls[event.event_id] += 1
            if gate is not None:
                # Both deliveries meet here, unless the first holds a row lock the second waits for
                # (reporting locks the facts a batch changes): then each goes on after a moment.
                with contextlib.suppress(TimeoutError, asyncio.BrokenBarrierError):
                    await asyncio.wait_for(gate.wait(), GATE_SECONDS)
            await handler(rt, uow, event)

        return counting

    consumers = tuple(
        replace(c, handlers={t: wrap(h) for t, h in c.handlers.items()}) for c in spec.consumers
    )
    return replace(spec, consumers=consumers)


def dispatcher(runtime: Runtime, group: str) -> Callable[[Record], Awaitable[None]]:
    """The handler the runtime registered on the bus for a consumer group."""
    (subscription,) = [s for s in runtime.bus.subscriptions if s.group == group]
    return subscription.handler


async def count(db: Database, table: Table | type[Any]) -> int:
    """Rows in a table."""
    async with db.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def inbox_rows(db: Database) -> list[tuple[str, str]]:
    """(consumer, event id) of every inbox row."""
    async with db.engine.connect() as conn:
        rows = (await conn.execute(select(inbox.c.consumer, inbox.c.event_id))).all()
    return [(consumer, event_id) for consumer, event_id in rows]


def received(message_id: str = "msg-1", text: str = "Wo bleibt meine Rechnung?") -> Record:
    """The record ingest publishes for a received message."""
    event = new_event(
        messages_pb2.MessageReceived,
        tenant_id="acme",
        message_id=message_id,
        channel="x",
        conversation_key=f"x:{message_id}",
        text=text,
        is_public=True,
    )
    return encode(event, source="ingest", key=event.conversation_key)


async def test_a_redelivered_event_is_handled_once(runtime_for: StartRuntime) -> None:
    calls: Counter[str] = Counter()
    runtime = await runtime_for(counted(reporting_spec(), calls))
    dispatch = dispatcher(runtime, REPORTING_GROUP)
    record = received()

    await dispatch(record)
    await dispatch(record)

    event_id = record.header("ce_id")
    assert event_id is not None
    assert calls == {event_id: 1}
    assert await count(runtime.db, MessageFact) == 1
    assert await inbox_rows(runtime.db) == [(REPORTING_GROUP, event_id)]


async def test_a_batch_handles_each_event_once_even_when_it_repeats_or_came_before(
    runtime_for: StartRuntime,
) -> None:
    calls: Counter[str] = Counter()
    runtime = await runtime_for(counted(reporting_spec(), calls))
    (subscription,) = [s for s in runtime.bus.subscriptions if s.group == REPORTING_GROUP]
    assert subscription.batch_handler is not None
    earlier, first, second = received("msg-0"), received("msg-1"), received("msg-2")
    await subscription.handler(earlier)

    await subscription.batch_handler([earlier, first, second, first])

    assert sorted(calls.values()) == [1, 1, 1]
    assert await count(runtime.db, MessageFact) == 3
    assert len(await inbox_rows(runtime.db)) == 3


async def test_a_batch_that_fails_changes_nothing(runtime_for: StartRuntime) -> None:
    runtime = await runtime_for(reporting_spec())
    (subscription,) = [s for s in runtime.bus.subscriptions if s.group == REPORTING_GROUP]
    assert subscription.batch_handler is not None
    garbage = replace(received("msg-9"), value=b"\xff not protobuf")

    with pytest.raises(PermanentEventError):
        await subscription.batch_handler([received("msg-1"), garbage])

    assert await count(runtime.db, MessageFact) == 0
    assert await inbox_rows(runtime.db) == []


async def test_two_deliveries_of_one_event_at_the_same_time_take_effect_once(
    runtime_for: StartRuntime,
) -> None:
    calls: Counter[str] = Counter()
    # Both deliveries pass the inbox check before either commits: the database decides.
    runtime = await runtime_for(counted(reporting_spec(), calls, gate=asyncio.Barrier(2)))
    dispatch = dispatcher(runtime, REPORTING_GROUP)
    record = received()

    await asyncio.gather(dispatch(record), dispatch(record))

    event_id = record.header("ce_id")
    assert calls == {event_id: 2}
    assert await count(runtime.db, MessageFact) == 1
    assert await inbox_rows(runtime.db) == [(REPORTING_GROUP, event_id)]


async def test_classify_emits_one_message_classified_for_a_redelivered_message(
    runtime_for: StartRuntime, bus: SwitchableBus
) -> None:
    runtime = await runtime_for(classify_spec())
    dispatch = dispatcher(runtime, CLASSIFY_GROUP)
    record = received(text="Das ist eine Frechheit, mein Paket ist kaputt!")

    await dispatch(record)
    await dispatch(record)

    classified = bus.published(MESSAGE_CLASSIFIED)
    assert len(classified) == 1
    event = decode(classified[0])
    assert isinstance(event, messages_pb2.MessageClassified)
    assert (event.message_id, event.tenant_id) == ("msg-1", "acme")
    assert classified[0].header("ce_source") == "/webcare/classify"
    assert await count(runtime.db, MessageClassification) == 1
    assert await count(runtime.db, outbox) == 0
    assert await inbox_rows(runtime.db) == [(CLASSIFY_GROUP, record.header("ce_id"))]


def _event(message_id: str) -> messages_pb2.MessageReceived:
    return new_event(messages_pb2.MessageReceived, tenant_id="acme", message_id=message_id)


def _decoded(records: list[Record]) -> list[Message | None]:
    return [decode(r) for r in records]


async def test_events_of_a_unit_of_work_that_raises_are_never_published(
    runtime_for: StartRuntime, bus: SwitchableBus
) -> None:
    runtime = await runtime_for(reporting_spec())

    async def failing_work() -> None:
        async with runtime.unit_of_work() as uow:
            uow.session.add(MessageFact(message_id="m1", tenant_id="acme", channel="x", received_at=now()))
            uow.emit(_event("m1"), key="k")
            raise RuntimeError("business rule broken")

    with pytest.raises(RuntimeError, match="business rule broken"):
        await failing_work()

    assert bus.published(MESSAGE_RECEIVED) == []
    assert await count(runtime.db, outbox) == 0
    assert await count(runtime.db, MessageFact) == 0


async def test_events_of_a_committed_unit_of_work_are_published_and_leave_the_outbox(
    runtime_for: StartRuntime, bus: SwitchableBus
) -> None:
    runtime = await runtime_for(reporting_spec())
    first, second = _event("m1"), _event("m2")

    async with runtime.unit_of_work() as uow:
        uow.emit(first, key="conv-1")
        uow.emit(second, key="conv-1")

    published = bus.published(MESSAGE_RECEIVED)
    assert _decoded(published) == [first, second]
    assert [r.key for r in published] == [b"conv-1", b"conv-1"]
    assert [r.header("ce_id") for r in published] == [first.event_id, second.event_id]
    assert await count(runtime.db, outbox) == 0


async def test_events_wait_in_the_outbox_while_the_bus_is_down_and_leave_with_a_later_flush(
    runtime_for: StartRuntime, bus: SwitchableBus
) -> None:
    runtime = await runtime_for(reporting_spec())
    events = [_event(f"m{i}") for i in range(3)]
    bus.down = True

    for event in events:  # each commit succeeds; publishing right after it fails
        async with runtime.unit_of_work() as uow:
            uow.emit(event, key="conv-1")

    assert await runtime.relay.pending() == 3
    assert bus.published(MESSAGE_RECEIVED) == []
    with pytest.raises(ConnectionError):
        await runtime.relay.flush()
    assert await runtime.relay.pending() == 3

    bus.down = False
    assert await runtime.relay.flush() == 3

    assert _decoded(bus.published(MESSAGE_RECEIVED)) == events
    assert await runtime.relay.pending() == 0
    assert await runtime.relay.flush() == 0
    assert len(bus.published(MESSAGE_RECEIVED)) == 3


async def test_must_publish_reports_unavailable_but_keeps_the_committed_event(
    runtime_for: StartRuntime, bus: SwitchableBus
) -> None:
    runtime = await runtime_for(reporting_spec())
    event = _event("m1")
    bus.down = True

    async def accept() -> None:
        async with runtime.unit_of_work(must_publish=True) as uow:
            uow.session.add(MessageFact(message_id="m1", tenant_id="acme", channel="x", received_at=now()))
            uow.emit(event, key="conv-1")

    with pytest.raises(Unavailable):
        await accept()

    assert await count(runtime.db, MessageFact) == 1
    assert await runtime.relay.pending() == 1
    bus.down = False
    await runtime.relay.flush()
    assert _decoded(bus.published(MESSAGE_RECEIVED)) == [event]


async def test_after_an_outage_new_events_never_overtake_the_ones_still_waiting(
    runtime_for: StartRuntime, bus: SwitchableBus
) -> None:
    runtime = await runtime_for(reporting_spec())
    async with runtime.unit_of_work() as uow:  # the relay drains the outbox: commits publish directly
        uow.emit(_event("m0"), key="conv-1")
    bus.down = True
    async with runtime.unit_of_work() as uow:
        uow.emit(_event("m1"), key="conv-1")
    bus.down = False
    async with runtime.unit_of_work() as uow:
        uow.emit(_event("m2"), key="conv-1")

    published = _decoded(bus.published(MESSAGE_RECEIVED))
    assert [getattr(e, "message_id", None) for e in published] == ["m0", "m1", "m2"]
    assert await runtime.relay.pending() == 0


async def test_events_another_relay_published_first_are_not_published_again(
    runtime_for: StartRuntime, bus: SwitchableBus
) -> None:
    runtime = await runtime_for(reporting_spec())
    await runtime.relay.flush()  # drained: the next commit publishes from memory
    other = OutboxRelay(service="reporting", db=runtime.db, bus=bus, interval_seconds=3600)
    uow_events: list[Record] = []
    async with runtime.db.sessions() as session:  # a commit whose publishing has not started yet
        uow = UnitOfWork(session, source="reporting")
        uow.emit(_event("m1"), key="conv-1")
        await uow.commit()
        uow_events = uow.events
    assert await other.flush() == 1  # e.g. another replica's timer took the row meanwhile
    await runtime.relay.publish(uow_events)

    assert [getattr(e, "message_id", None) for e in _decoded(bus.published(MESSAGE_RECEIVED))] == ["m1"]
    assert await runtime.relay.pending() == 0
