"""The unit of work: rows and the events they imply are committed together, events leave after."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import delete, func, insert, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import telemetry
from services.kit.bus.base import Bus, Record
from services.kit.db import COMMIT_DURATION, Database, any_of, inbox, outbox
from services.kit.events import encode, now

log = logging.getLogger(__name__)


class UnitOfWork:
    """A transaction of one service: the session for its rows and the outbox for its events."""

    def __init__(self, session: AsyncSession, *, source: str) -> None:
        self.session = session
        self.source = source
        self.events: list[Record] = []
        self._handled: list[tuple[str, str]] = []
        self.prepared: dict[str, Any] = {}  # results of a consumer's batch preparation, by event id
        self._after_commit: list[Callable[[], None]] = []
        self._before_commit: dict[str, Callable[[], Awaitable[None]]] = {}

    def before_commit(self, name: str, action: Callable[[], Awaitable[None]]) -> None:
        """Do `action` just before this unit of work commits, once per name (write what a batch of
        handlers accumulated, in one statement)."""
        self._before_commit.setdefault(name, action)

    def after_commit(self, action: Callable[[], None]) -> None:
        """Do `action` once this unit of work committed (count a metric only for what was kept)."""
        self._after_commit.append(action)

    def emit(self, event: Message, *, key: str) -> None:
        """Publish an event if, and only if, this unit of work commits."""
        record = encode(event, source=self.source, key=key)
        # The producer span is opened now, in the request or handler that caused the event, so that
        # the consumer continues this trace however late the outbox relay sends the record.
        with telemetry.producer_span(record.topic):
            self.events.append(replace(record, headers=telemetry.inject_headers(record.headers)))

    async def already_handled(self, consumer: str, event_id: str) -> bool:
        """Whether `consumer` handled this event before; if not, it counts as handled on commit."""
        conn = await self.session.connection()
        found = await conn.execute(
            select(inbox.c.event_id).where(inbox.c.consumer == consumer, inbox.c.event_id == event_id)
        )
        if found.first() is not None:
            return True
        self.mark_handled(consumer, event_id)
        return False

    async def handled_among(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        """Which of these events `consumer` handled before."""
        conn = await self.session.connection()
        query = select(inbox.c.event_id).where(
            inbox.c.consumer == consumer, any_of(inbox.c.event_id, event_ids, conn.dialect)
        )
        found = await conn.execute(query)
        return {row.event_id for row in found}

    def mark_handled(self, consumer: str, event_id: str) -> None:
        """Record on commit that `consumer` handled this event."""
        self._handled.append((consumer, event_id))

    async def commit(self) -> None:
        """Commit rows, the inbox mark and the outbox in one transaction."""
        started = time.perf_counter()
        for write in self._before_commit.values():
            await write()
        self._before_commit.clear()
        conn = await self.session.connection()
        if self._handled:
            handled_at = now()
            await conn.execute(
                insert(inbox),
                [{"consumer": c, "event_id": e, "processed_at": handled_at} for c, e in self._handled],
            )
        if self.events:
            created = now()
            await conn.execute(
                insert(outbox),
                [
                    {
                        "id": r.header("ce_id"),
                        "topic": r.topic,
                        "key": (r.key or b"").decode(),
                        "value": r.value,
                        "headers": [[k, v.decode("latin-1")] for k, v in r.headers],
                        "created_at": created,
                    }
                    for r in self.events
                ],
            )
        await self.session.commit()
        COMMIT_DURATION.labels(self.source).observe(time.perf_counter() - started)
        for action in self._after_commit:
            action()
        self._after_commit.clear()


class OutboxRelay:
    """Publishes committed outbox events in order, at once after a commit and again on a timer."""

    def __init__(self, *, service: str, db: Database, bus: Bus, interval_seconds: float = 2.0) -> None:
        self.service = service
        self.db = db
        self.bus = bus
        self.interval = interval_seconds
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        # Whether the outbox is known to hold no older events of this process: only then may a
        # commit's events leave straight from memory without overtaking earlier ones.
        self._drained = False
        self._waiting: list[tuple[Sequence[Record], asyncio.Future[None]]] = []  # commits to publish

    async def publish(self, records: Sequence[Record]) -> None:
        """Publish a committed unit of work's events, as flush() would, without reading them back.

        Commits that finish while a publish is in flight leave together in the next one (group
        commit), so concurrent requests share the broker's round trip. Their outbox rows are deleted
        in a transaction that commits only after the bus acknowledged them; rows another relay took
        first are skipped (the delete waits for it and finds nothing). While older events wait in
        the outbox, everything goes through flush(), in order.
        """
        if not self._drained:
            await self.flush()
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((records, done))
        async with self._lock:
            if not done.done():  # no earlier publish took these records along: lead this one
                batch, self._waiting = self._waiting, []
                try:
                    await self._send_committed([record for taken, _ in batch for record in taken])
                except BaseException as exc:
                    self._drained = False
                    failure = (
                        exc if isinstance(exc, Exception) else ConnectionError("publishing was interrupted")
                    )
                    for _, waiter in batch:
                        if not waiter.done():
                            waiter.set_exception(failure)
                            waiter.exception()  # its sender may be gone (shutdown): no "never retrieved"
                    raise
                for _, waiter in batch:
                    if not waiter.done():
                        waiter.set_result(None)
        await done

    async def _send_committed(self, records: Sequence[Record]) -> None:
        async with self.db.engine.connect() as conn:
            ids = [record.header("ce_id") for record in records]
            statement = delete(outbox).where(any_of(outbox.c.id, ids, conn.dialect)).returning(outbox.c.id)
            mine = {row.id for row in await conn.execute(statement)}
            taken = [record for record in records if record.header("ce_id") in mine]
            if taken:
                await self.bus.send(taken)
                for record in taken:
                    telemetry.EVENTS_PUBLISHED.labels(record.topic).inc()
            await conn.commit()

    async def flush(self, *, batch: int = 500) -> int:
        """Publish every pending event, oldest first; return how many left."""
        async with self._lock:
            try:
                published = await self._flush_locked(batch)
            except BaseException:
                self._drained = False
                raise
            self._drained = True
        return published

    async def _flush_locked(self, batch: int) -> int:
        published = 0
        while True:
            async with self.db.engine.connect() as conn:
                rows = (
                    await conn.execute(
                        select(outbox).order_by(outbox.c.id).limit(batch).with_for_update(skip_locked=True)
                    )
                ).all()
                if not rows:
                    return published
                records = [
                    Record(
                        topic=row.topic,
                        key=row.key.encode(),
                        value=row.value,
                        headers=tuple((k, v.encode("latin-1")) for k, v in row.headers),
                    )
                    for row in rows
                ]
                await self.bus.send(records)
                for record in records:
                    telemetry.EVENTS_PUBLISHED.labels(record.topic).inc()
                sent = any_of(outbox.c.id, [row.id for row in rows], conn.dialect)
                await conn.execute(delete(outbox).where(sent))
                await conn.commit()
                published += len(rows)

    async def pending(self) -> int:
        """How many committed events wait to be published."""
        async with self.db.engine.connect() as conn:
            return int((await conn.execute(select(func.count()).select_from(outbox))).scalar_one())

    def start(self) -> None:
        """Start the timer that retries what could not be published right after its commit."""
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop the timer."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.flush()
                telemetry.OUTBOX_PENDING.labels(self.service).set(await self.pending())
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the events stay in the outbox; the next tick retries
                log.warning("outbox of %s not published yet: %r", self.service, exc)
