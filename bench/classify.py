"""Messages per second through one classify process, Kafka to Kafka, against a bare pass-through.

Run with `make bench-classify` (starts Kafka and PostgreSQL when needed). The messages are the
corpus's held-out texts, cycled. The last line printed is JSON: rate, baseline_rate, ratio,
p99_ms (the classifier alone, per message, over the same texts), messages, and the model alone in
µs per message: predict_us (one text at a time) and predict_many_us (in batches of `batch`).
`python bench/classify.py --model-only` measures only the model (no Kafka or PostgreSQL needed).
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import signal
import socket
import statistics
import sys
import tempfile
import time
import uuid

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from webcare.v1 import common_pb2, messages_pb2

from services.classify.classifier import Classifier, configured_model
from services.classify.config import CORPUS
from services.classify.model import TextModel
from services.classify.training import read_corpus
from services.kit.bus.kafka import KafkaBus, KafkaConfig
from services.kit.events import MESSAGE_CLASSIFIED, MESSAGE_RECEIVED, TOPICS, encode, new_event

ROOT = pathlib.Path(__file__).resolve().parent.parent
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "10000"))
TEXTS = [example.text for example in read_corpus(CORPUS, split="test")]  # varied, as real traffic is
BATCH = 200  # texts per predict_many call in the model's micro-benchmark


def log(message: str) -> None:
    print(f"bench-classify: {message}", file=sys.stderr, flush=True)


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    producer: AIOKafkaProducer[bytes, bytes] = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        partitions = await producer.partitions_for(topic)  # waits for the topic's metadata
    finally:
        await producer.stop()
    consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        return dict(await consumer.end_offsets(tps))
    finally:
        await consumer.stop()


async def commit_start(bootstrap: str, group: str, offsets: dict[TopicPartition, int]) -> None:
    """Make `group` start at `offsets`, so it reads only what this run produces."""
    consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(list(offsets))
        await consumer.commit(offsets)
    finally:
        await consumer.stop()


async def produce(bootstrap: str, tenant: str, count: int) -> None:
    producer: AIOKafkaProducer[bytes, bytes] = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5
    )
    await producer.start()
    try:
        futures = []
        for n in range(count):
            event = new_event(
                messages_pb2.MessageReceived,
                tenant_id=tenant,
                message_id=f"m-{n}",
                channel="x",
                external_id=str(n),
                conversation_key=f"x:{n % 500}",
                author=common_pb2.Author(external_id=str(n % 500), handle="@kunde"),
                text=TEXTS[n % len(TEXTS)],
                is_public=True,
            )
            record = encode(event, source="bench", key=event.conversation_key)
            futures.append(
                await producer.send(record.topic, record.value, key=record.key, headers=list(record.headers))
            )
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def count_outputs(
    bootstrap: str, topic: str, start: dict[TopicPartition, int], tenant: str, count: int, seconds: float
) -> tuple[float, float]:
    """Wait until `count` events of the tenant appear on the topic; return first and last arrival times."""
    consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    seen = 0
    first = last = 0.0
    try:
        consumer.assign(list(start))
        for tp, offset in start.items():
            consumer.seek(tp, offset)
        deadline = time.monotonic() + seconds
        while seen < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {seen} of {count} outputs after {seconds}s")
            batches = await consumer.getmany(timeout_ms=500, max_records=2000)
            now = time.monotonic()
            for messages in batches.values():
                for message in messages:
                    if dict(message.headers).get("ce_tenant") == tenant.encode():
                        seen += 1
                        first = first or now
                        last = now
    finally:
        await consumer.stop()
    return first, last


async def baseline(bootstrap: str, start: dict[TopicPartition, int], tenant: str, count: int) -> float:
    """A bare consume-and-produce loop over the same records: what Kafka alone allows here."""
    scratch = f"bench.passthrough.{uuid.uuid4().hex[:8]}"
    consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=f"bench-{uuid.uuid4().hex[:8]}", enable_auto_commit=False
    )
    producer: AIOKafkaProducer[bytes, bytes] = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=2
    )
    await consumer.start()
    await producer.start()
    try:
        consumer.assign(list(start))
        for tp, offset in start.items():
            consumer.seek(tp, offset)
        done = 0
        began = time.monotonic()
        while done < count:
            batches = await consumer.getmany(timeout_ms=500, max_records=500)
            for tp, messages in batches.items():
                futures = [
                    await producer.send(scratch, m.value, key=m.key, headers=list(m.headers))
                    for m in messages
                    if dict(m.headers).get("ce_tenant") == tenant.encode()
                ]
                await asyncio.gather(*futures)
                done += len(futures)
                await consumer.commit({tp: messages[-1].offset + 1})
        return count / (time.monotonic() - began)
    finally:
        await producer.stop()
        await consumer.stop()


def classifier_p99(classifier: Classifier) -> float:
    """The 99th percentile of the time the classifier takes for one message, in ms."""
    timings = []
    for n in range(5000):
        text = TEXTS[n % len(TEXTS)]
        started = time.perf_counter()
        classifier.classify(text, public=True)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.quantiles(timings, n=100)[98]


def model_micro(model: TextModel, rounds: int = 3) -> dict[str, float]:
    """The model alone, in µs per message over all TEXTS: one at a time, and in batches of BATCH
    (the best of a few rounds, after a round that fills the model's caches)."""

    def one_by_one() -> None:
        for text in TEXTS:
            model.predict(text)

    def batched() -> None:
        for start in range(0, len(TEXTS), BATCH):
            model.predict_many(TEXTS[start : start + BATCH])

    figures: dict[str, float] = {}
    for name, run in (("predict_us", one_by_one), ("predict_many_us", batched)):
        run()
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) / len(TEXTS) * 1e6)
        figures[name] = round(min(timings), 1)
    log(f"model alone: predict {figures['predict_us']} µs/msg, batched {figures['predict_many_us']} µs/msg")
    return {**figures, "batch": BATCH, "texts": len(TEXTS)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def main() -> None:
    bootstrap = os.environ["WEBCARE_TEST_KAFKA_BOOTSTRAP"]
    pg_url = os.environ["WEBCARE_TEST_PG_URL"]
    run = uuid.uuid4().hex[:8]
    tenant, prefix, database = f"bench-{run}", f"bench-{run}", f"bench_{run}_classify"
    bus = KafkaBus(KafkaConfig(bootstrap=bootstrap))
    await bus.ensure_topics(TOPICS)
    admin = await asyncpg.connect(pg_url)
    await admin.execute(f'CREATE DATABASE "{database}"')
    base = pg_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    env = {
        **os.environ,
        "WEBCARE_BUS": "kafka",
        "WEBCARE_KAFKA_BOOTSTRAP": bootstrap,
        "WEBCARE_DATABASE_URL": f"{base}/bench_{run}_{{service}}",
        "WEBCARE_CONSUMER_GROUP_PREFIX": prefix,
        "WEBCARE_LOG_LEVEL": "WARNING",
    }
    process = None
    try:
        migrate = await asyncio.create_subprocess_exec(
            str(ROOT / ".venv/bin/webcare"), "migrate", "classify", env=env
        )
        if await migrate.wait() != 0:
            raise SystemExit("webcare migrate classify failed")
        received_start = await end_offsets(bootstrap, MESSAGE_RECEIVED)
        classified_start = await end_offsets(bootstrap, MESSAGE_CLASSIFIED)
        await commit_start(bootstrap, f"{prefix}-classify-classifier", received_start)
        log(f"producing {MESSAGES} MessageReceived")
        await produce(bootstrap, tenant, MESSAGES)
        base_rate = await baseline(bootstrap, received_start, tenant, MESSAGES)
        log(f"baseline pass-through: {base_rate:.0f} msg/s")
        port = free_port()
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as out:
            process = await asyncio.create_subprocess_exec(
                str(ROOT / ".venv/bin/webcare"),
                "serve",
                "classify",
                "--port",
                str(port),
                env=env,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        first, last = await count_outputs(
            bootstrap, MESSAGE_CLASSIFIED, classified_start, tenant, MESSAGES, 600
        )
        rate = (MESSAGES - 1) / (last - first) if last > first else float(MESSAGES)
        log(f"classify: {rate:.0f} msg/s")
        classifier = Classifier()
        p99 = classifier_p99(classifier)
        log(f"classifier alone: p99 {p99:.3f} ms")
        micro = model_micro(classifier.model)
        print(
            json.dumps(
                {
                    "rate": round(rate, 1),
                    "baseline_rate": round(base_rate, 1),
                    "ratio": round(rate / base_rate, 3),
                    "p99_ms": round(p99, 3),
                    "messages": MESSAGES,
                    **micro,
                }
            )
        )
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 30)
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    if "--model-only" in sys.argv[1:]:
        print(json.dumps(model_micro(configured_model())))
    else:
        asyncio.run(main())
