"""What every bus must do, written once and run against each bus (memory in unit, Kafka in integration).

A module that runs the contract imports these tests and defines a `bus_factory` fixture, usually with
`bus_clients`: each call of the factory gives a new, not yet started client of the same broker.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

import pytest
from opentelemetry import trace

from services.kit import telemetry
from services.kit.bus.base import DLQ_SUFFIX, Bus, Record, RetryPolicy
from services.kit.errors import PermanentEventError

__all__ = [  # what `from tests.bus_contract import *` brings: the tests and their fixture
    "test_a_handler_failing_once_gets_the_record_again_and_later_records_still_arrive",
    "test_a_handler_that_keeps_failing_dead_letters_the_record_and_the_consumer_goes_on",
    "test_a_new_client_in_the_group_resumes_after_the_last_successfully_handled_record",
    "test_a_permanent_event_error_is_dead_lettered_at_once",
    "test_a_published_record_reaches_a_subscriber_with_key_value_and_headers_intact",
    "test_a_transient_error_is_retried_beyond_the_attempts_and_never_dead_lettered",
    "test_every_consumer_group_gets_every_record",
    "test_records_arriving_together_are_handled_as_a_batch_and_a_bad_one_alone",
    "test_records_with_the_same_key_arrive_in_publish_order",
    "test_tail_delivers_every_record_from_the_beginning_and_reports_caught_up",
    "topic",
]

WAIT_SECONDS = 20.0


def fast_policy(*, attempts: int = 3, transient: type[BaseException] | None = None) -> RetryPolicy:
    """A retry policy with backoffs short enough for tests."""
    return RetryPolicy(
        attempts=attempts,
        backoff_seconds=0.01,
        is_transient=(lambda exc: isinstance(exc, transient)) if transient else (lambda exc: False),
    )


class BusFactory(Protocol):
    """Makes a new, not yet started client of the broker under test."""

    def __call__(self, *, policy: RetryPolicy | None = None) -> Bus: ...


@asynccontextmanager
async def bus_clients(make: Callable[[RetryPolicy], Bus]) -> AsyncIterator[BusFactory]:
    """A BusFactory over `make` that stops every client it made on exit."""
    made: list[Bus] = []

    def factory(*, policy: RetryPolicy | None = None) -> Bus:
        bus = make(policy or fast_policy())
        made.append(bus)
        return bus

    try:
        yield factory
    finally:
        for bus in made:
            await bus.stop()


@pytest.fixture
def topic(unique: str) -> str:
    """A topic name no other test uses."""
    return f"test.contract.{unique}"


async def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS) -> None:
    """Poll `condition` until it holds; fail the test with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        await asyncio.sleep(0.02)


def _record(topic: str, key: str, value: str, *headers: tuple[str, bytes]) -> Record:
    return Record(topic=topic, key=key.encode(), value=value.encode(), headers=headers)


class Collector:
    """A handler that keeps what it got, and optionally fails for some values."""

    def __init__(
        self, fail: Callable[[Record, int], BaseException | None] | None = None, *, delay: float = 0.0
    ) -> None:
        self.records: list[Record] = []
        self.calls: Counter[bytes] = Counter()
        self._fail = fail
        self._delay = delay

    async def __call__(self, record: Record) -> None:
        self.calls[record.value] += 1
        if self._delay:
            await asyncio.sleep(self._delay)  # a handler with I/O to do
        if self._fail is not None:
            error = self._fail(record, self.calls[record.value])
            if error is not None:
                raise error
        self.records.append(record)

    @property
    def values(self) -> list[str]:
        """The values handled successfully, in the order they were handled."""
        return [r.value.decode() for r in self.records]


async def test_a_published_record_reaches_a_subscriber_with_key_value_and_headers_intact(
    bus_factory: BusFactory, topic: str
) -> None:
    telemetry.setup_tracing("webcare-tests", None)
    got = Collector()
    bus = bus_factory()
    bus.subscribe([topic], f"{topic}.g", got)
    await bus.start()
    headers = (("ce_id", b"evt-1"), ("ce_type", b"webcare.test.v1"), ("x-binary", b"\x00\xff\x01"))
    value = b"\x08\x96\x01 body \x00\xff"
    with trace.get_tracer("tests").start_as_current_span("publishing") as span:
        await bus.publish(Record(topic=topic, key=b"conv-1", value=value, headers=headers))
        trace_id = format(span.get_span_context().trace_id, "032x")

    await wait_until(lambda: len(got.records) == 1, "the record")
    record = got.records[0]
    assert (record.topic, record.key, record.value) == (topic, b"conv-1", value)
    assert record.headers[: len(headers)] == headers
    traceparent = record.header("traceparent")
    assert traceparent is not None, record.headers
    version, carried_trace_id, _parent_span, _flags = traceparent.split("-")
    assert (version, carried_trace_id) == ("00", trace_id)
    assert record.partition >= 0
    assert record.offset >= 0


