"""One running service: its settings, database, bus, outbox relay, and the wiring of its handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from google.protobuf.message import Message
from sqlalchemy import MetaData
from sqlalchemy.exc import IntegrityError

from services.kit import telemetry
from services.kit.auth import KeyStore
from services.kit.bus.base import Bus, Record, RetryPolicy
from services.kit.config import KitSettings
from services.kit.db import Database, is_transient
from services.kit.errors import Unavailable
from services.kit.events import decode, message_type
from services.kit.uow import OutboxRelay, UnitOfWork

if TYPE_CHECKING:
    from services.kit.bus.kafka import KafkaConfig

log = logging.getLogger(__name__)

EventHandler = Callable[["Runtime", UnitOfWork, Any], Awaitable[None]]
# Work for many events at once, before their handlers run and in their transaction (e.g. classifying
# a batch of texts in parallel): returns a result per event id, which each handler finds in
# `uow.prepared`.
PrepareFn = Callable[["Runtime", UnitOfWork, Sequence[Any]], Awaitable[Mapping[str, Any]]]


@dataclass(frozen=True)
class Consumer:
    """Handlers of one consumer group: which topics, and which function for each event type."""

    name: str
    topics: tuple[str, ...]
    handlers: Mapping[type[Message], EventHandler]
    prepare: Mapping[type[Message], PrepareFn] = field(default_factory=dict)
    # Work for all the events of a batch at once, whatever their types, before `prepare`.
    prepare_all: PrepareFn | None = None


@dataclass
class ServiceSpec:
    """What the kernel needs to know to run a service, embedded or on its own."""

    name: str
    router: Callable[[], APIRouter]
    metadata: MetaData
    consumers: Sequence[Consumer] = ()
    on_start: Sequence[Callable[[Runtime], Awaitable[None]]] = ()
    on_stop: Sequence[Callable[[Runtime], Awaitable[None]]] = ()
    # Path prefixes whose requests may be larger than WEBCARE_MAX_BODY_BYTES, with their limit, from
    # the settings the app is built with.
    body_limits: Callable[[KitSettings], Mapping[str, int]] | None = None
    # What the service deletes when its time is up, besides the kit's inbox (see kit/retention.py).
    retention: Sequence[Callable[[Runtime, datetime], Awaitable[int]]] = ()


@dataclass
class Runtime:
    """A started service: what its routes and handlers use."""

    spec: ServiceSpec
    settings: KitSettings
    bus: Bus
    db: Database
    keys: KeyStore
    relay: OutboxRelay
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The service's name."""
        return self.spec.name

    @asynccontextmanager
    async def unit_of_work(self, *, must_publish: bool = False) -> AsyncIterator[UnitOfWork]:
        """Open a transaction; commit it when the block succeeds, then publish its events.

        With `must_publish`, a failure to publish after the commit raises Unavailable (the events
        stay in the outbox and leave later); otherwise it is left to the relay.
        """
        async with self.db.sessions() as session:
            uow = UnitOfWork(session, source=self.name)
            yield uow
            await uow.commit()
        if uow.events or must_publish:
            try:
                await (self.relay.publish(uow.events) if uow.events else self.relay.flush())
            except Exception as exc:
                log.warning("events of %s wait in the outbox: %r", self.name, exc)
                if must_publish:
                    raise Unavailable("accepted, but the event bus is not reachable; retry later") from exc

    def subscribe(self) -> None:
        """Register this service's consumers on the bus."""
        for consumer in self.spec.consumers:
            group = f"{self.settings.consumer_group_prefix}-{self.name}-{consumer.name}"
            self.bus.subscribe(
                consumer.topics,
                group,
                self._dispatcher(group, consumer),
                batch_handler=self._batch_dispatcher(group, consumer),
            )

    def _dispatcher(self, group: str, consumer: Consumer) -> Callable[[Record], Awaitable[None]]:
        async def dispatch(record: Record) -> None:
            event = decode(record)
            handler = consumer.handlers.get(type(event)) if event is not None else None
            if event is None or handler is None:
                telemetry.EVENTS_HANDLED.labels(group, record.topic, "skipped").inc()
                return
            event_id: str = getattr(event, "event_id")  # noqa: B009 - every event has one
            try:
                async with self.unit_of_work() as uow:
                    if await uow.already_handled(group, event_id):
                        telemetry.EVENTS_HANDLED.labels(group, record.topic, "duplicate").inc()
                        return
                    await self._prepare(consumer, uow, [event])
                    await handler(self, uow, event)
            except IntegrityError:
                # Another delivery of the same event committed first: that one counts.
                async with self.db.sessions() as session:
                    if await UnitOfWork(session, source=self.name).already_handled(group, event_id):
                        telemetry.EVENTS_HANDLED.labels(group, record.topic, "duplicate").inc()
                        return
                raise
            telemetry.EVENTS_HANDLED.labels(group, record.topic, "ok").inc()

        return dispatch

    def _batch_dispatcher(
        self, group: str, consumer: Consumer
    ) -> Callable[[Sequence[Record]], Awaitable[None]]:
        """Handle records that came together in one transaction; any failure fails the whole batch."""

        async def dispatch_batch(records: Sequence[Record]) -> None:
            # Records of types this consumer has no handler for are skipped by their headers, before
            # their bodies are parsed; a batch with nothing left to handle opens no transaction.
            outcomes: list[tuple[str, str]] = []
            decoded: list[tuple[Record, Any]] = []
            for record in records:
                if message_type(record) in consumer.handlers:
                    decoded.append((record, decode(record)))
                else:
                    outcomes.append((record.topic, "skipped"))
            todo: list[tuple[Record, Any, EventHandler]] = []
            if not decoded:
                _count(group, outcomes)
                return
            ids = [getattr(e, "event_id") for _, e in decoded]  # noqa: B009
            async with self.unit_of_work() as uow:
                seen = await uow.handled_among(group, ids)
                for record, event in decoded:
                    handler = consumer.handlers[type(event)]
                    event_id: str = getattr(event, "event_id")  # noqa: B009 - every event has one
                    if event_id in seen:
                        outcomes.append((record.topic, "duplicate"))
                        continue
                    seen.add(event_id)
                    todo.append((record, event, handler))
                await self._prepare(consumer, uow, [event for _, event, _ in todo])
                for record, event, handler in todo:
                    with telemetry.consumer_span(record.topic, group, record.headers):
                        await handler(self, uow, event)
                    uow.mark_handled(group, event.event_id)
                    outcomes.append((record.topic, "ok"))
            _count(group, outcomes)

        return dispatch_batch

    async def _prepare(self, consumer: Consumer, uow: UnitOfWork, events: Sequence[Any]) -> None:
        """Run the consumer's batch preparations: over all the events, then over those of each type
        that has one."""
        if consumer.prepare_all is not None and events:
            uow.prepared.update(await consumer.prepare_all(self, uow, events))
        for kind, prepare in consumer.prepare.items():
            of_kind = [event for event in events if type(event) is kind]
            if of_kind:
                uow.prepared.update(await prepare(self, uow, of_kind))


