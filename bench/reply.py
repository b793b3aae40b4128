"""Replies per second through one reply process to a local WhatsApp Cloud API that answers after 50 ms.

Run with `make bench-reply` (starts Kafka and PostgreSQL on the benchmark's own ports; installs
Debian's wrk when missing). One `webcare serve reply` process on Kafka and PostgreSQL sends from
`BENCH_ACCOUNTS` WhatsApp numbers (default 16, so WhatsApp's 80 messages/s per number, the real
default limit, allows 1,280/s) to a stand-in for the Cloud API: a separate uvicorn process that
checks each `POST /{phone_number_id}/messages` (bearer token, text body) and answers with a wamid
after `BENCH_CHANNEL_MS` (default 50). Reply learns its `BENCH_CONVERSATIONS` conversations (default
1,024) as it does in production, from ConversationOpened and ConversationAssigned on Kafka; the
numbers are registered through `PUT /v1/delivery-accounts/{id}`.

wrk (`BENCH_CONNECTIONS` connections, default 256) posts `POST /v1/conversations/{id}/replies` with
the admin key, each with a text of its own; each answer comes after the channel took the reply, and
counts when it is 201 with status `sent`. After a warm-up (`BENCH_WARMUP`, 5 s) the measured period
lasts `BENCH_SECONDS` (20 s). The baseline is the same wrk run straight against the channel server.
Afterwards the run checks that the channel received every reply recorded `sent` exactly once, and
that each has its ReplySent on Kafka.

The last line printed is JSON: rate, baseline_rate, ratio, p50_ms, p99_ms, failures, peak_rss_mb
(VmHWM of the reply process) and rss_mb (its VmRSS at the end), the checks, and where the CPU went
during the measured period (reply_cpu_cores, reply_cpu_ms_per_reply, pg_cpu_cores, ...).
`BENCH_PROFILE=<file>` profiles the reply process's CPU time (cProfile) during the measured period and
writes the stats there (`python -m pstats <file>`).
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from benchkit import (
    cpu_seconds,
    end_offsets,
    free_port,
    machine_busy,
    profiled,
    serve_command,
    stop,
    tree_cpu,
)
from cryptography.fernet import Fernet
from webcare.v1 import common_pb2, conversations_pb2, replies_pb2

from services.kit.bus.base import Record
from services.kit.bus.kafka import KafkaBus, KafkaConfig
from services.kit.events import REPLY_EVENTS, TOPICS, decode, encode, new_event, now
from services.kit.events import timestamp as pb_time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "256"))
CONCURRENCY = int(os.environ.get("BENCH_REPLY_CONCURRENCY", "256"))  # WEBCARE_REPLY_CONCURRENCY
DB_POOL = int(os.environ.get("BENCH_DB_POOL", "20"))  # WEBCARE_DATABASE_POOL_SIZE, the chart's default
ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "16"))
CONVERSATIONS = int(os.environ.get("BENCH_CONVERSATIONS", "1024"))
CHANNEL_MS = float(os.environ.get("BENCH_CHANNEL_MS", "50"))
RATE_PER_ACCOUNT = '{"whatsapp": 80, "default": 20}'
THREADS = 2
GOAL = 500.0
ADMIN_KEY = "bench-admin-key-0123456789abcdef"
REPLY_TEXT = "Hallo, danke für Ihre Nachricht! Wir kümmern uns sofort darum. Referenz %s"

# Each wrk thread cycles through the targets ("<path>\t<bearer token>\t<body with %s>"), giving every
# request a reference of its own; a request counts when its status and a needle in the answer match.
# Ends with up to three failure reasons per thread ("reason\t...") and one JSON line of figures.
LUA = r"""
local counter, threads = 0, {}

function setup(thread)
  thread:set("id", counter)
  threads[#threads + 1] = thread
  counter = counter + 1
end

function init(args)
  targets = {}
  for line in io.lines(args[1]) do
    local path, token, body = line:match("^(%S+)\t(%S+)\t(.*)$")
    targets[#targets + 1] = { path, { ["Content-Type"] = "application/json",
                                      ["Authorization"] = "Bearer " .. token }, body }
  end
  expected, needle, tag = tonumber(args[2]), args[3], args[4]
  sent, ok, bad, reasons = 0, 0, 0, ""