async def test_records_with_the_same_key_arrive_in_publish_order(bus_factory: BusFactory, topic: str) -> None:
    got = Collector()
    bus = bus_factory()
    bus.subscribe([topic], f"{topic}.g", got)
    await bus.start()
    keys = ("alpha", "beta", "gamma")
    published = [_record(topic, keys[i % 3], f"{keys[i % 3]}-{i}") for i in range(50)]
    for start in range(0, 50, 10):  # several batches, as a busy producer would send them
        await bus.publish(*published[start : start + 10])

    await wait_until(lambda: len(got.records) >= 50, "50 records")
    by_key: dict[bytes | None, list[bytes]] = defaultdict(list)
    for record in got.records:
        by_key[record.key].append(record.value)
    for key in keys:
        expected = [r.value for r in published if r.key == key.encode()]
        assert by_key[key.encode()] == expected, key
    assert len(got.records) == 50


async def test_a_handler_failing_once_gets_the_record_again_and_later_records_still_arrive(
    bus_factory: BusFactory, topic: str
) -> None:
    got = Collector(fail=lambda r, call: RuntimeError("flaky") if r.value == b"2" and call == 1 else None)
    bus = bus_factory(policy=fast_policy(attempts=3))
    bus.subscribe([topic], f"{topic}.g", got)
    await bus.start()
    await bus.publish(*(_record(topic, "k", str(i)) for i in range(5)))

    await wait_until(lambda: len(got.records) == 5, "five records handled")
    assert got.values == ["0", "1", "2", "3", "4"]
    assert got.calls[b"2"] == 2
    assert all(got.calls[str(i).encode()] == 1 for i in (0, 1, 3, 4))


async def test_a_handler_that_keeps_failing_dead_letters_the_record_and_the_consumer_goes_on(
    bus_factory: BusFactory, topic: str
) -> None:
    got = Collector(fail=lambda r, _: ValueError("cannot digest this") if r.value == b"poison" else None)
    bus = bus_factory(policy=fast_policy(attempts=3))
    group = f"{topic}.g"
    bus.subscribe([topic], group, got)
    dead = Collector()
    bus.subscribe([topic + DLQ_SUFFIX], f"{topic}.dlq-reader", dead)
    await bus.start()
    ce_headers = (("ce_id", b"evt-poison"), ("ce_type", b"webcare.test.v1"), ("ce_tenant", b"t1"))
    await bus.publish(_record(topic, "k", "before"), _record(topic, "k", "poison", *ce_headers))
    await bus.publish(_record(topic, "k", "after"), _record(topic, "other-key", "elsewhere"))

    await wait_until(lambda: len(dead.records) == 1 and len(got.records) == 3, "a dead letter and 3 records")
    assert [r.value for r in got.records if r.key == b"k"] == [b"before", b"after"]
    assert sorted(got.values) == ["after", "before", "elsewhere"]
    assert got.calls[b"poison"] == 3
    parked = dead.records[0]
    assert (parked.topic, parked.key, parked.value) == (topic + DLQ_SUFFIX, b"k", b"poison")
    assert parked.header("webcare_error") == "ValueError: cannot digest this"
    assert parked.header("webcare_error_type") == "ValueError"
    assert parked.header("webcare_original_topic") == topic
    assert parked.header("webcare_consumer_group") == group
    assert parked.header("webcare_attempts") == "3"
    for name, value in ce_headers:
        assert parked.header(name) == value.decode()


async def test_a_permanent_event_error_is_dead_lettered_at_once(bus_factory: BusFactory, topic: str) -> None:
    got = Collector(fail=lambda r, _: PermanentEventError("not for us") if r.value == b"bad" else None)
    bus = bus_factory(policy=fast_policy(attempts=5))
    bus.subscribe([topic], f"{topic}.g", got)
    dead = Collector()
    bus.subscribe([topic + DLQ_SUFFIX], f"{topic}.dlq-reader", dead)
    await bus.start()
    await bus.publish(_record(topic, "k", "bad"), _record(topic, "k", "good"))

    await wait_until(lambda: len(dead.records) == 1 and got.values == ["good"], "the dead letter and 'good'")
    assert got.calls[b"bad"] == 1
    assert dead.records[0].value == b"bad"
    assert dead.records[0].header("webcare_error_type") == "PermanentEventError"
    assert dead.records[0].header("webcare_attempts") == "1"


async def test_a_transient_error_is_retried_beyond_the_attempts_and_never_dead_lettered(
    bus_factory: BusFactory, topic: str
) -> None:
    failures = 6
    got = Collector(fail=lambda _, call: ConnectionError("db down") if call <= failures else None)
    bus = bus_factory(policy=fast_policy(attempts=2, transient=ConnectionError))
    bus.subscribe([topic], f"{topic}.g", got)
    dead = Collector()
    bus.subscribe([topic + DLQ_SUFFIX], f"{topic}.dlq-reader", dead)
    await bus.start()
    await bus.publish(_record(topic, "k", "outage"))

    await wait_until(lambda: got.values == ["outage"], "the record handled after the outage")
    assert got.calls[b"outage"] == failures + 1
    # A dead letter would have been written before the handler's last call; this marker comes after it
    # with the same key, so whatever reached the dead-letter topic arrives first.
    await bus.publish(_record(topic + DLQ_SUFFIX, "k", "marker"))
    await wait_until(lambda: any(r.value == b"marker" for r in dead.records), "the marker")
    assert [r.value for r in dead.records] == [b"marker"]


