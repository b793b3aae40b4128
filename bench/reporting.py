"""Events per second folded into reporting's read models, and the summary report over 1,000,000 messages.

Run with `make bench-reporting` (starts Kafka and PostgreSQL on the benchmark's own ports). Two parts,
each with a database of its own:

- fold: `BENCH_EVENTS` events (default 200,000) of one tenant, as the services publish them over 30
  days of conversations (per conversation one to four MessageReceived with their MessageClassified,
  ConversationOpened, ConversationAssigned, ConversationMessageAdded for later messages, one or two
  ReplySent for most, ConversationResolved for many), keyed as the services key them, are put on
  Kafka first (not measured). Then one `webcare serve reporting` process (Kafka, PostgreSQL, the
  default WEBCARE_KAFKA_MAX_BATCH) folds them. Measured: from its first commit to its last, read
  from the `processed_at` of the inbox rows each commit writes; `events_per_s` counts the events
  committed after the first commit over that span. The read models must then hold exactly what was
  published (messages, classified messages, their rollups, conversations opened, answered,
  resolved, replies, a handled mark per event).
- summary: `BENCH_MESSAGES` message facts (default 1,000,000), their daily rollups (by reporting's
  own `rollups.counted`) and their conversations (about one per two messages, with their daily
  rollups and duration buckets by `rollups.conversation_counted`) are written straight into
  reporting's tables with COPY and vacuumed and analysed, then a second `webcare serve
  reporting` process on that database answers `GET /v1/reports/summary` for the whole period and
  for `channel=whatsapp`: two warm-ups (one when a call takes over 10 s), then up to
  `BENCH_REPEATS` (20) calls each, fewer when a series has spent `BENCH_SUMMARY_SECONDS` (300) and
  has three. The answers must count every message, conversation and resolution loaded.

The last line printed is JSON: `events_per_s`, `events`, `summary_ms` (p50 of the whole period),
`summary_p99_ms`, `summary_filtered_ms` (p50 of channel=whatsapp), `messages`, where the time went
(CPU of the service and of PostgreSQL, database transactions and rows per event, batches that fell
back to one event at a time), and `goal_met` (at least 5,000 events/s and a summary within 200 ms).

While working on one part: `BENCH_PARTS=summary` (or `fold`) runs that part alone (`goal_met` is then
false), `BENCH_KEEP=1` leaves the databases on the server instead of dropping them, to EXPLAIN the
summary's statements on them, and `BENCH_PROFILE=<file>` profiles the folding process's CPU time
(cProfile) from its first commit to the last and writes the stats there (`python -m pstats <file>`).
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import random
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer
from benchkit import (
    cpu_seconds,
    free_port,
    machine_busy,
    percentile,
    profiled,
    serve_command,
    stop,
    tree_cpu,
)
from google.protobuf.message import Message
from webcare.v1 import common_pb2, conversations_pb2, messages_pb2, replies_pb2

from services.kit.bus.base import Record
from services.kit.bus.kafka import KafkaBus, KafkaConfig
from services.kit.db import Database
from services.kit.events import TOPICS, encode, new_event, now, timestamp
from services.kit.ids import new_id
from services.kit.migrate import upgrade
from services.reporting import rollups
from services.reporting.models import ConversationFact, MessageFact
from services.reporting.spec import spec as reporting_spec

ROOT = pathlib.Path(__file__).resolve().parent.parent
EVENTS = int(os.environ.get("BENCH_EVENTS", "200000"))
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "1000000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))
SERIES_SECONDS = float(os.environ.get("BENCH_SUMMARY_SECONDS", "300"))
PARTS = set(os.environ.get("BENCH_PARTS", "fold,summary").split(","))  # to run one part alone
KEEP = os.environ.get("BENCH_KEEP") == "1"
PROFILE = os.environ.get(
    "BENCH_PROFILE", ""
)  # a file for the fold's cProfile stats  # leave the databases for EXPLAIN; not dropped at the end
STALL_SECONDS = 180.0
DAYS = 30
ADMIN_KEY = "bench-admin-key-0123456789abcdef"
GOAL_EVENTS_PER_S = 5000
GOAL_SUMMARY_MS = 200

# (channel, public, weight): roughly a German telco's mix.
CHANNELS = [("whatsapp", False, 30), ("facebook", True, 20), ("facebook", False, 10), ("x", True, 15),
            ("instagram", True, 10), ("email", False, 10), ("review", True, 5)]  # fmt: skip
CATEGORIES = [("question", 40), ("complaint", 25), ("compliment", 8), ("lead", 5), ("spam", 7),
              ("other", 10), ("crisis", 1), ("untruth", 4)]  # fmt: skip
SENTIMENTS = [("negative", -0.7, 35), ("neutral", 0.0, 45), ("positive", 0.6, 20)]
LANGUAGES = [("de", 60), ("en", 25), ("tr", 5), ("fr", 4), ("it", 3), ("und", 3)]
QUEUES = ["default", "billing", "technical", "sales", "vip"]
TOPICS_OF = ["billing", "outage", "contract", "delivery", "roaming", "router", "tariff"]
PREVIEWS = [
    "Hallo, meine Rechnung ist diesen Monat doppelt so hoch. Kundennummer [IBAN], bitte prüfen!",
    "Seit gestern kein Internet in [POSTAL_ADDRESS], wann geht es wieder? Router blinkt rot.",
    "My parcel never arrived, tracking says delivered. Call me at [PHONE] please.",
    "Danke für die schnelle Hilfe gestern, alles läuft wieder 👍",
    "Ich möchte meinen Vertrag kündigen, wie geht das online?",
    "Gibt es den neuen Tarif auch für Bestandskunden? Interesse an 5G Unlimited.",
    "Roaming in der Türkei funktioniert nicht, obwohl die Option gebucht ist.",
    "Why was I charged twice for the same month? Card [CARD_NUMBER].",
    "Der Techniker kam nicht zum Termin, ich habe den ganzen Tag gewartet. Unverschämt!",
    "Wie ändere ich meine Bankverbindung im Kundenportal?",
]


def log(message: str) -> None:
    print(f"bench-reporting: {message}", file=sys.stderr, flush=True)


def pick(rng: random.Random, weighted: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """One entry of a list whose last element is the weight."""
    return rng.choices(weighted, weights=[entry[-1] for entry in weighted])[0]


@dataclass
class Expected:
    """What the read models must hold once every published event is folded."""

    events: int = 0
    messages: int = 0
    conversations: int = 0
    answered: int = 0
    resolved: int = 0
    replies: int = 0
    whatsapp_messages: int = 0


@dataclass
class Thread:
    """One conversation of the generated stream: what it is about and when things happened."""

    id: str
    key: str
    channel: str
    public: bool
    account: str
    customer: common_pb2.Author
    category: str
    language: str
    opened: datetime
    messages: list[datetime]
    due: datetime | None
    replies: list[datetime] = field(default_factory=list)
    resolved: datetime | None = None
    agent: str = ""


def thread(rng: random.Random, *, end: datetime, number: int) -> Thread:
    """A conversation opened in the last DAYS days: its messages, SLA, replies and resolution."""
    channel, public, _ = pick(rng, CHANNELS)
    opened = end - timedelta(seconds=rng.uniform(0, DAYS * 86400))
    count = rng.choices([1, 2, 3, 4], weights=[45, 30, 15, 10])[0]
    messages = [opened + timedelta(minutes=sum(rng.uniform(1, 30) for _ in range(k))) for k in range(count)]
    customer = common_pb2.Author(
        external_id=f"cust-{number}", handle=f"@kunde{number}", name=f"Kunde {number}"
    )
    due = opened + timedelta(minutes=rng.choice([30, 60, 240])) if rng.random() < 0.85 else None
    found = Thread(
        id=new_id(), key=f"{channel}:thread-{number}", channel=channel, public=public,
        account=f"{channel}-account-{number % 4}", customer=customer, category=pick(rng, CATEGORIES)[0],
        language=pick(rng, LANGUAGES)[0], opened=opened, messages=messages, due=due,
        agent=f"agent-{rng.randrange(200):03d}",
    )  # fmt: skip
    if rng.random() < 0.9:
        first = opened + timedelta(seconds=min(rng.lognormvariate(7.0, 1.2), 3 * 86400))
        found.replies = [first] + (
            [first + timedelta(minutes=rng.uniform(2, 120))] if rng.random() < 0.3 else []
        )
        if rng.random() < 0.75:
            found.resolved = found.replies[-1] + timedelta(minutes=rng.uniform(5, 1440))
    return found


def _at(event: Message, moment: datetime) -> Message:
    getattr(event, "occurred_at").CopyFrom(timestamp(moment))  # noqa: B009 - every event has one
    return event


def message_events(tenant: str, t: Thread, rng: random.Random) -> Iterator[tuple[datetime, Record]]:
    """MessageReceived and MessageClassified (keyed by conversation key, as ingest and classify do)."""
    for index, moment in enumerate(t.messages):
        message_id = new_id()
        text = rng.choice(PREVIEWS)
        received = new_event(
            messages_pb2.MessageReceived, tenant_id=tenant, message_id=message_id, channel=t.channel,
            external_id=f"ext-{message_id}", conversation_key=t.key, author=t.customer, text=text,
            is_public=t.public, channel_account_id=t.account, sent_at=timestamp(moment),
            proactive=rng.random() < 0.05, lead=t.category == "lead" and index == 0,
        )  # fmt: skip
        label, score, _ = pick(rng, SENTIMENTS)
        classified = new_event(
            messages_pb2.MessageClassified, tenant_id=tenant, message_id=message_id, message=received,
            language=t.language,
            sentiment=common_pb2.Sentiment(label=label, score=score + rng.uniform(-0.2, 0.2)),
            category=common_pb2.Category(primary=t.category, confidence=rng.uniform(0.5, 1.0)),
            urgency=rng.randint(1, 5), model_version="bench", redacted_preview=text,
            topics=rng.sample(TOPICS_OF, rng.choice([0, 0, 1, 2])),
        )  # fmt: skip
        yield moment, encode(_at(received, moment), source="ingest", key=t.key)
        yield (
            moment + timedelta(milliseconds=300),
            encode(_at(classified, moment), source="classify", key=t.key),
        )


def conversation_events(tenant: str, t: Thread) -> Iterator[tuple[datetime, Record]]:
    """Routing's and reply's events of a conversation (keyed by conversation id, as they do)."""
    first = t.messages[0] + timedelta(seconds=1)
    opened = new_event(
        conversations_pb2.ConversationOpened, tenant_id=tenant, conversation_id=t.id, conversation_key=t.key,
        channel=t.channel, customer=t.customer, is_public=t.public, language=t.language, category=t.category,
        first_message_id=f"first-{t.id}", first_message_at=timestamp(t.opened), urgency=2,
        channel_account_id=t.account, queue=QUEUES[hash(t.category) % len(QUEUES)],
        **({"first_response_due_at": timestamp(t.due), "sla_target": "standard"} if t.due else {}),
    )  # fmt: skip
    yield first, encode(_at(opened, first), source="routing", key=t.id)
    assigned = new_event(
        conversations_pb2.ConversationAssigned, tenant_id=tenant, conversation_id=t.id, agent_id=t.agent,
        reason="skills and load", waited_since=timestamp(t.opened),
    )  # fmt: skip
    yield (
        first + timedelta(seconds=5),
        encode(_at(assigned, first + timedelta(seconds=5)), source="routing", key=t.id),
    )
    for moment in t.messages[1:]:
        added = new_event(
            conversations_pb2.ConversationMessageAdded, tenant_id=tenant, conversation_id=t.id,
            message_id=new_id(), message_external_id="ext", sent_at=timestamp(moment),
        )  # fmt: skip
        yield (
            moment + timedelta(seconds=1),
            encode(_at(added, moment + timedelta(seconds=1)), source="routing", key=t.id),
        )
    for moment in t.replies:
        sent = new_event(
            replies_pb2.ReplySent, tenant_id=tenant, reply_id=new_id(), conversation_id=t.id,
            agent_id=t.agent, channel=t.channel, external_id=f"out-{new_id()}", is_public=t.public,
            requested_at=timestamp(moment),
            text="Danke für Ihre Nachricht, wir kümmern uns darum.", recipient=t.customer.external_id,
            channel_account_id=t.account,
        )  # fmt: skip
        yield moment, encode(_at(sent, moment), source="reply", key=t.id)
    if t.resolved is not None:
        resolved = new_event(
            conversations_pb2.ConversationResolved, tenant_id=tenant, conversation_id=t.id, agent_id=t.agent,
            resolved_by=t.agent,
        )  # fmt: skip
        yield t.resolved, encode(_at(resolved, t.resolved), source="routing", key=t.id)


def event_stream(tenant: str, events: int, seed: int = 11) -> tuple[list[Record], Expected]:
    """At least `events` events of whole conversations, in the order they happened."""
    rng = random.Random(seed)
    end = now() - timedelta(hours=1)
    timed: list[tuple[datetime, int, Record]] = []
    expected = Expected()
    while len(timed) < events:
        t = thread(rng, end=end, number=expected.conversations)
        for moment, record in [*message_events(tenant, t, rng), *conversation_events(tenant, t)]:
            timed.append((moment, len(timed), record))
        expected.conversations += 1
        expected.messages += len(t.messages)
        expected.whatsapp_messages += len(t.messages) if t.channel == "whatsapp" else 0
        expected.answered += bool(t.replies)
        expected.replies += len(t.replies)
        expected.resolved += t.resolved is not None
    timed.sort(key=lambda item: (item[0], item[1]))
    expected.events = len(timed)
    return [record for _, _, record in timed], expected


async def publish(bootstrap: str, records: list[Record]) -> float:
    """Put the records on Kafka (acks=all, as the services' producer does); the seconds it took."""
    await KafkaBus(KafkaConfig(bootstrap=bootstrap)).ensure_topics(TOPICS)
    producer: AIOKafkaProducer[bytes, bytes] = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=20, max_batch_size=262144
    )
    await producer.start()
    started = time.perf_counter()
    try:
        for start in range(0, len(records), 20000):
            futures = [
                await producer.send(r.topic, r.value, key=r.key, headers=list(r.headers))
                for r in records[start : start + 20000]
            ]
            await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return time.perf_counter() - started