end

function request()
  sent = sent + 1
  local target = targets[(sent + id * math.floor(#targets / 2)) % #targets + 1]
  local body = string.format(target[3], tag .. "-" .. id .. "-" .. sent)
  return wrk.format("POST", target[1], target[2], body)
end

function response(status, headers, body)
  if status == expected and string.find(body, needle, 1, true) then
    ok = ok + 1
  else
    bad = bad + 1
    if bad <= 3 then
      reasons = reasons .. "reason\t" .. status .. " " .. string.sub(body, 1, 300):gsub("\n", " ") .. "\n"
    end
  end
end

function done(summary, latency, requests)
  local good, failed = 0, 0
  for _, thread in ipairs(threads) do
    good, failed = good + thread:get("ok"), failed + thread:get("bad")
    io.write(thread:get("reasons"))
  end
  local e = summary.errors
  io.write(string.format(
    '{"ok": %d, "bad": %d, "requests": %d, "duration_us": %d, "socket_errors": %d, '
    .. '"p50_us": %d, "p99_us": %d}\n',
    good, failed, summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def log(message: str) -> None:
    print(f"bench-reply: {message}", file=sys.stderr, flush=True)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        log("installing wrk (Debian package)")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed and could not be installed")
    return found


@dataclass(frozen=True)
class Conversation:
    id: str
    account: int
    customer: str


def phone_number_id(account: int) -> str:
    return f"1065403522{account:05d}"


def token(phone: str) -> str:
    """The access token of a number: the channel server checks it without being told."""
    return f"bench-token-{phone}"


def conversations(run: str) -> list[Conversation]:
    return [Conversation(f"conv-{run}-{n:05d}", n % ACCOUNTS, f"49151{n:08d}") for n in range(CONVERSATIONS)]


def write_targets(directory: pathlib.Path, convs: list[Conversation]) -> tuple[str, str]:
    """wrk's target files: replies through reply, and the same messages straight to the channel."""
    reply, channel = directory / "reply.txt", directory / "channel.txt"
    reply_body = json.dumps({"text": REPLY_TEXT}, ensure_ascii=False)
    with reply.open("w") as out:
        out.writelines(f"/v1/conversations/{c.id}/replies\t{ADMIN_KEY}\t{reply_body}\n" for c in convs)
    with channel.open("w") as out:
        for c in convs:
            phone = phone_number_id(c.account)
            body: dict[str, Any] = {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": c.customer,
            }
            body |= {"type": "text", "text": {"preview_url": False, "body": REPLY_TEXT}}
            out.write(f"/{phone}/messages\t{token(phone)}\t{json.dumps(body, ensure_ascii=False)}\n")
    return str(reply), str(channel)


async def wrk(binary: str, lua: str, url: str, args: list[str], seconds: int) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        binary, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", "-s", lua, url,
        "--", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"wrk failed: {err.decode()}")
    lines = out.decode().strip().splitlines()
    if not lines or not lines[-1].startswith("{"):
        raise SystemExit(f"wrk gave no figures: {out.decode()[-2000:]} {err.decode()[-2000:]}")
    figures: dict[str, Any] = json.loads(lines[-1])
    figures["reasons"] = [line.split("\t", 1)[1] for line in lines if line.startswith("reason\t")]
    figures["rate"] = figures["ok"] / (figures["duration_us"] / 1e6)
    figures["failures"] = figures["bad"] + figures["socket_errors"]
    return figures


async def wait_ready(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"{url} did not become ready")


async def serve(args: list[str], env: dict[str, str], ready: str) -> asyncio.subprocess.Process:
    with tempfile.NamedTemporaryFile("w", prefix="bench-reply-", suffix=".log", delete=False) as out:
        process = await asyncio.create_subprocess_exec(
            *args, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT, start_new_session=True
        )
        log(f"{' '.join(args[1:3])}: pid {process.pid}, log {out.name}")
    await wait_ready(ready)
    return process


async def publish_conversations(bootstrap: str, tenant: str, convs: list[Conversation]) -> None:
    """ConversationOpened and ConversationAssigned for each conversation, as routing announces them."""
    producer: AIOKafkaProducer[bytes, bytes] = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        futures = []
        for n, c in enumerate(convs):
            customer = common_pb2.Author(external_id=c.customer, name=f"Kunde {n}")
            opened = new_event(
                conversations_pb2.ConversationOpened, tenant_id=tenant, conversation_id=c.id,
                conversation_key=f"whatsapp:{c.customer}", channel="whatsapp", customer=customer,
                is_public=False, language="de", category="question", first_message_id=f"msg-{n}",
                first_message_at=pb_time(now()), urgency=2, channel_account_id=f"wa-{c.account}",
                first_message_external_id=f"wamid.in-{n}",
            )  # fmt: skip
            assigned = new_event(
                conversations_pb2.ConversationAssigned, tenant_id=tenant, conversation_id=c.id,
                agent_id=f"agent-{n % 64}", reason="bench",
            )  # fmt: skip
            for event in (opened, assigned):
                record = encode(event, source="routing", key=c.id)
                futures.append(
                    await producer.send(
                        record.topic, record.value, key=record.key, headers=list(record.headers)
                    )
                )
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def count_reply_sent(bootstrap: str, start: dict[TopicPartition, int], tenant: str) -> tuple[int, int]:
    """ReplySent events of the tenant on Kafka since `start`: how many, and for how many replies."""
    end = await end_offsets(bootstrap, REPLY_EVENTS)
    consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    events, replies = 0, set()
    try:
        consumer.assign(list(end))
        for tp in end:
            consumer.seek(tp, start.get(tp, 0))
        left = {tp for tp in end if end[tp] > start.get(tp, 0)}
        deadline = time.monotonic() + 120
        while left and time.monotonic() < deadline:
            for tp, messages in (await consumer.getmany(timeout_ms=500, max_records=5000)).items():
                for message in messages:
                    if message.offset >= end[tp]:
                        continue
                    headers = tuple((k, v) for k, v in message.headers)
                    event = decode(
                        Record(topic=tp.topic, key=message.key, value=message.value, headers=headers)
                    )
                    if isinstance(event, replies_pb2.ReplySent) and event.tenant_id == tenant:
                        events += 1
                        replies.add(event.reply_id)
                if messages and messages[-1].offset + 1 >= end[tp]:
                    left.discard(tp)
    finally:
        await consumer.stop()
    return events, len(replies)


def memory_mb(pid: int, field: str) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def reply_env(pg_url: str, bootstrap: str, run: str) -> dict[str, str]:
    """The reply process's settings: Kafka, a database of the run's own, the real per-number limit."""
    base = pg_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return {
        **os.environ,
        "WEBCARE_BUS": "kafka",
        "WEBCARE_KAFKA_BOOTSTRAP": bootstrap,
        "WEBCARE_DATABASE_URL": f"{base}/bench_{run}_{{service}}",
        "WEBCARE_DATABASE_POOL_SIZE": str(DB_POOL),
        "WEBCARE_CONSUMER_GROUP_PREFIX": f"bench-{run}",
        "WEBCARE_LOG_LEVEL": "WARNING",
        "WEBCARE_ADMIN_API_KEY": ADMIN_KEY,
        "WEBCARE_TENANT": f"bench-{run}",
        "WEBCARE_SECRETS_KEY": Fernet.generate_key().decode(),
        "WEBCARE_REPLY_ALLOW_PRIVATE_NETWORKS": "true",
        "WEBCARE_REPLY_WITHOUT_ACCOUNT": "fail",
        "WEBCARE_REPLY_RATE_PER_ACCOUNT": RATE_PER_ACCOUNT,
        "WEBCARE_REPLY_CONCURRENCY": str(CONCURRENCY),
    }


def cmdline(pid: int) -> str:
    return pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()


@dataclass
class Bench:
    """One run: its servers, database and conversations."""

    run: str
    bootstrap: str
    pg_url: str
    wrk: str
    convs: list[Conversation]
    pg: asyncpg.Connection | None = None
    reply: asyncio.subprocess.Process | None = None
    channel: asyncio.subprocess.Process | None = None
    reply_url: str = ""
    channel_url: str = ""

    @property
    def tenant(self) -> str:
        return f"bench-{self.run}"

    @property
    def database(self) -> str:
        return f"bench_{self.run}_reply"

    def db(self) -> asyncpg.Connection:
        assert self.pg is not None
        return self.pg

    def pid(self, process: asyncio.subprocess.Process | None) -> int:
        assert process is not None
        return process.pid


class Meter:
    """Over a period: CPU of the reply process, the channel server, PostgreSQL and the machine, and
    the transactions of reply's database; the reply process's resident memory, sampled."""

    def __init__(self, bench: Bench, postmaster: int | None) -> None:
        self.bench = bench
        self.pids = {"reply": bench.pid(bench.reply), "channel": bench.pid(bench.channel)}
        self.postmaster = postmaster
        self.rss_max = 0.0

    async def read(self) -> dict[str, float]:
        found = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        if self.postmaster is not None:
            found["pg"] = tree_cpu(self.postmaster)
        found["busy"], found["total"] = machine_busy()
        query = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1"
        found["xacts"] = float(await self.bench.db().fetchval(query, self.bench.database))
        found["channel_received"] = float((await channel_counts(self.bench.channel_url))["received"])
        found["wall"] = time.monotonic()
        return found

    async def sample_rss(self) -> None:
        while True:
            self.rss_max = max(self.rss_max, memory_mb(self.pids["reply"], "VmRSS"))
            await asyncio.sleep(0.5)


def cpu_figures(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    """Cores each part kept busy, and per reply the channel received: the reply process's CPU and
    the transactions of its database."""
    wall = after["wall"] - before["wall"]

    def cores(name: str) -> float | None:
        return round((after[name] - before[name]) / wall, 2) if name in before else None

    sent = after["channel_received"] - before["channel_received"]
    per_reply = max(sent, 1)
    return {
        "channel_rate": round(sent / wall, 1),
        "reply_cpu_cores": cores("reply"),
        "reply_cpu_ms_per_reply": round((after["reply"] - before["reply"]) / per_reply * 1000, 2),
        "channel_cpu_cores": cores("channel"),
        "pg_cpu_cores": cores("pg"),
        "machine_busy_cores": cores("busy"),
        "machine_cores": cores("total"),
        "pg_xacts_per_reply": round((after["xacts"] - before["xacts"]) / per_reply, 2),
    }


async def postmaster_pid(pg: asyncpg.Connection) -> int | None:
    """The PostgreSQL server's process, to count its CPU (None when it cannot be read)."""
    try:
        directory = await pg.fetchval("SHOW data_directory")
        return int((pathlib.Path(directory) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, asyncpg.PostgresError):
        return None


async def poll(
    pg: asyncpg.Connection, query: str, done: Callable[[int], bool], seconds: float, *args: object
) -> int:
    """Run a count query (with `args`) until `done` holds or the time is up; the last count."""
    deadline = time.monotonic() + seconds
    while True:
        value = int(await pg.fetchval(query, *args))
        if done(value) or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.5)


async def channel_counts(url: str) -> dict[str, int]:
    async with httpx.AsyncClient(base_url=url) as client:
        found: dict[str, int] = (await client.get("/count")).raise_for_status().json()
        return found


async def start_servers(bench: Bench, env: dict[str, str]) -> None:
    """The channel server and the reply process; the numbers registered, the conversations known."""
    channel_port, reply_port = free_port(), free_port()
    bench.channel_url, bench.reply_url = f"http://127.0.0.1:{channel_port}", f"http://127.0.0.1:{reply_port}"
    channel_args = [sys.executable, __file__, "--channel", str(channel_port), str(CHANNEL_MS)]
    bench.channel = await serve(channel_args, env, f"{bench.channel_url}/healthz")
    bench.reply = await serve(
        serve_command(__file__, ["serve", "reply", "--port", str(reply_port)]),
        env,
        f"{bench.reply_url}/readyz",
    )
    log(f"reply process {bench.reply.pid}: {cmdline(bench.reply.pid)}")
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    async with httpx.AsyncClient(base_url=bench.reply_url, headers=admin) as client:
        for account in range(ACCOUNTS):
            phone = phone_number_id(account)
            body = {
                "channel": "whatsapp",
                "base_url": bench.channel_url,
                "settings": {"phone_number_id": phone},
                "credentials": {"access_token": token(phone)},
            }
            (await client.put(f"/v1/delivery-accounts/wa-{account}", json=body)).raise_for_status()
    reply_db = await asyncpg.connect(bench.pg_url.rsplit("/", 1)[0] + "/" + bench.database)
    try:
        # The run's own tenant only: the topic may still hold earlier runs' conversations.
        query = "SELECT count(*) FROM conversation_views WHERE assignee_id IS NOT NULL AND tenant_id = $1"
        known = await poll(reply_db, query, lambda n: n >= len(bench.convs), 120, bench.tenant)
    finally:
        await reply_db.close()
    if known < len(bench.convs):
        raise SystemExit(f"reply knows {known} of {len(bench.convs)} conversations after 120 s")
    log(f"reply knows all {known} conversations; {ACCOUNTS} WhatsApp numbers registered")


async def measure(bench: Bench, scratch: pathlib.Path) -> dict[str, Any]:
    """The baseline against the channel server, then reply: a warm-up and the measured period."""
    lua = scratch / "reply_load.lua"
    lua.write_text(LUA)
    reply_targets, channel_targets = write_targets(scratch, bench.convs)
    base_args = [channel_targets, "200", '"wamid.']
    await wrk(bench.wrk, str(lua), bench.channel_url, [*base_args, f"{bench.run}bw"], 3)
    baseline = await wrk(bench.wrk, str(lua), bench.channel_url, [*base_args, f"{bench.run}b"], SECONDS)
    log(f"channel server alone: {baseline['rate']:.0f} messages/s, p99 {baseline['p99_us'] / 1000:.1f} ms")
    return {"baseline": baseline, **await measure_reply(bench, str(lua), reply_targets)}


async def measure_reply(bench: Bench, lua: str, targets: str) -> dict[str, Any]:
    """wrk against reply: a warm-up, then the measured period with CPU and memory sampled (and the
    reply process profiled, with BENCH_PROFILE)."""
    start = {
        "channel": await channel_counts(bench.channel_url),
        "kafka": await end_offsets(bench.bootstrap, REPLY_EVENTS),
    }
    args = [targets, "201", '"status":"sent"']
    warm = await wrk(bench.wrk, lua, bench.reply_url, [*args, f"{bench.run}w"], WARMUP)
    log(f"reply warm-up: {warm['rate']:.0f} replies/s, {warm['failures']} failures")
    meter = Meter(bench, await postmaster_pid(bench.db()))
    rss_after_warmup = memory_mb(meter.pids["reply"], "VmRSS")
    sampler = asyncio.create_task(meter.sample_rss())
    profiling = bool(os.environ.get("BENCH_PROFILE"))
    before = await meter.read()
    if profiling:
        os.kill(meter.pids["reply"], signal.SIGUSR1)
    try:
        measured = await wrk(bench.wrk, lua, bench.reply_url, [*args, f"{bench.run}m"], SECONDS)
    finally:
        if profiling:
            os.kill(meter.pids["reply"], signal.SIGUSR2)
        after = await meter.read()
        sampler.cancel()
    cpu = cpu_figures(before, after)
    log(
        f"reply: {measured['rate']:.0f} replies/s, p50 {measured['p50_us'] / 1000:.1f} ms, "
        f"p99 {measured['p99_us'] / 1000:.1f} ms, {measured['failures']} failures; {cpu}"
    )
    for reason in [*warm["reasons"], *measured["reasons"]]:
        log(f"failure: {reason}")
    memory = {
        "rss_after_warmup_mb": round(rss_after_warmup, 1),
        "rss_max_measured_mb": round(meter.rss_max, 1),
    }
    return {"measured": measured, "warm": warm, "cpu": cpu, "memory": memory, "start": start}


async def verify(bench: Bench, start: dict[str, Any]) -> dict[str, Any]:
    """Once nothing is in flight: replies sent by status, what the channel got, ReplySent on Kafka."""
    reply_db = await asyncpg.connect(bench.pg_url.rsplit("/", 1)[0] + "/" + bench.database)
    try:
        # Replies still in flight, and events committed but not yet on Kafka (the outbox); requests
        # wrk left waiting to be accepted (intake.py) are not stored yet: the count of replies must
        # also stand still for a second.
        query = (
            "SELECT (SELECT count(*) FROM replies WHERE status IN ('sending', 'queued'))"
            " + (SELECT count(*) FROM outbox)"
        )
        stored, deadline = -1, time.monotonic() + 60
        while time.monotonic() < deadline:
            await poll(reply_db, query, lambda n: n == 0, deadline - time.monotonic())
            now_stored = int(await reply_db.fetchval("SELECT count(*) FROM replies"))
            if now_stored == stored:
                break
            stored = now_stored
            await asyncio.sleep(1.0)
        rows = await reply_db.fetch("SELECT status, count(*) AS n FROM replies GROUP BY status")
    finally:
        await reply_db.close()
    statuses = {row["status"]: int(row["n"]) for row in rows}
    now_counts = await channel_counts(bench.channel_url)
    received = now_counts["received"] - start["channel"]["received"]
    distinct = now_counts["distinct"] - start["channel"]["distinct"]
    events, event_replies = await count_reply_sent(bench.bootstrap, start["kafka"], bench.tenant)
    sent = statuses.get("sent", 0)
    checks_ok = sent == received == distinct == events == event_replies
    log(
        f"replies by status {statuses}; channel received {received} ({distinct} distinct), "
        f"{events} ReplySent for {event_replies} replies: {'consistent' if checks_ok else 'INCONSISTENT'}"
    )
    return {
        "sent_in_db": sent,
        "replies_by_status": statuses,
        "channel_received": received,
        "channel_duplicates": received - distinct,
        "reply_sent_events": events,
        "checks_ok": checks_ok,
        "channel_connections": now_counts["connections"] - start["channel"]["connections"],
    }


def summary(figures: dict[str, Any]) -> dict[str, Any]:
    measured, baseline = figures["measured"], figures["baseline"]
    return {
        "rate": round(measured["rate"], 1),
        "baseline_rate": round(baseline["rate"], 1),
        "ratio": round(measured["rate"] / baseline["rate"], 3),
        "p50_ms": round(measured["p50_us"] / 1000, 2),
        "p99_ms": round(measured["p99_us"] / 1000, 2),
        "baseline_p50_ms": round(baseline["p50_us"] / 1000, 2),
        "baseline_p99_ms": round(baseline["p99_us"] / 1000, 2),
        "replies": measured["ok"],
        "failures": measured["failures"] + figures["warm"]["failures"],
        "peak_rss_mb": figures["peak_rss_mb"],
        "rss_mb": figures["rss_mb"],
        **figures["memory"],
        **{key: figures[key] for key in ("sent_in_db", "channel_received", "channel_duplicates")},
        **{key: figures[key] for key in ("reply_sent_events", "checks_ok", "channel_connections")},
        **figures["cpu"],
        "connections": CONNECTIONS,
        "concurrency": CONCURRENCY,
        "db_pool": DB_POOL,
        "accounts": ACCOUNTS,
        "conversations": CONVERSATIONS,
        "channel_ms": CHANNEL_MS,
        "seconds": SECONDS,
        "goal_met": measured["rate"] >= GOAL and figures["checks_ok"],
    }


async def main() -> None:
    run = uuid.uuid4().hex[:8]
    bootstrap, pg_url = os.environ["WEBCARE_TEST_KAFKA_BOOTSTRAP"], os.environ["WEBCARE_TEST_PG_URL"]
    bench = Bench(run=run, bootstrap=bootstrap, pg_url=pg_url, wrk=ensure_wrk(), convs=conversations(run))
    env = reply_env(pg_url, bootstrap, run)
    await KafkaBus(KafkaConfig(bootstrap=bootstrap)).ensure_topics(TOPICS)
    bench.pg = await asyncpg.connect(pg_url)
    await bench.pg.execute(f'CREATE DATABASE "{bench.database}"')
    try:
        webcare = str(ROOT / ".venv/bin/webcare")
        migrate = await asyncio.create_subprocess_exec(webcare, "migrate", "reply", env=env)
        if await migrate.wait() != 0:
            raise SystemExit("webcare migrate reply failed")
        await publish_conversations(bootstrap, bench.tenant, bench.convs)
        log(f"{len(bench.convs)} conversations opened and assigned on Kafka")
        await start_servers(bench, env)
        with tempfile.TemporaryDirectory() as scratch:
            figures = await measure(bench, pathlib.Path(scratch))
        figures |= await verify(bench, figures.pop("start"))
        figures["peak_rss_mb"] = round(memory_mb(bench.pid(bench.reply), "VmHWM"), 1)
        figures["rss_mb"] = round(memory_mb(bench.pid(bench.reply), "VmRSS"), 1)
        print(json.dumps(summary(figures)))
    finally:
        await stop(bench.reply)
        await stop(bench.channel)
        await bench.pg.execute(f'DROP DATABASE IF EXISTS "{bench.database}" WITH (FORCE)')
        await bench.pg.close()


def whatsapp_text(body: Any) -> str | None:
    """The text of a Cloud API text message to a recipient; None when the body is not one."""
    if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp" or not body.get("to"):
        return None
    text = body.get("text")
    if body.get("type") != "text" or not isinstance(text, dict):
        return None
    found = text.get("body")
    return found if isinstance(found, str) and found else None


def channel_server(port: int, delay_ms: float) -> None:
    """The WhatsApp Cloud API's messages endpoint as reply uses it: checks the token and the body,
    answers with a wamid after `delay_ms`; GET /count tells what it received."""
    import itertools

    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    wamids = itertools.count(1)
    bodies: set[str] = set()
    clients: set[tuple[str, int]] = set()
    counts = {"received": 0, "refused": 0}

    def graph_error(status: int, code: int, message: str) -> JSONResponse:
        return JSONResponse({"error": {"message": message, "type": "OAuthException", "code": code}}, status)

    async def messages(request: Request) -> JSONResponse:
        if request.client is not None:
            clients.add((request.client.host, request.client.port))
        phone = request.path_params["phone_number_id"]
        if request.headers.get("authorization") != f"Bearer {token(phone)}":
            counts["refused"] += 1
            return graph_error(401, 190, "Invalid OAuth access token")
        body = json.loads(await request.body())
        text = whatsapp_text(body)
        if text is None:
            counts["refused"] += 1
            return graph_error(400, 100, "Invalid parameter")
        counts["received"] += 1
        bodies.add(text)
        await asyncio.sleep(delay_ms / 1000)
        answer = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": body["to"], "wa_id": body["to"]}],
            "messages": [{"id": f"wamid.bench{next(wamids)}"}],
        }
        return JSONResponse(answer)

    async def count(request: Request) -> JSONResponse:
        return JSONResponse({**counts, "distinct": len(bodies), "connections": len(clients)})

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    routes = [
        Route("/{phone_number_id}/messages", messages, methods=["POST"]),
        Route("/count", count),
        Route("/healthz", healthz),
    ]
    uvicorn.run(Starlette(routes=routes), host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--channel"]:
        channel_server(int(sys.argv[2]), float(sys.argv[3]))
    elif sys.argv[1:2] == ["--profiled"]:
        profiled(sys.argv[2], sys.argv[3:])
    else:
        asyncio.run(main())
