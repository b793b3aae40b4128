"""Reporting's read models rebuild from the topics' beginning on a real Kafka broker and PostgreSQL:
`webcare rebuild reporting` refuses while reporting consumes, then moves its consumer group back and
clears the read models, and reporting, started again, folds every event into the same reports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from google.protobuf.message import Message
from sqlalchemy import func
from sqlmodel import col, select
from webcare.v1 import common_pb2, conversations_pb2, customers_pb2, messages_pb2, replies_pb2

from services.kit.auth import KeyStore
from services.kit.bus.kafka import KafkaBus
from services.kit.config import KitSettings
from services.kit.db import Database
from services.kit.events import encode, new_event, now, timestamp
from services.kit.migrate import upgrade
from services.kit.runtime import Runtime, kafka_config
from services.kit.uow import OutboxRelay
from services.reporting import reports
from services.reporting.models import MessageFact, MessageRollup
from services.reporting.rebuild import StillRunning, rebuild
from services.reporting.spec import spec as reporting_spec
from tests.bus_contract import wait_until
from tests.unit.reporting.accuracy import about, durations


def stream(tenant: str) -> list[Message]:
    """Three conversations of one tenant: each message received and classified, opened, answered."""
    start = now() - timedelta(hours=2)
    events: list[Message] = []
    for number in range(3):
        conversation = f"{tenant}-c{number}"
        received = new_event(
            messages_pb2.MessageReceived,
            tenant_id=tenant,
            message_id=f"{tenant}-m{number}",
            channel="x",
            conversation_key=conversation,
            author=common_pb2.Author(external_id=f"a{number}"),
        )
        received.occurred_at.CopyFrom(timestamp(start))
        reply = new_event(
            replies_pb2.ReplySent,
            tenant_id=tenant,
            reply_id=f"{tenant}-r{number}",
            conversation_id=conversation,
            agent_id="anna",
            channel="x",
        )
        reply.occurred_at.CopyFrom(timestamp(start + timedelta(minutes=number + 1)))
        events += [
            received,
            new_event(
                messages_pb2.MessageClassified,
                tenant_id=tenant,
                message_id=received.message_id,
                message=received,
                language="de",
                category=common_pb2.Category(primary="question"),
                sentiment=common_pb2.Sentiment(label="negative", score=-0.5),
            ),
            new_event(
                conversations_pb2.ConversationOpened,
                tenant_id=tenant,
                conversation_id=conversation,
                channel="x",
                first_message_at=timestamp(start),
                category="question",
            ),
            reply,
        ]
        if number:  # the first was answered before routing counted business hours
            events.append(
                new_event(
                    conversations_pb2.ConversationFirstResponded,
                    tenant_id=tenant,
                    conversation_id=conversation,
                    first_message_at=timestamp(start),
                    responded_at=reply.occurred_at,
                    elapsed_seconds=(number + 1) * 60.0,
                    business_seconds=number * 30.0,
                    calendar_id="office",
                    agent_id="anna",
                )
            )
    return events


def erasure_of_second_author(tenant: str) -> customers_pb2.CustomerErased:
    """The author of the second conversation asks to be forgotten (routing's event)."""
    return new_event(
        customers_pb2.CustomerErased,
        tenant_id=tenant,
        customer_id="cust-a1",
        identities=[customers_pb2.Identity(channel="x", external_id="a1")],
        conversation_ids=[f"{tenant}-c1"],
        conversation_keys=[f"{tenant}-c1"],
    )


async def named_facts(settings: KitSettings, tenant: str) -> list[tuple[str, str]]:
    """The (author, conversation key) of the tenant's message facts."""
    db = Database(settings.database_url_for("reporting"))
    try:
        async with db.sessions() as session:
            query = select(MessageFact.author_id, MessageFact.conversation_key).where(
                col(MessageFact.tenant_id) == tenant
            )
            return sorted((a, k) for a, k in (await session.exec(query)).all())
    finally:
        await db.close()


@pytest.fixture
def settings(kafka_bootstrap: str, pg_database_url: str, unique: str) -> KitSettings:
    return KitSettings(
        bus="kafka",
        kafka_bootstrap=kafka_bootstrap,
        database_url=pg_database_url,
        consumer_group_prefix=f"t-{unique}",
        handler_backoff_seconds=0.01,
    )


@asynccontextmanager
async def reporting(settings: KitSettings) -> AsyncIterator[Runtime]:
    """A running reporting service: its consumers on Kafka, its database migrated."""
    spec = reporting_spec()
    db = Database(settings.database_url_for(spec.name))
    await upgrade(spec, db)
    bus = KafkaBus(kafka_config(settings))
    relay = OutboxRelay(service=spec.name, db=db, bus=bus, interval_seconds=3600)
    runtime = Runtime(spec=spec, settings=settings, bus=bus, db=db, keys=KeyStore(), relay=relay)
    runtime.subscribe()
    await bus.start()
    try:
        yield runtime
    finally:
        await bus.stop()
        await db.close()


async def summary_of(runtime: Runtime, tenant: str) -> dict[str, Any]:
    """The tenant's summary, and its first-response times in business hours."""
    async with runtime.unit_of_work() as uow:
        found = (await reports.summary(uow, tenant, reports.Filters())).model_dump(
            exclude={"oldest_waiting_since"}
        )
        business = await reports.summary(uow, tenant, reports.Filters(), business_hours=True)
    return {
        **found,
        "business_hours": business.model_dump(include={"first_response_seconds", "first_response_measured"}),
    }


def answered(expected: int, found: dict[str, Any]) -> Callable[[], bool]:
    """Every conversation answered and every message classified, and all but the first answer timed
    in business hours: the whole stream folded."""
    return lambda: (
        found.get("conversations_answered") == expected
        and sum(c["count"] for c in found.get("categories", [])) == expected
        and found["business_hours"]["first_response_measured"] == expected - 1
    )


async def test_rebuilding_from_the_beginning_gives_the_same_reports(
    settings: KitSettings, unique: str
) -> None:
    """... and what an erasure removed does not come back: the erased author's facts are folded
    without their name and key, though their events are still on the topics."""
    tenant = f"t{unique}"
    producer = KafkaBus(kafka_config(settings))
    await producer.start()
    try:
        await producer.publish(
            *(
                encode(e, source="test", key=getattr(e, "conversation_id", "") or tenant)
                for e in stream(tenant)
            ),
            encode(erasure_of_second_author(tenant), source="test", key="cust-a1"),
        )
    finally:
        await producer.stop()

    latest: dict[str, Any] = {}
    async with reporting(settings) as runtime:

        async def folded() -> None:
            latest.update(await summary_of(runtime, tenant))

        await _poll(folded, answered(3, latest))
        before = dict(latest)
        named: list[tuple[str, str]] = []

        async def erased() -> None:
            named[:] = await named_facts(settings, tenant)

        await _poll(erased, lambda: [a for a, _ in named] == ["", "a0", "a2"])
        with pytest.raises(StillRunning):
            await rebuild(settings)
    assert [a for a, _ in named] == ["", "a0", "a2"], named
    assert f"{tenant}-c1" not in {k for _, k in named}
    assert before["messages_received"] == 3 and before["first_response_seconds"]["median"] == about(120.0)
    assert before["business_hours"] == {
        "first_response_seconds": durations(mean=45.0, median=45.0, p90=57.0),
        "first_response_measured": 2,
    }

    cleared = await rebuild(settings)
    assert (
        cleared["message_facts"] >= 3
        and cleared["conversation_facts"] >= 3
        and cleared["handled events"] >= 14
    )
    db = Database(settings.database_url_for("reporting"))
    try:
        async with db.sessions() as session:
            for table in (MessageFact, MessageRollup):
                assert (await session.exec(select(func.count()).select_from(table))).one() == 0
    finally:
        await db.close()

    latest.clear()
    async with reporting(settings) as runtime:

        async def refolded() -> None:
            latest.update(await summary_of(runtime, tenant))

        await _poll(refolded, answered(3, latest))
    assert latest == before
    assert await named_facts(settings, tenant) == named


async def _poll(refresh: Callable[[], Any], done: Callable[[], bool]) -> None:
    import asyncio

    for _ in range(300):
        await refresh()
        if done():
            return
        await asyncio.sleep(0.1)
    await wait_until(done, "reporting to fold the stream")


async def test_a_batch_of_thousands_of_new_facts_is_begun_within_postgresqls_parameter_limit(
    settings: KitSettings, unique: str
) -> None:
    from services.kit.uow import UnitOfWork
    from services.reporting.consumers import FOLDS
    from services.reporting.facts import load_for

    spec = reporting_spec()
    db = Database(settings.database_url_for(spec.name))
    await upgrade(spec, db)
    tenant = f"t{unique}"
    batch = [
        new_event(
            messages_pb2.MessageReceived,
            tenant_id=tenant,
            message_id=f"{tenant}-m{number}",
            channel="x",
            conversation_key=f"k{number}",
            author=common_pb2.Author(external_id=f"a{number}"),
        )
        for number in range(2500)  # 2,500 facts of about 20 columns: 50,000 values
    ]
    try:
        async with db.sessions() as session:
            uow = UnitOfWork(session, source="test")
            uow.prepared.update(await load_for(None, uow, batch))  # type: ignore[arg-type]
            for event in batch:
                await FOLDS[type(event)](uow, event)
            await uow.commit()
        async with db.sessions() as session:
            assert (await session.exec(select(func.count()).select_from(MessageFact))).one() == 2500
            rolled = await session.exec(select(func.sum(MessageRollup.messages)))
            assert rolled.one() == 2500  # each new fact counted once in the rollups
    finally:
        await db.close()


def reporting_url(backend: str, settings: KitSettings, tmp_path: Any) -> str:
    """Reporting's database on the backend: a fresh SQLite file, or the test's PostgreSQL database."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/reporting.db"
    return settings.database_url_for("reporting")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_the_rollup_migration_counts_the_messages_already_there(
    backend: str, settings: KitSettings, tmp_path: Any
) -> None:
    from datetime import UTC, datetime

    url = reporting_url(backend, settings, tmp_path)
    spec = reporting_spec()
    db = Database(url)
    try:
        await upgrade(spec, db, "c4dc629176f6")  # the facts, before the rollups
        async with db.sessions() as session:
            for number, (day, sentiment) in enumerate(((1, "negative"), (1, "negative"), (2, "positive"))):
                session.add(
                    MessageFact(
                        message_id=f"m{number}",
                        tenant_id="acme",
                        channel="x",
                        received_at=datetime(2026, 11, day, 9, 30, tzinfo=UTC),
                        classified=True,
                        category="question",
                        sentiment=sentiment,
                        sentiment_score=-0.5 if sentiment == "negative" else 0.5,
                    )
                )
            await session.commit()
        await upgrade(spec, db)
        async with db.sessions() as session:
            rows = (await session.exec(select(MessageRollup).order_by(col(MessageRollup.day)))).all()
        assert [(r.day.day, r.messages, r.negative, r.sentiment_sum) for r in rows] == [
            (1, 2, 2, -1.0),
            (2, 1, 0, 0.5),
        ]
    finally:
        await db.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_the_conversation_rollup_migration_counts_the_conversations_already_there(
    backend: str, settings: KitSettings, tmp_path: Any
) -> None:
    from datetime import UTC, datetime

    from services.reporting import rollups
    from services.reporting.models import ConversationDuration, ConversationFact, ConversationRollup

    url = reporting_url(backend, settings, tmp_path)
    opened = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    minute = timedelta(minutes=1)
    facts = [
        ConversationFact(
            conversation_id="c0", tenant_id="acme", channel="x", opened_at=opened, category="question",
            first_response_at=opened + 10 * minute, first_response_due_at=opened + 30 * minute,
            first_response_business_seconds=300.0, resolved_at=opened + 120 * minute,
        ),
        ConversationFact(
            conversation_id="c1", tenant_id="acme", channel="x", opened_at=opened + timedelta(days=1),
            first_response_due_at=opened, category="spam",
        ),
        ConversationFact(
            conversation_id="c2", tenant_id="acme", channel="whatsapp", opened_at=opened,
            first_response_at=opened, category="question",
        ),
        ConversationFact(conversation_id="c3", tenant_id="acme", resolved_at=opened),  # never opened
    ]  # fmt: skip
    spec = reporting_spec()
    db = Database(url)
    try:
        await upgrade(spec, db, "1079165629a7")  # the facts, before the conversation rollups
        async with db.sessions() as session:
            session.add_all(facts)
            await session.commit()
        await upgrade(spec, db)
        async with db.sessions() as session:
            rows = (await session.exec(select(ConversationRollup))).all()
            buckets = (await session.exec(select(ConversationDuration))).all()
            kept = (await session.exec(select(ConversationFact))).all()
        totals, moved = rollups.conversation_moves((None, rollups.conversation_counted(f)) for f in kept)
        assert {(r.day, r.channel): [getattr(r, n) for n in rollups.CONVERSATION_COUNTS] for r in rows} == {
            key[1:]: sums for key, sums in totals.items()
        }
        assert {(b.day, b.channel, b.measure, b.bucket): b.conversations for b in buckets} == {
            (*key[1:], measure, number): count for (key, measure, number), count in moved.items()
        }
        assert sum(r.opened for r in rows) == 3 and sum(b.conversations for b in buckets) == 4
    finally:
        await db.close()


async def test_postgresql_adds_the_summary_up_exactly_as_the_rows_are_counted_elsewhere(
    settings: KitSettings, tmp_path: Any
) -> None:
    from services.kit.uow import UnitOfWork
    from services.reporting.consumers import FOLDS

    start = now() - timedelta(hours=5)
    events: list[Message] = list(stream("acme"))
    for number, (minutes, due_minutes, category) in enumerate(
        (
            (4, 10, "question"),
            (15, 10, "complaint"),
            (None, 30, "question"),
            (None, None, "spam"),
            (33, None, "lead"),
        )
    ):
        opened = new_event(
            conversations_pb2.ConversationOpened,
            tenant_id="acme",
            conversation_id=f"x{number}",
            channel="whatsapp",
            first_message_at=timestamp(start),
            category=category,
        )
        if due_minutes is not None:
            opened.first_response_due_at.CopyFrom(timestamp(start + timedelta(minutes=due_minutes)))
        events.append(opened)
        if minutes is not None:
            reply = new_event(
                replies_pb2.ReplySent, tenant_id="acme", reply_id=f"rx{number}", conversation_id=f"x{number}"
            )
            reply.occurred_at.CopyFrom(timestamp(start + timedelta(minutes=minutes)))
            events.append(reply)
        if number == 1:  # two of its 15 minutes in business hours; the others have no business time
            events.append(
                new_event(
                    conversations_pb2.ConversationFirstResponded,
                    tenant_id="acme",
                    conversation_id="x1",
                    elapsed_seconds=900.0,
                    business_seconds=120.0,
                )
            )
    resolved = new_event(conversations_pb2.ConversationResolved, tenant_id="acme", conversation_id="x0")
    events.append(resolved)

    async def summary(url: str) -> dict[str, Any]:
        spec = reporting_spec()
        db = Database(url)
        try:
            await upgrade(spec, db)
            for event in events:
                async with db.sessions() as session:
                    uow = UnitOfWork(session, source="test")
                    await FOLDS[type(event)](uow, event)
                    await uow.commit()
            async with db.sessions() as session:
                uow = UnitOfWork(session, source="test")
                found = await reports.summary(uow, "acme", reports.Filters())
                business = await reports.summary(uow, "acme", reports.Filters(), business_hours=True)
                # every conversation is in the default queue: narrowed by it, the facts are read
                exact = await reports.summary(
                    uow, "acme", reports.Filters(queue="default"), business_hours=True
                )
            return {
                "elapsed": found.model_dump(),
                "business_hours": business.model_dump(),
                "exact": exact.model_dump(),
            }
        finally:
            await db.close()

    on_postgresql = await summary(settings.database_url_for("reporting"))
    on_sqlite = await summary(f"sqlite+aiosqlite:///{tmp_path}/reporting.db")
    assert on_postgresql == on_sqlite
    assert (
        on_postgresql["elapsed"]["conversations_opened"] == 8
        and on_postgresql["elapsed"]["first_response_seconds"]["p90"] is not None
    )
    assert on_postgresql["business_hours"]["first_response_measured"] == 3
    assert on_postgresql["exact"]["first_response_seconds"] == {"mean": 70.0, "median": 60.0, "p90": 108.0}
    rolled_up = {k: v for k, v in on_postgresql["business_hours"].items() if not k.endswith("_seconds")}
    assert rolled_up == {k: v for k, v in on_postgresql["exact"].items() if not k.endswith("_seconds")}
    assert on_postgresql["business_hours"]["first_response_seconds"] == durations(
        mean=70.0, median=60.0, p90=108.0
    )