async def test_a_new_client_in_the_group_resumes_after_the_last_successfully_handled_record(
    bus_factory: BusFactory, topic: str
) -> None:
    group = f"{topic}.g"
    in_handler = asyncio.Event()
    never = asyncio.Event()
    first: list[str] = []

    async def first_handler(record: Record) -> None:
        if record.value == b"interrupted":
            in_handler.set()
            await never.wait()  # the client stops while this record is being handled
        first.append(record.value.decode())

    # One key, one partition: a record delivered again would come before the new ones.
    one = bus_factory()
    one.subscribe([topic], group, first_handler)
    await one.start()
    await one.publish(*(_record(topic, "k", f"old-{i}") for i in range(5)))
    await wait_until(lambda: len(first) == 5, "the first five records")
    # Handled in a later poll than the first five, so their commit is done; likewise for it below.
    await one.publish(_record(topic, "k", "sync"))
    await wait_until(lambda: len(first) == 6, "the sync record")
    await one.publish(_record(topic, "k", "interrupted"))
    await asyncio.wait_for(in_handler.wait(), WAIT_SECONDS)
    await one.stop()

    second = Collector()
    two = bus_factory()
    two.subscribe([topic], group, second)
    await two.start()
    await two.publish(*(_record(topic, "k", f"new-{i}") for i in range(3)))
    await wait_until(lambda: "new-2" in second.values, "the new records")

    assert first == [*(f"old-{i}" for i in range(5)), "sync"]
    assert second.values == ["interrupted", "new-0", "new-1", "new-2"]


async def test_every_consumer_group_gets_every_record(bus_factory: BusFactory, topic: str) -> None:
    reporting, routing = Collector(), Collector()
    bus = bus_factory()
    bus.subscribe([topic], f"{topic}.reporting", reporting)
    bus.subscribe([topic], f"{topic}.routing", routing)
    await bus.start()
    published = [_record(topic, f"k{i % 4}", str(i)) for i in range(12)]
    await bus.publish(*published)

    everything = sorted(r.value for r in published)
    await wait_until(lambda: len(reporting.records) >= 12 and len(routing.records) >= 12, "both groups")
    assert sorted(r.value for r in reporting.records) == everything
    assert sorted(r.value for r in routing.records) == everything


async def test_tail_delivers_every_record_from_the_beginning_and_reports_caught_up(
    bus_factory: BusFactory, topic: str
) -> None:
    publisher = bus_factory()
    await publisher.ensure_topics([topic])
    await publisher.start()
    history = [_record(topic, f"k{i % 3}", f"old-{i}") for i in range(10)]
    await publisher.publish(*history)

    got = Collector(delay=0.01)
    tailer = bus_factory()
    tailer.tail(topic, got)
    assert not tailer.caught_up
    await tailer.start()
    assert await tailer.wait_caught_up(WAIT_SECONDS)
    assert tailer.caught_up
    # Caught up means what the topic held at start has been handled, not merely that it will be.
    assert sorted(got.values) == sorted(r.value.decode() for r in history)

    await publisher.publish(_record(topic, "k0", "live"))
    await wait_until(lambda: "live" in got.values, "a record published after the tail caught up")
    assert len(got.records) == 11


async def test_records_arriving_together_are_handled_as_a_batch_and_a_bad_one_alone(
    bus_factory: BusFactory, topic: str
) -> None:
    batches: list[list[bytes]] = []
    got = Collector(fail=lambda r, _: ValueError("poison") if r.value == b"poison" else None)

    async def batch_handler(records: Sequence[Record]) -> None:
        values = [r.value for r in records]
        if b"poison" in values:
            raise ValueError("a record of the batch is poison")
        batches.append(values)

    publisher = bus_factory()
    await publisher.ensure_topics([topic])
    await publisher.start()
    await publisher.publish(*(_record(topic, "k", f"early-{i}") for i in range(20)))
    bus = bus_factory(policy=fast_policy(attempts=2))
    bus.subscribe([topic], f"{topic}.g", got, batch_handler=batch_handler)
    dead = Collector()
    bus.subscribe([topic + DLQ_SUFFIX], f"{topic}.dlq-reader", dead)
    await bus.start()
    await wait_until(lambda: sum(len(b) for b in batches) + len(got.records) >= 20, "the early records")
    assert any(len(b) > 1 for b in batches), batches  # records that waited together came together
    await bus.publish(*(_record(topic, "k", v) for v in ("a", "poison", "b")))

    def handled() -> list[bytes]:
        return [v for b in batches for v in b] + [r.value for r in got.records]

    # The poison record reaches the dead-letter topic before "b", which comes after it, is handled.
    await wait_until(lambda: len(dead.records) == 1, "the poison record on the dead-letter topic")
    await wait_until(lambda: b"b" in handled(), "the record after the poison one")
    assert handled().count(b"a") == 1 and handled().count(b"b") == 1
    assert b"poison" not in handled()
    assert [r.value for r in dead.records] == [b"poison"]
