"""The bus contract on a real Apache Kafka broker, several KafkaBus clients of one cluster."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.kit.bus.base import Bus, RetryPolicy
from services.kit.bus.kafka import KafkaBus, KafkaConfig

pytest.register_assert_rewrite("tests.bus_contract")  # detailed assertion messages in the contract

from tests.bus_contract import *  # noqa: E402, F403
from tests.bus_contract import BusFactory, bus_clients, wait_until  # noqa: E402


@pytest.fixture
async def bus_factory(kafka_bootstrap: str) -> AsyncIterator[BusFactory]:
    """New KafkaBus clients of the test cluster."""
    config = KafkaConfig(bootstrap=kafka_bootstrap)

    def make(policy: RetryPolicy) -> Bus:
        return KafkaBus(config, policy=policy)

    async with bus_clients(make) as factory:
        yield factory


async def test_a_consumer_that_stopped_makes_the_bus_not_ready(bus_factory: BusFactory, topic: str) -> None:
    import asyncio

    from services.kit.bus.base import Record

    async def handler(record: Record) -> None:
        return None

    bus = bus_factory()
    assert isinstance(bus, KafkaBus)
    bus.subscribe([topic], f"{topic}.g", handler)
    await bus.start()
    assert await bus.ping()

    async def crash() -> None:
        raise RuntimeError("consumer loop died")

    dead = asyncio.create_task(crash())
    await asyncio.gather(dead, return_exceptions=True)
    bus._tasks.append(dead)  # as if a consumer loop had died
    assert not await bus.ping()


async def test_a_partition_busy_with_a_slow_record_does_not_hold_up_the_others(
    bus_factory: BusFactory, topic: str
) -> None:
    import asyncio

    from services.kit.bus.base import Record

    release = asyncio.Event()
    slow_started = asyncio.Event()
    got: list[bytes] = []

    async def handler(record: Record) -> None:
        if record.key == b"slow":
            slow_started.set()
            await release.wait()  # a batch that takes long: a slow database, the classifier's turn
        got.append(record.key or b"")

    bus = bus_factory()
    bus.subscribe([topic], f"{topic}.g", handler)
    await bus.start()
    try:
        await bus.publish(Record(topic=topic, key=b"slow", value=b"1"))
        await asyncio.wait_for(slow_started.wait(), 30)
        # Polled after the slow record was taken: without a task per partition these would wait.
        others = [f"key-{i}".encode() for i in range(30)]  # spread over every partition
        await bus.publish(*(Record(topic=topic, key=key, value=b"2") for key in others))
        await wait_until(lambda: len(got) >= 10, "records of other partitions while one is busy")
        assert b"slow" not in got
    finally:
        release.set()
    await wait_until(lambda: len(got) == 31, "every record, the slow one too")


async def test_consumer_lag_per_partition_is_measured_and_falls_to_zero(
    kafka_bootstrap: str, topic: str
) -> None:
    import asyncio

    from prometheus_client import REGISTRY

    from services.kit.bus.base import Record

    group = f"{topic}.lag"
    seen: list[float] = []

    def lag() -> list[float]:
        return [
            sample.value
            for metric in REGISTRY.collect()
            if metric.name == "webcare_consumer_lag_records"
            for sample in metric.samples
            if sample.labels.get("group") == group and sample.labels.get("topic") == topic
        ]

    async def handler(record: Record) -> None:
        seen.extend(lag())  # the lag as the previous batch's commit left it
        await asyncio.sleep(0.01)

    key = b"one-partition"
    async with bus_clients(
        lambda policy: KafkaBus(KafkaConfig(bootstrap=kafka_bootstrap), policy=policy)
    ) as make:
        producer = make()
        await producer.start()
        await producer.publish(*(Record(topic=topic, key=key, value=str(i).encode()) for i in range(40)))
        # Batches of 5 records: after each commit, what is left of the 40 is the lag.
        consumer = KafkaBus(KafkaConfig(bootstrap=kafka_bootstrap), max_batch=5)
        consumer.subscribe([topic], group, handler)
        await consumer.start()
        try:
            await wait_until(lambda: bool(lag()) and max(lag()) == 0, "the lag back at zero")
        finally:
            await consumer.stop()
    assert max(seen) >= 5  # records were waiting behind a batch, and the gauge said so
    assert len(lag()) == 1  # one series, for the one partition that had records
