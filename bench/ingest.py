"""Signed webhook deliveries per second through one ingest process into Kafka, against a bare endpoint.

Run with `make bench-ingest` (starts Kafka and PostgreSQL on the benchmark's own ports; installs
Debian's wrk when missing). Both servers are one uvicorn process with the same settings, loaded by
the same wrk run (`BENCH_CONNECTIONS` connections, `BENCH_SECONDS` seconds after a warm-up):

- ingest: `webcare serve ingest` on Kafka (acks=all, idempotent) and PostgreSQL; each request is a
  Messenger delivery signed with X-Hub-Signature-256 for a registered page, with its own message id,
  answered 200 only after its MessageReceived is acknowledged by Kafka;
- baseline: a bare FastAPI endpoint that parses the same JSON bodies and answers JSON.

The last line printed is JSON: rate, baseline_rate, ratio, p50_ms, p99_ms (ingest's), baseline
latencies, `published`, the MessageReceived events of the run found on Kafka (must equal the
requests ingest answered), `cpu_ms_per_request`, the ingest process's CPU time per answered request
(`baseline_cpu_ms_per_request`: the bare server's), and how many of the machine's cores were busy
during each measurement (`machine_busy_cores`, `baseline_machine_busy_cores`).

`BENCH_PROFILE=<file>` profiles the ingest process's CPU time (cProfile) during the measured period and
writes the stats there (`python -m pstats <file>`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
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
from typing import Any

import asyncpg
import httpx
from benchkit import cpu_seconds, end_offsets, free_port, machine_busy, profiled, serve_command, stop

from services.kit.bus.kafka import KafkaBus, KafkaConfig
from services.kit.events import MESSAGE_RECEIVED, TOPICS

ROOT = pathlib.Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "ingest_load.lua"
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = 2
PER_THREAD = int(os.environ.get("BENCH_BODIES", "40000"))  # unique deliveries each wrk thread can send
PAGE_ID = "104857600000001"
APP_SECRET = "bench-app-secret-0123456789"
ADMIN_KEY = "bench-admin-key-0123456789abcdef"
TEXTS = [
    "Hallo, meine Rechnung ist diesen Monat doppelt so hoch. Könnt ihr das prüfen? 😡",
    "My parcel never arrived, tracking says delivered. What now?",
    "Seit gestern kein Internet in 10115 Berlin, wann geht es wieder?",
    "Danke für die schnelle Hilfe gestern! 👍",
]


def log(message: str) -> None:
    print(f"bench-ingest: {message}", file=sys.stderr, flush=True)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("installing wrk (Debian package)")
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed and could not be installed")
    return found


def delivery(run: str, n: int) -> bytes:
    """A Messenger text message to the page, as Meta delivers it, with a message id of its own."""
    psid = str(7_000_000 + n % 5000)
    body = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": 1_732_000_000_000 + n,
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": PAGE_ID},
                        "timestamp": 1_732_000_000_000 + n,
                        "message": {"mid": f"m_{run}_{n}", "text": TEXTS[n % len(TEXTS)]},
                    }
                ],
            }
        ],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def write_bodies(directory: pathlib.Path, run: str) -> str:
    """One file per wrk thread of signed deliveries; returns the files' common prefix."""
    prefix = directory / "bodies"
    for thread in range(THREADS):
        with open(f"{prefix}-{thread}.txt", "wb") as out:
            for i in range(PER_THREAD):
                body = delivery(run, thread * PER_THREAD + i)
                signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
                out.write(signature.encode() + b"\t" + body + b"\n")
    return str(prefix)


