"""The Apache Kafka bus: idempotent producer with acks=all, consumer groups that commit after success."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import CommitFailedError, KafkaError
from aiokafka.helpers import create_ssl_context

from services.kit import telemetry
from services.kit.bus.base import DLQ_SUFFIX, Bus, Handler, Record, RetryPolicy, Subscription

log = logging.getLogger(__name__)

_TOPIC_ALREADY_EXISTS = 36
MAX_BATCH = 2000  # records per poll: under load, larger batches amortize each transaction


@dataclass(frozen=True)
class KafkaConfig:
    """How to reach the cluster."""

    bootstrap: str
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = None
    ssl_cafile: str | None = None
    replication_factor: int = 1

    def client_args(self) -> dict[str, Any]:
        """Keyword arguments common to aiokafka's producer, consumer and admin client."""
        args: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap,
            "security_protocol": self.security_protocol,
        }
        if "SSL" in self.security_protocol:
            args["ssl_context"] = create_ssl_context(cafile=self.ssl_cafile)
        if self.sasl_mechanism:
            args |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.sasl_username,
                "sasl_plain_password": self.sasl_password,
            }
        return args


def _record(message: ConsumerRecord[bytes, bytes]) -> Record:
    return Record(
        topic=message.topic,
        key=message.key,
        value=message.value or b"",
        headers=tuple((k, bytes(v)) for k, v in message.headers),
        partition=message.partition,
        offset=message.offset,
    )