MESSAGE_COLUMNS = (
    "message_id", "tenant_id", "channel", "received_at", "channel_account_id", "conversation_key",
    "is_public", "proactive", "lead", "community_member", "author_id", "author_handle", "classified",
    "language", "category", "sentiment", "sentiment_score", "topics", "preview",
)  # fmt: skip
CONVERSATION_COLUMNS = (
    "conversation_id", "tenant_id", "channel", "opened_at", "first_response_at", "resolved_at",
    "channel_account_id", "queue", "category", "language", "is_public", "proactive", "agent_id",
    "first_response_agent_id", "first_response_due_at", "escalated_at", "community_answered_at",
    "transfers", "reopenings",
)  # fmt: skip


def fact_rows(
    tenant: str, messages: int, expected: Expected, seed: int = 13
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Conversation and message fact rows, in chunks, as folding the stream of `messages` would leave them."""
    rng = random.Random(seed)
    end = now() - timedelta(minutes=10)
    conversations: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    while expected.messages < messages:
        t = thread(rng, end=end, number=expected.conversations)
        t.messages = [m for m in t.messages if m < end][: messages - expected.messages]
        answered, resolved = (t.replies[0] if t.replies and t.replies[0] < end else None), t.resolved
        resolved = resolved if answered and resolved and resolved < end else None
        escalated = t.opened + timedelta(minutes=20) if rng.random() < 0.03 else None
        conversations.append(
            (t.id, tenant, t.channel, t.opened, answered, resolved, t.account, QUEUES[hash(t.category) % 5],
             t.category, t.language, t.public, False, t.agent, t.agent if answered else "", t.due, escalated,
             None, int(rng.random() < 0.05), int(rng.random() < 0.02))
        )  # fmt: skip
        for moment in t.messages:
            label, score, _ = pick(rng, SENTIMENTS)
            topics = rng.sample(TOPICS_OF, rng.choice([0, 0, 1, 2]))
            classified = rng.random() < 0.98
            rows.append(
                (new_id(), tenant, t.channel, moment, t.account, t.key, t.public, rng.random() < 0.05,
                 t.category == "lead", False, t.customer.external_id, t.customer.handle, classified,
                 t.language if classified else "", t.category if classified else "",
                 label if classified else "", score + rng.uniform(-0.2, 0.2) if classified else None,
                 json.dumps(topics) if topics else None,
                 rng.choice(PREVIEWS) if classified else "")
            )  # fmt: skip
        expected.conversations += 1
        expected.messages += len(t.messages)
        expected.whatsapp_messages += len(t.messages) if t.channel == "whatsapp" else 0
        expected.answered += answered is not None
        expected.resolved += resolved is not None
        if len(rows) >= 100_000:
            yield conversations, rows
            conversations, rows = [], []
    if rows or conversations:
        yield conversations, rows


def service_env(*, bootstrap: str, database_url: str, run: str) -> dict[str, str]:
    """Reporting's settings: Kafka, the given database, the run's consumer groups and tenant."""
    return {
        **os.environ,
        "WEBCARE_BUS": "kafka",
        "WEBCARE_KAFKA_BOOTSTRAP": bootstrap,
        "WEBCARE_DATABASE_URL": database_url,
        "WEBCARE_CONSUMER_GROUP_PREFIX": f"bench-{run}",
        "WEBCARE_LOG_LEVEL": "INFO",  # a batch that falls back to one event at a time is logged at INFO
        "WEBCARE_ADMIN_API_KEY": ADMIN_KEY,
        "WEBCARE_TENANT": f"bench-{run}",
    }


async def serve(env: dict[str, str], port: int, logfile: pathlib.Path) -> asyncio.subprocess.Process:
    """`webcare serve reporting`, its output in `logfile`; returns once it started (not yet ready).
    Profiled when BENCH_PROFILE names a file; either way the process is the server itself."""
    command = serve_command(__file__, ["serve", "reporting", "--port", str(port)])
    with open(logfile, "w") as out:  # noqa: ASYNC230 - opening a log file, once
        return await asyncio.create_subprocess_exec(
            *command, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT, start_new_session=True
        )


async def wait_ready(url: str, process: asyncio.subprocess.Process, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise SystemExit(f"webcare serve reporting exited with {process.returncode}")
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"{url} did not become ready")


def peak_rss_mb(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def postmaster(pg: asyncpg.Connection) -> int | None:
    """The PostgreSQL server's process, to count its CPU (None when it cannot be read)."""
    try:
        directory = await pg.fetchval("SHOW data_directory")
        return int((pathlib.Path(directory) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, asyncpg.PostgresError):
        return None


async def meter(
    pg: asyncpg.Connection, database: str, *, service: int, server: int | None
) -> dict[str, float]:
    """CPU of the service, PostgreSQL and the machine, and the database's counters, now."""
    stats = await pg.fetchrow(
        "SELECT xact_commit + xact_rollback AS xacts, xact_rollback AS rollbacks, tup_returned AS returned,"
        " tup_fetched AS fetched, tup_inserted AS inserted, tup_updated AS updated"
        " FROM pg_stat_database WHERE datname = $1",
        database,
    )
    found = {key: float(value) for key, value in dict(stats or {}).items()}
    found["service"] = cpu_seconds(service)
    if server is not None:
        found["pg"] = tree_cpu(server)
    found["busy"] = machine_busy()[0]
    found["wall"] = time.monotonic()
    return found


async def fresh_database(pg: asyncpg.Connection, name: str, base: str) -> str:
    """A new database with reporting's schema; its SQLAlchemy URL."""
    await pg.execute(f'CREATE DATABASE "{name}"')
    url = f"{base}/{name}"
    db = Database(url)
    try:
        await upgrade(reporting_spec(), db)
    finally:
        await db.close()
    return url


@dataclass
class Bench:
    """One run: its servers, names and the processes it started."""

    run: str
    bootstrap: str
    pg: asyncpg.Connection
    base: str  # the SQLAlchemy URL of the PostgreSQL server, without a database
    scratch: pathlib.Path
    databases: list[str] = field(default_factory=list)
    processes: list[asyncio.subprocess.Process] = field(default_factory=list)

    @property
    def tenant(self) -> str:
        return f"bench-{self.run}"

    async def database(self, part: str) -> tuple[str, str]:
        """A fresh database of this run with reporting's schema: its name and URL."""
        name = f"bench_{self.run}_{part}"
        self.databases.append(name)
        return name, await fresh_database(self.pg, name, self.base)

    async def start(self, database_url: str, part: str) -> tuple[asyncio.subprocess.Process, str]:
        """A `webcare serve reporting` on the database; the process and its base URL."""
        port = free_port()
        env = service_env(bootstrap=self.bootstrap, database_url=database_url, run=self.run)
        process = await serve(env, port, self.scratch / f"{part}.log")
        self.processes.append(process)
        return process, f"http://127.0.0.1:{port}"

    async def connect(self, name: str) -> asyncpg.Connection:
        return await asyncpg.connect(self.base.replace("postgresql+asyncpg://", "postgresql://") + f"/{name}")


async def scrape(base_url: str) -> dict[str, float]:
    """Consumer outcomes and handling time per topic from the service's /metrics."""
    async with httpx.AsyncClient() as client:
        text = (await client.get(f"{base_url}/metrics")).text
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("webcare_consumer_events_total{"):
            outcome = line.split('outcome="', 1)[1].split('"', 1)[0]
            found[f"outcome_{outcome}"] = found.get(f"outcome_{outcome}", 0.0) + float(line.rsplit(" ", 1)[1])
        elif line.startswith("webcare_consumer_handle_duration_seconds_sum{"):
            topic = line.split('topic="', 1)[1].split('"', 1)[0]
            found[f"handle_s_{topic}"] = float(line.rsplit(" ", 1)[1])
    return found


async def wait_folded(db: asyncpg.Connection, events: int, process: asyncio.subprocess.Process) -> None:
    """Poll the inbox (a row per handled event, written in its transaction) until every event is in."""
    last, changed, reported = -1, time.monotonic(), time.monotonic()
    while True:
        count = int(await db.fetchval("SELECT count(*) FROM inbox"))
        if count >= events:
            return
        if count != last:
            last, changed = count, time.monotonic()
        if process.returncode is not None or time.monotonic() - changed > STALL_SECONDS:
            raise SystemExit(
                f"folding stalled at {count} of {events} events (exit code {process.returncode})"
            )
        if time.monotonic() - reported >= 10:
            log(f"fold: {count} of {events} events handled")
            reported = time.monotonic()
        await asyncio.sleep(0.25)


async def first_commit(db: asyncpg.Connection, process: asyncio.subprocess.Process) -> int:
    """Wait for the first committed batch; how many events are in by then."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.returncode is None:
        count = int(await db.fetchval("SELECT count(*) FROM inbox"))
        if count:
            return count
        await asyncio.sleep(0.05)
    raise SystemExit("reporting committed nothing in 120 s")


def fallback_reasons(log_text: str) -> dict[str, dict[str, Any]]:
    """Batches that failed and were folded again one event at a time: per error, how many and the
    first message."""
    reasons: dict[str, dict[str, Any]] = {}
    for line in log_text.splitlines():
        if "handling them one by one" in line:
            error = line.split("one by one: ", 1)[1]
            cause = error.split("(", 1)[0]
            if "<class '" in error:  # SQLAlchemy's wrapper names the driver's error
                cause += ": " + error.split("<class '", 1)[1].split("'", 1)[0].rsplit(".", 1)[-1]
            found = reasons.setdefault(cause, {"batches": 0, "first": error[:240]})
            found["batches"] += 1
    return reasons


async def read_model(db: asyncpg.Connection) -> dict[str, int]:
    row = await db.fetchrow(
        "SELECT (SELECT count(*) FROM message_facts) AS messages,"
        " (SELECT count(*) FROM message_facts WHERE classified) AS classified,"
        " (SELECT count(*) FROM conversation_facts WHERE opened_at IS NOT NULL) AS conversations,"
        " (SELECT count(*) FROM conversation_facts WHERE first_response_at IS NOT NULL) AS answered,"
        " (SELECT count(*) FROM conversation_facts WHERE resolved_at IS NOT NULL) AS resolved,"
        " (SELECT count(*) FROM agent_reply_facts) AS replies,"
        " (SELECT coalesce(sum(messages), 0) FROM message_rollups) AS rolled_up,"
        " (SELECT count(*) FROM inbox) AS events"
    )
    return {key: int(value) for key, value in dict(row or {}).items()}


async def fold(bench: Bench) -> dict[str, Any]:
    """Publish the stream, then one reporting process folds it: its rate, checks and costs."""
    started = time.perf_counter()
    records, expected = event_stream(bench.tenant, EVENTS)
    by_topic: dict[str, int] = {}
    for record in records:
        by_topic[record.topic] = by_topic.get(record.topic, 0) + 1
    log(f"fold: {expected.events} events of {expected.conversations} conversations and {expected.messages}"
        f" messages generated in {time.perf_counter() - started:.1f} s ({by_topic})")  # fmt: skip
    published = await publish(bench.bootstrap, records)
    log(f"fold: published in {published:.1f} s ({expected.events / published:.0f} events/s, not counted)")
    name, url = await bench.database("fold")
    db = await bench.connect(name)
    server = await postmaster(bench.pg)
    try:
        spawned = time.monotonic()
        process, base_url = await bench.start(url, "fold")
        first = await first_commit(db, process)
        before = await meter(bench.pg, name, service=process.pid, server=server)
        if PROFILE:
            os.kill(process.pid, signal.SIGUSR1)
        log(f"fold: first commit {time.monotonic() - spawned:.1f} s after start, {first} events in it")
        await wait_folded(db, expected.events, process)
        if PROFILE:
            os.kill(process.pid, signal.SIGUSR2)
        after = await meter(bench.pg, name, service=process.pid, server=server)
        wall = time.monotonic() - spawned
        await asyncio.sleep(1.5)  # PostgreSQL reports a backend's counters shortly after its transactions
        counters = await meter(bench.pg, name, service=process.pid, server=server)
        span = await db.fetchrow("SELECT min(processed_at) AS first, max(processed_at) AS last FROM inbox")
        in_first = int(await db.fetchval("SELECT count(*) FROM inbox WHERE processed_at = $1", span["first"]))
        found = await read_model(db)
        metrics = await scrape(base_url)
    finally:
        await db.close()
        await stop(bench.processes[-1] if bench.processes else None)
    seconds = (span["last"] - span["first"]).total_seconds()
    want = {"messages": expected.messages, "classified": expected.messages,
            "conversations": expected.conversations, "answered": expected.answered,
            "resolved": expected.resolved, "replies": expected.replies, "rolled_up": expected.messages,
            "events": expected.events}  # fmt: skip
    if found != want:
        raise SystemExit(f"the read models do not match what was published: {found} != {want}")
    log(f"fold: read models match ({found})")
    costs = fold_costs(
        before,
        after,
        counters,
        events=expected.events - first,
        log_text=(bench.scratch / "fold.log").read_text(),
    )
    return {
        "events_per_s": round((expected.events - in_first) / seconds, 1),
        "events": expected.events,
        "fold_seconds": round(seconds, 2),
        "fold_wall_events_per_s": round(expected.events / wall, 1),
        "publish_events_per_s": round(expected.events / published, 1),
        **costs,
        "outcomes": {
            k.removeprefix("outcome_"): int(v) for k, v in metrics.items() if k.startswith("outcome_")
        },
        "handle_ms_per_event": {
            topic: round(metrics[f"handle_s_{topic}"] / count * 1000, 3)
            for topic, count in by_topic.items()
            if f"handle_s_{topic}" in metrics
        },
        "read_model": found,
    }


def fold_costs(
    before: dict[str, float],
    after: dict[str, float],
    counters: dict[str, float],
    *,
    events: int,
    log_text: str,
) -> dict[str, Any]:
    """Where folding `events` went: CPU of the service, PostgreSQL and the machine between `before` and
    `after`; the database's transactions and rows (read later, in `counters`); batches that fell back."""
    window = after["wall"] - before["wall"]
    written = counters["inserted"] + counters["updated"] - before["inserted"] - before["updated"]
    fallbacks = fallback_reasons(log_text)
    return {
        "service_cpu_ms_per_event": round((after["service"] - before["service"]) / events * 1000, 3),
        "service_cpu_cores": round((after["service"] - before["service"]) / window, 2),
        "pg_cpu_cores": round((after["pg"] - before["pg"]) / window, 2) if "pg" in before else None,
        "machine_busy_cores": round((after["busy"] - before["busy"]) / window, 2),
        "machine_cores": os.cpu_count(),
        "pg_xacts_per_event": round((counters["xacts"] - before["xacts"]) / events, 3),
        "pg_rollbacks": int(counters["rollbacks"] - before["rollbacks"]),
        "pg_rows_fetched_per_event": round((counters["fetched"] - before["fetched"]) / events, 2),
        "pg_rows_written_per_event": round(written / events, 2),
        "batch_fallbacks": sum(reason["batches"] for reason in fallbacks.values()),
        "batch_fallback_reasons": fallbacks,
    }


def roll_up(totals: dict[Any, list[float]], messages: list[tuple[Any, ...]]) -> None:
    """Add message fact rows to their daily rollup rows, by reporting's own rule (rollups.counted)."""
    for row in messages:
        view = SimpleNamespace(**dict(zip(MESSAGE_COLUMNS, row, strict=True)))
        found = rollups.counted(cast(MessageFact, view))
        sums = totals.setdefault(found.key, [0, 0, 0, 0.0])
        for index, value in enumerate(found.counts):
            sums[index] += value


def roll_up_conversations(
    totals: dict[Any, list[float]], buckets: dict[Any, int], conversations: list[tuple[Any, ...]]
) -> None:
    """Add conversation fact rows to their daily rollup rows and duration buckets, by reporting's own
    rule (rollups.conversation_counted)."""
    views = (
        SimpleNamespace(
            first_response_business_seconds=None, **dict(zip(CONVERSATION_COLUMNS, row, strict=True))
        )
        for row in conversations
    )
    sums, moved = rollups.conversation_moves(
        (None, rollups.conversation_counted(cast(ConversationFact, view))) for view in views
    )
    for key, values in sums.items():
        found = totals.setdefault(key, [0] * len(values))
        for index, value in enumerate(values):
            found[index] += value
    for place, count in moved.items():
        buckets[place] = buckets.get(place, 0) + count


async def load_facts(bench: Bench, db: asyncpg.Connection) -> Expected:
    """MESSAGES message facts, their daily rollups and their conversations, written with COPY (the
    state folding their events would leave), then vacuumed and analysed."""
    started = time.perf_counter()
    expected = Expected()
    totals: dict[Any, list[float]] = {}
    conversation_totals: dict[Any, list[float]] = {}
    buckets: dict[Any, int] = {}
    for conversations, messages in fact_rows(bench.tenant, MESSAGES, expected):
        await db.copy_records_to_table(
            "conversation_facts", records=conversations, columns=CONVERSATION_COLUMNS
        )
        await db.copy_records_to_table("message_facts", records=messages, columns=MESSAGE_COLUMNS)
        roll_up(totals, messages)
        roll_up_conversations(conversation_totals, buckets, conversations)
        log(f"summary: {expected.messages} messages, {expected.conversations} conversations loaded")
    rows = [(*key, int(sums[0]), int(sums[1]), int(sums[2]), float(sums[3])) for key, sums in totals.items()]
    await db.copy_records_to_table("message_rollups", records=rows, columns=(*rollups.KEY, *rollups.COUNTS))
    log(f"summary: {len(rows)} daily message rollup rows loaded")
    await db.copy_records_to_table(
        "conversation_rollups",
        records=[(*key, *sums) for key, sums in conversation_totals.items()],
        columns=(*rollups.CONVERSATION_KEY, *rollups.CONVERSATION_COUNTS),
    )
    await db.copy_records_to_table(
        "conversation_durations",
        records=[(*key, measure, number, count) for (key, measure, number), count in buckets.items()],
        columns=(*rollups.DURATION_KEY, "conversations"),
    )
    log(f"summary: {len(conversation_totals)} conversation rollup rows, {len(buckets)} duration buckets")
    tables = (
        "message_facts",
        "message_rollups",
        "conversation_facts",
        "conversation_rollups",
        "conversation_durations",
    )
    for table in tables:
        await db.execute(f"VACUUM ANALYZE {table}")
    log(f"summary: facts loaded, vacuumed and analysed in {time.perf_counter() - started:.1f} s")
    return expected


async def series(client: httpx.AsyncClient, params: dict[str, str], what: str) -> tuple[list[float], Any]:
    """Milliseconds of each measured GET /v1/reports/summary after the warm-ups, and the last answer."""

    async def call() -> tuple[float, Any]:
        started = time.perf_counter()
        response = await client.get("/v1/reports/summary", params=params)
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        return elapsed, response.json()

    first, answer = await call()
    log(f"summary {what}: warm-up {first:.0f} ms")
    if first <= 10_000:
        log(f"summary {what}: warm-up {(await call())[0]:.0f} ms")
    timings: list[float] = []
    started = time.monotonic()
    while len(timings) < REPEATS and (len(timings) < 3 or time.monotonic() - started < SERIES_SECONDS):
        elapsed, answer = await call()
        timings.append(elapsed)
    if len(timings) < REPEATS:
        log(f"summary {what}: only {len(timings)} of {REPEATS} calls, after {SERIES_SECONDS:.0f} s")
    log(f"summary {what}: p50 {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms")
    return timings, answer


async def summarise(bench: Bench) -> dict[str, Any]:
    """Load a million message facts, then time reporting's summary over them."""
    name, url = await bench.database("summary")
    db = await bench.connect(name)
    try:
        expected = await load_facts(bench, db)
    finally:
        await db.close()
    process, base_url = await bench.start(url, "summary")
    await wait_ready(f"{base_url}/readyz", process)
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=900) as client:
        whole, answer = await series(client, {}, "whole period")
        filtered, narrowed = await series(client, {"channel": "whatsapp"}, "channel=whatsapp")
    rss = peak_rss_mb(process.pid)
    await stop(process)
    checks = {
        "messages_received": (answer["messages_received"], expected.messages),
        "conversations_opened": (answer["conversations_opened"], expected.conversations),
        "conversations_resolved": (answer["conversations_resolved"], expected.resolved),
        "whatsapp_messages_received": (narrowed["messages_received"], expected.whatsapp_messages),
    }
    wrong = {key: pair for key, pair in checks.items() if pair[0] != pair[1]}
    if wrong:
        raise SystemExit(f"the summary does not count what was loaded (answer, loaded): {wrong}")
    return {
        "summary_ms": round(statistics.median(whole), 1),
        "summary_p99_ms": round(percentile(whole, 0.99), 1),
        "summary_filtered_ms": round(statistics.median(filtered), 1),
        "summary_filtered_p99_ms": round(percentile(filtered, 0.99), 1),
        "summary_calls": len(whole),
        "summary_filtered_calls": len(filtered),
        "messages": expected.messages,
        "conversations": expected.conversations,
        "whatsapp_messages": expected.whatsapp_messages,
        "summary_peak_rss_mb": round(rss, 1),
    }


async def main() -> None:
    bootstrap = os.environ["WEBCARE_TEST_KAFKA_BOOTSTRAP"]
    pg_url = os.environ["WEBCARE_TEST_PG_URL"]
    run = uuid.uuid4().hex[:8]
    pg = await asyncpg.connect(pg_url)
    base = pg_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    with tempfile.TemporaryDirectory() as scratch:
        bench = Bench(run=run, bootstrap=bootstrap, pg=pg, base=base, scratch=pathlib.Path(scratch))
        try:
            folded = await fold(bench) if "fold" in PARTS else {"events_per_s": 0.0, "events": 0}
            log(f"fold: {json.dumps(folded)}")
            summary = await summarise(bench) if "summary" in PARTS else {"summary_ms": None}
        finally:
            for process in bench.processes:
                await stop(process)
            for name in bench.databases:
                if KEEP:
                    log(f"kept the database {name}")
                else:
                    await pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await pg.close()
    figures = {
        "events_per_s": folded["events_per_s"],
        "events": folded["events"],
        **summary,
        **{key: value for key, value in folded.items() if key not in ("events_per_s", "events")},
        "goal_met": folded["events_per_s"] >= GOAL_EVENTS_PER_S
        and summary["summary_ms"] is not None
        and summary["summary_ms"] <= GOAL_SUMMARY_MS,
        **({"parts": sorted(PARTS)} if len(PARTS) == 1 else {}),
    }
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--profiled"]:
        profiled(sys.argv[2], sys.argv[3:])
    else:
        asyncio.run(main())