def wrk(binary: str, url: str, bodies: str, seconds: int) -> dict[str, Any]:
    result = subprocess.run(
        [binary, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(LUA), url, "--", bodies],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    figures["rate"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


async def wait_ready(url: str, seconds: float = 60) -> None:
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


async def serve(args: list[str], env: dict[str, str], port: int) -> asyncio.subprocess.Process:
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as out:
        process = await asyncio.create_subprocess_exec(
            *args, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT, start_new_session=True
        )
    await wait_ready(f"http://127.0.0.1:{port}/healthz")
    return process


async def main() -> None:
    bootstrap = os.environ["WEBCARE_TEST_KAFKA_BOOTSTRAP"]
    pg_url = os.environ["WEBCARE_TEST_PG_URL"]
    binary = ensure_wrk()
    run = uuid.uuid4().hex[:8]
    database = f"bench_{run}_ingest"
    await KafkaBus(KafkaConfig(bootstrap=bootstrap)).ensure_topics(TOPICS)
    admin = await asyncpg.connect(pg_url)
    await admin.execute(f'CREATE DATABASE "{database}"')
    base = pg_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    env = {
        **os.environ,
        "WEBCARE_BUS": "kafka",
        "WEBCARE_KAFKA_BOOTSTRAP": bootstrap,
        "WEBCARE_DATABASE_URL": f"{base}/bench_{run}_{{service}}",
        "WEBCARE_CONSUMER_GROUP_PREFIX": f"bench-{run}",
        "WEBCARE_LOG_LEVEL": "WARNING",
        "WEBCARE_ADMIN_API_KEY": ADMIN_KEY,
        "WEBCARE_TENANT": f"bench-{run}",
        "WEBCARE_SECRETS_KEY": "bXktYmVuY2gta2V5LW15LWJlbmNoLWtleS0xMjM0NTY=",
    }
    ingest = bare = None
    try:
        with tempfile.TemporaryDirectory() as scratch:
            bodies = write_bodies(pathlib.Path(scratch), run)
            log(f"{THREADS * PER_THREAD} signed deliveries written")
            migrate = await asyncio.create_subprocess_exec(
                str(ROOT / ".venv/bin/webcare"), "migrate", "ingest", env=env
            )
            if await migrate.wait() != 0:
                raise SystemExit("webcare migrate ingest failed")

            port = free_port()
            bare = await serve([sys.executable, __file__, "--bare", str(port)], env, port)
            wrk(binary, f"http://127.0.0.1:{port}/webhook", bodies, 3)  # warm-up
            machine_before, bare_cpu = machine_busy(), cpu_seconds(bare.pid)
            baseline = wrk(binary, f"http://127.0.0.1:{port}/webhook", bodies, SECONDS)
            baseline_busy = busy_cores(machine_before)
            bare_cpu = cpu_seconds(bare.pid) - bare_cpu
            await stop(bare)
            bare = None
            log(f"bare endpoint: {baseline['rate']:.0f} req/s, p99 {baseline['p99_us'] / 1000:.1f} ms")

            port = free_port()
            ingest = await serve(serve_command(__file__, ["serve", "ingest", "--port", str(port)]), env, port)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                account = {
                    "channel": "facebook",
                    "external_id": PAGE_ID,
                    "secrets": {"app_secret": APP_SECRET},
                }
                response = await client.post(
                    "/v1/channel-accounts", json=account, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
                )
                response.raise_for_status()
            start = await end_offsets(bootstrap, MESSAGE_RECEIVED)
            url = f"http://127.0.0.1:{port}/v1/webhooks/meta"
            profiling = bool(os.environ.get("BENCH_PROFILE"))
            cpu_before = cpu_seconds(ingest.pid)
            machine_before = machine_busy()
            if profiling:
                os.kill(ingest.pid, signal.SIGUSR1)
            try:
                measured = wrk(binary, url, bodies, SECONDS)
                cpu_used = cpu_seconds(ingest.pid) - cpu_before
                ingest_busy = busy_cores(machine_before)
            finally:
                if profiling:
                    os.kill(ingest.pid, signal.SIGUSR2)
            end = await end_offsets(bootstrap, MESSAGE_RECEIVED)
            published = sum(end[tp] - start[tp] for tp in end)
            log(
                f"ingest: {measured['rate']:.0f} req/s, p50 {measured['p50_us'] / 1000:.1f} ms, "
                f"p99 {measured['p99_us'] / 1000:.1f} ms, {measured['non2xx']} non-2xx, {published} published"
            )
            if measured["requests"] > THREADS * PER_THREAD:
                log("more requests than unique deliveries: raise BENCH_BODIES (repeats are duplicates)")
        print(
            json.dumps(
                {
                    "rate": round(measured["rate"], 1),
                    "baseline_rate": round(baseline["rate"], 1),
                    "ratio": round(measured["rate"] / baseline["rate"], 3),
                    "p50_ms": round(measured["p50_us"] / 1000, 2),
                    "p99_ms": round(measured["p99_us"] / 1000, 2),
                    "baseline_p50_ms": round(baseline["p50_us"] / 1000, 2),
                    "baseline_p99_ms": round(baseline["p99_us"] / 1000, 2),
                    "requests": measured["requests"],
                    "non2xx": measured["non2xx"] + measured["socket_errors"],
                    "published": published,
                    "cpu_ms_per_request": round(cpu_used * 1000 / max(measured["requests"], 1), 3),
                    "baseline_cpu_ms_per_request": round(bare_cpu * 1000 / max(baseline["requests"], 1), 3),
                    "machine_busy_cores": ingest_busy,
                    "baseline_machine_busy_cores": baseline_busy,
                    "machine_cores": os.cpu_count(),
                    "connections": CONNECTIONS,
                    "seconds": SECONDS,
                }
            )
        )
    finally:
        await stop(bare)
        await stop(ingest)
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


def busy_cores(before: tuple[float, float]) -> float:
    """How many of the machine's cores were busy, on average, since `before` (machine_busy())."""
    busy, total = machine_busy()
    cores = os.cpu_count() or 1
    return round((busy - before[0]) / max(total - before[1], 1e-9) * cores, 2)


def bare_server(port: int) -> None:
    """The baseline: FastAPI, one JSON endpoint that parses the body, same uvicorn settings as serve."""
    import uvicorn
    from fastapi import FastAPI, Request

    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/webhook")
    async def webhook(request: Request) -> dict[str, Any]:
        body = await request.json()
        return {"status": "ok", "entries": len(body.get("entry", []))}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        bare_server(int(sys.argv[2]))
    elif sys.argv[1:2] == ["--profiled"]:
        profiled(sys.argv[2], sys.argv[3:])
    else:
        asyncio.run(main())
