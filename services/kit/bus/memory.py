"""The in-memory bus: Kafka's semantics (partitions, per-key order, groups, offsets) inside one process."""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from services.kit.bus.base import DLQ_SUFFIX, Bus, Handler, Record, RetryPolicy, Subscription

log = logging.getLogger(__name__)

MAX_BATCH = 200


@dataclass
class MemoryBroker:
    """The logs and committed offsets that several MemoryBus clients share, like a broker."""

    default_partitions: int = 3
    logs: dict[str, list[list[Record]]] = field(default_factory=dict)
    committed: dict[tuple[str, str, int], int] = field(default_factory=dict)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def partitions(self, topic: str, count: int | None = None) -> list[list[Record]]:
        """The partitions of a topic, created on first use."""
        if topic not in self.logs:
            self.logs[topic] = [[] for _ in range(count or self.default_partitions)]
        return self.logs[topic]

    async def append(self, records: Sequence[Record]) -> None:
        """Append records, each to the partition its key hashes to, and wake the consumers."""
        for record in records:
            parts = self.partitions(record.topic)
            index = zlib.crc32(record.key) % len(parts) if record.key is not None else 0
            parts[index].append(replace(record, partition=index, offset=len(parts[index])))
        async with self.changed:
            self.changed.notify_all()

    async def wait_beyond(self, topic: str, partition: int, offset: int) -> None:
        """Return once the partition holds a record at `offset`."""
        log_ = self.partitions(topic)[partition]
        async with self.changed:
            await self.changed.wait_for(lambda: len(log_) > offset)


class MemoryBus(Bus):
    """A bus client of a MemoryBroker; by default each bus has a broker of its own."""

    def __init__(
        self, *, broker: MemoryBroker | None = None, partitions: int = 3, policy: RetryPolicy | None = None
    ) -> None:
        super().__init__(partitions=partitions, policy=policy)
        self.broker = broker or MemoryBroker(default_partitions=partitions)
        self._tasks: list[asyncio.Task[None]] = []

    async def ensure_topics(self, topics: Sequence[str], *, compacted: Sequence[str] = ()) -> None:
        """Create the topics and their dead-letter topics."""
        for topic in (*topics, *compacted):
            self.broker.partitions(topic, self.partitions)
            self.broker.partitions(topic + DLQ_SUFFIX, self.partitions)

    async def start(self) -> None:
        """Start one consumer task per subscribed partition."""
        for sub in self.subscriptions:
            await self.ensure_topics(sub.topics)
            for topic in sub.topics:
                for partition in range(len(self.broker.partitions(topic))):
                    self._spawn(self._consume(topic, partition, sub))
        pending: list[asyncio.Event] = []
        for topic, handler in self.tails:
            await self.ensure_topics([topic])
            for partition, log_ in enumerate(self.broker.partitions(topic)):
                caught_up = asyncio.Event()
                pending.append(caught_up)
                self._spawn(self._tail(topic, partition, handler, end=len(log_), caught_up=caught_up))
        self._spawn(self._all_caught_up(pending))

    def _spawn(self, coro: object) -> None:
        self._tasks.append(asyncio.create_task(coro))  # type: ignore[arg-type]

    async def stop(self) -> None:
        """Cancel the consumer tasks."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def send(self, records: Sequence[Record]) -> None:
        """Write records as they are and wait for the acknowledgement."""
        await self.broker.append(records)

    async def ping(self) -> bool:
        """Always reachable."""
        return True

    async def _consume(self, topic: str, partition: int, sub: Subscription) -> None:
        key = (sub.group, topic, partition)
        while True:
            offset = self.broker.committed.get(key, 0)
            await self.broker.wait_beyond(topic, partition, offset)
            batch = self.broker.partitions(topic)[partition][offset : offset + MAX_BATCH]
            await self.deliver_batch(batch, sub)
            self.broker.committed[key] = offset + len(batch)

    async def _tail(
        self, topic: str, partition: int, handler: Handler, *, end: int, caught_up: asyncio.Event
    ) -> None:
        offset = 0
        while True:
            if offset >= end:
                caught_up.set()  # read what the partition held at start
            await self.broker.wait_beyond(topic, partition, offset)
            await self.deliver(self.broker.partitions(topic)[partition][offset], "tail", handler)
            offset += 1