def _count(group: str, outcomes: Sequence[tuple[str, str]]) -> None:
    for topic, outcome in outcomes:
        telemetry.EVENTS_HANDLED.labels(group, topic, outcome).inc()


def retry_policy(settings: KitSettings) -> RetryPolicy:
    """The bus's retry policy from settings."""
    return RetryPolicy(
        attempts=settings.handler_attempts,
        backoff_seconds=settings.handler_backoff_seconds,
        is_transient=is_transient,
    )


def kafka_config(settings: KitSettings) -> KafkaConfig:
    """How the settings reach the Kafka cluster."""
    from services.kit.bus.kafka import KafkaConfig

    password = settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else None
    return KafkaConfig(
        bootstrap=settings.kafka_bootstrap,
        security_protocol=settings.kafka_security_protocol,
        sasl_mechanism=settings.kafka_sasl_mechanism,
        sasl_username=settings.kafka_sasl_username,
        sasl_password=password,
        ssl_cafile=settings.kafka_ssl_cafile,
        replication_factor=settings.kafka_replication_factor,
    )


def make_bus(settings: KitSettings, kind: str) -> Bus:
    """The bus the settings ask for."""
    policy = retry_policy(settings)
    if kind == "kafka":
        from services.kit.bus.kafka import KafkaBus

        config = kafka_config(settings)
        return KafkaBus(
            config, partitions=settings.kafka_partitions, policy=policy, max_batch=settings.kafka_max_batch
        )
    from services.kit.bus.memory import MemoryBus

    return MemoryBus(partitions=settings.kafka_partitions, policy=policy)