class KafkaBus(Bus):
    """A bus on an Apache Kafka cluster."""

    def __init__(
        self,
        config: KafkaConfig,
        *,
        partitions: int = 3,
        policy: RetryPolicy | None = None,
        max_batch: int = MAX_BATCH,
    ) -> None:
        super().__init__(partitions=partitions, policy=policy)
        self.config = config
        self.max_batch = max_batch
        self._producer: AIOKafkaProducer[bytes, bytes] | None = None
        self._consumers: list[AIOKafkaConsumer[bytes, bytes]] = []
        self._tasks: list[asyncio.Task[None]] = []

    async def ensure_topics(self, topics: Sequence[str], *, compacted: Sequence[str] = ()) -> None:
        """Create missing topics with the configured partitions, each with its dead-letter topic."""
        wanted: dict[str, dict[str, str]] = {}
        for topic in topics:
            wanted[topic] = {}
            wanted[topic + DLQ_SUFFIX] = {}
        for topic in compacted:
            wanted[topic] = {"cleanup.policy": "compact"}
            wanted[topic + DLQ_SUFFIX] = {}
        admin = AIOKafkaAdminClient(**self.config.client_args())
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            missing = [
                NewTopic(name, self.partitions, self.config.replication_factor, topic_configs=configs)
                for name, configs in wanted.items()
                if name not in existing
            ]
            if missing:
                response = await admin.create_topics(missing)
                for name, code, *_ in getattr(response, "topic_errors", []):
                    if code not in (0, _TOPIC_ALREADY_EXISTS):
                        raise KafkaError(f"could not create topic {name}: error code {code}")
        finally:
            await admin.close()

    async def start(self) -> None:
        """Start the producer, then one consumer per subscription and per tail."""
        self._producer = AIOKafkaProducer(
            **self.config.client_args(), acks="all", enable_idempotence=True, linger_ms=2
        )
        await self._producer.start()
        all_topics = {t for sub in self.subscriptions for t in sub.topics} | {t for t, _ in self.tails}
        await self.ensure_topics(sorted(all_topics))
        for sub in self.subscriptions:
            consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(
                *sub.topics,
                **self.config.client_args(),
                group_id=sub.group,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
            )
            await consumer.start()
            self._consumers.append(consumer)
            self._tasks.append(asyncio.create_task(self._consume(consumer, sub)))
        pending = []
        for topic, handler in self.tails:
            caught_up = asyncio.Event()
            pending.append(caught_up)
            self._tasks.append(asyncio.create_task(self._tail(topic, handler, caught_up)))
        self._tasks.append(asyncio.create_task(self._all_caught_up(pending)))

    async def stop(self) -> None:
        """Stop consumers (without committing more) and flush the producer."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for consumer in self._consumers:
            await consumer.stop()
        self._consumers.clear()
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def send(self, records: Sequence[Record]) -> None:
        """Write records as they are and wait for the acknowledgement."""
        if self._producer is None:
            raise KafkaError("the bus is not started")
        futures = [
            await self._producer.send(r.topic, r.value, key=r.key, headers=list(r.headers)) for r in records
        ]
        await asyncio.gather(*futures)

    async def ping(self) -> bool:
        """Whether the cluster answers a metadata request and every consumer still runs."""
        if self._producer is None:
            return False
        for task in self._tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                log.error("a consumer stopped: %r", task.exception())
                return False
        try:
            return bool(await asyncio.wait_for(self._producer.client.force_metadata_update(), 3))
        except (TimeoutError, KafkaError, OSError):
            return False

    async def _consume(self, consumer: AIOKafkaConsumer[bytes, bytes], sub: Subscription) -> None:
        """Poll, and hand each partition's records to a task of its own.

        A partition whose batch is still being handled is paused, so its records stay in order,
        while the others are polled and handled meanwhile: one slow batch (a database round trip,
        the classifier's turn) does not hold up the rest, and their work overlaps.
        """
        busy: dict[TopicPartition, asyncio.Task[None]] = {}
        delay = 0.5
        try:
            while True:
                if busy and len(busy) >= len(consumer.assignment()):
                    # Every partition is at work: wait for one to finish before polling again.
                    await asyncio.wait(busy.values(), return_when=asyncio.FIRST_COMPLETED)
                for tp, task in list(busy.items()):
                    if task.done():
                        del busy[tp]
                        task.result()  # a handler's failure stops this consumer, as it should
                        if tp in consumer.assignment():
                            consumer.resume(tp)
                try:
                    batches = await consumer.getmany(timeout_ms=100, max_records=self.max_batch)
                except (KafkaError, OSError) as exc:
                    # Nothing was handled, nothing committed: poll again once the cluster answers.
                    log.warning(
                        "polling %s for %s failed, retrying in %.1fs: %r", sub.topics, sub.group, delay, exc
                    )
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 30.0)
                    continue
                delay = 0.5
                for tp, messages in batches.items():
                    previous = busy.pop(tp, None)
                    if previous is not None:
                        # Assigned again after a rebalance while its batch was still at work (the new
                        # assignment is not paused): that batch ends first, so one partition never has
                        # two batches at once, and its failure is not lost.
                        await previous
                    consumer.pause(tp)
                    busy[tp] = asyncio.create_task(self._partition(consumer, tp, messages, sub))
        finally:
            for task in busy.values():
                task.cancel()
            await asyncio.gather(*busy.values(), return_exceptions=True)

    async def _partition(
        self,
        consumer: AIOKafkaConsumer[bytes, bytes],
        tp: TopicPartition,
        messages: list[ConsumerRecord[bytes, bytes]],
        sub: Subscription,
    ) -> None:
        await self.deliver_batch([_record(m) for m in messages], sub)
        done = messages[-1].offset + 1
        try:
            await consumer.commit({tp: done})
        except (CommitFailedError, KafkaError) as exc:
            # The group rebalanced: the records will be delivered again and handlers are idempotent.
            log.warning("commit on %s failed, the records will come again: %r", tp, exc)
            return
        highwater = consumer.highwater(tp)
        if highwater is not None:
            telemetry.CONSUMER_LAG.labels(sub.group, tp.topic, str(tp.partition)).set(
                max(0, highwater - done)
            )

    async def _tail(self, topic: str, handler: Handler, caught_up: asyncio.Event) -> None:
        consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(
            **self.config.client_args(), group_id=None, enable_auto_commit=False, auto_offset_reset="earliest"
        )
        await consumer.start()
        self._consumers.append(consumer)
        partitions = consumer.partitions_for_topic(topic)
        while not partitions:
            await asyncio.sleep(0.2)
            await consumer._client.force_metadata_update()
            partitions = consumer.partitions_for_topic(topic)
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        while True:
            if not caught_up.is_set() and all([await consumer.position(tp) >= ends[tp] for tp in tps]):
                caught_up.set()
            batches = await consumer.getmany(timeout_ms=200, max_records=500)
            for messages in batches.values():
                for message in messages:
                    await self.deliver(_record(message), "tail", handler)
