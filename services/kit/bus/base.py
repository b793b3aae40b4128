"""What every bus does the same way: records, subscriptions, retries and the dead-letter path."""

from __future__ import annotations

import asyncio
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from services.kit import telemetry
from services.kit.errors import PermanentEventError

log = logging.getLogger(__name__)

DLQ_SUFFIX = ".dlq"
MAX_BACKOFF_SECONDS = 30.0


@dataclass(frozen=True)
class Record:
    """One event on a topic, as the bus carries it."""

    topic: str
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()
    partition: int = -1
    offset: int = -1

    def header(self, name: str) -> str | None:
        """The last value of a header as text, or None."""
        for key, value in reversed(self.headers):
            if key == name:
                return value.decode("utf-8", "replace")
        return None


Handler = Callable[[Record], Awaitable[None]]
BatchHandler = Callable[[Sequence[Record]], Awaitable[None]]
TransientCheck = Callable[[BaseException], bool]


@dataclass(frozen=True)
class Subscription:
    """A handler for the records of some topics, in a consumer group."""

    topics: tuple[str, ...]
    group: str
    handler: Handler
    batch_handler: BatchHandler | None = None


@dataclass
class RetryPolicy:
    """How often a failing handler is tried before its record is dead-lettered."""

    attempts: int = 3
    backoff_seconds: float = 0.2
    is_transient: TransientCheck = field(default=lambda exc: False)


class Bus(ABC):
    """Publishes records and hands them to subscribers: per-key order, at-least-once, dead letters."""

    def __init__(self, *, partitions: int = 3, policy: RetryPolicy | None = None) -> None:
        self.partitions = partitions
        self.policy = policy or RetryPolicy()
        self.subscriptions: list[Subscription] = []
        self.tails: list[tuple[str, Handler]] = []
        self._tails_caught_up = asyncio.Event()

    def subscribe(
        self,
        topics: Sequence[str],
        group: str,
        handler: Handler,
        *,
        batch_handler: BatchHandler | None = None,
    ) -> None:
        """Deliver the records of `topics` to `handler`, sharing the work within `group`; before start().

        With a `batch_handler`, records that arrive together are first offered to it as one batch
        (one transaction for many records); if the batch fails, each record goes to `handler` alone,
        so that only a bad record is retried or dead-lettered.
        """
        self.subscriptions.append(Subscription(tuple(topics), group, handler, batch_handler))

    def tail(self, topic: str, handler: Handler) -> None:
        """Deliver every record of `topic` from the beginning, in this process only; before start()."""
        self.tails.append((topic, handler))

    async def wait_caught_up(self, seconds: float | None = None) -> bool:
        """Wait up to `seconds` until every tail has read what its topic held at start."""
        try:
            await asyncio.wait_for(self._tails_caught_up.wait(), seconds)
        except TimeoutError:
            return False
        return True

    async def _all_caught_up(self, events: list[asyncio.Event]) -> None:
        """Mark the bus caught up once every tail partition is."""
        for event in events:
            await event.wait()
        self._tails_caught_up.set()

    @property
    def caught_up(self) -> bool:
        """Whether every tail has read what its topic held at start."""
        return self._tails_caught_up.is_set()

    @abstractmethod
    async def start(self) -> None:
        """Connect, create topics, and start consuming."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop consuming and close connections; records not yet committed will come again."""

    @abstractmethod
    async def ensure_topics(self, topics: Sequence[str], *, compacted: Sequence[str] = ()) -> None:
        """Create the topics (and their dead-letter topics) that do not exist yet."""

    @abstractmethod
    async def send(self, records: Sequence[Record]) -> None:
        """Write records as they are (no tracing) and wait until the bus acknowledged all of them."""

    @abstractmethod
    async def ping(self) -> bool:
        """Whether the bus is reachable now."""

    async def publish(self, *records: Record) -> None:
        """Publish records and return once the bus has acknowledged every one."""
        traced = []
        for record in records:
            with telemetry.producer_span(record.topic):
                traced.append(replace(record, headers=telemetry.inject_headers(record.headers)))
        await self.send(traced)
        for record in traced:
            telemetry.EVENTS_PUBLISHED.labels(record.topic).inc()

    async def deliver_batch(self, records: Sequence[Record], sub: Subscription) -> None:
        """Hand records to the subscription, as one batch where it can; returns when all may be committed."""
        if sub.batch_handler is not None and len(records) > 1:
            started = time.perf_counter()
            try:
                await sub.batch_handler(records)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - each record is tried again on its own below
                log.info(
                    "a batch of %d records of %s failed, handling them one by one: %r",
                    len(records),
                    records[0].topic,
                    exc,
                )
            else:
                each = (time.perf_counter() - started) / len(records)
                for record in records:
                    telemetry.HANDLE_DURATION.labels(sub.group, record.topic).observe(each)
                return
        for record in records:
            await self.deliver(record, sub.group, sub.handler)

    async def deliver(self, record: Record, group: str, handler: Handler) -> None:
        """Run the handler until it succeeds, dead-letter the record when it keeps failing.

        Infrastructure failures (database or bus unreachable) are retried without limit so that an
        outage never sends good events to the dead-letter topic. Returns only when the record may be
        committed; raises only on cancellation.
        """
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                with telemetry.consumer_span(record.topic, group, record.headers):
                    await handler(record)
            except asyncio.CancelledError:
                raise
            except PermanentEventError as exc:
                await self._dead_letter(record, group, exc, attempt)
                return
            except Exception as exc:  # noqa: BLE001 - every failure is retried or dead-lettered, never dropped
                transient = self.policy.is_transient(exc)
                if not transient and attempt >= self.policy.attempts:
                    await self._dead_letter(record, group, exc, attempt)
                    return
                telemetry.EVENTS_HANDLED.labels(group, record.topic, "retried").inc()
                delay = min(self.policy.backoff_seconds * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
                log.warning(
                    "handler of %s failed (attempt %d, %s), retrying in %.1fs: %r",
                    record.topic,
                    attempt,
                    "transient" if transient else "error",
                    delay,
                    exc,
                )
                await asyncio.sleep(delay)
            else:
                telemetry.HANDLE_DURATION.labels(group, record.topic).observe(time.perf_counter() - started)
                return

    async def _dead_letter(self, record: Record, group: str, exc: BaseException, attempts: int) -> None:
        """Park a record on `<topic>.dlq` with the reason in its headers; retried until the bus takes it."""
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        headers = (
            *record.headers,
            ("webcare_error", reason.encode()),
            ("webcare_error_type", type(exc).__name__.encode()),
            ("webcare_attempts", str(attempts).encode()),
            ("webcare_original_topic", record.topic.encode()),
            ("webcare_original_partition", str(record.partition).encode()),
            ("webcare_original_offset", str(record.offset).encode()),
            ("webcare_consumer_group", group.encode()),
            ("webcare_failed_at", datetime.now(UTC).isoformat().encode()),
        )
        dead = Record(topic=record.topic + DLQ_SUFFIX, key=record.key, value=record.value, headers=headers)
        delay = self.policy.backoff_seconds
        while True:
            try:
                await self.send([dead])
                break
            except asyncio.CancelledError:
                raise
            except Exception as send_exc:  # noqa: BLE001 - keep the record until the dead-letter topic has it
                log.error("could not dead-letter a record of %s, retrying: %r", record.topic, send_exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)
        telemetry.DEAD_LETTERS.labels(record.topic).inc()
        telemetry.EVENTS_HANDLED.labels(group, record.topic, "dead_lettered").inc()
        log.error("dead-lettered a record of %s for group %s: %s", record.topic, group, reason)
