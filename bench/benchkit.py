"""What the benchmarks share: free ports, stopping the processes they started, Kafka end offsets, and
percentiles."""

from __future__ import annotations

import asyncio
import os
import signal
import socket

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def stop(process: asyncio.subprocess.Process | None, *, seconds: float = 60) -> None:
    """Stop a process group the benchmark started (SIGTERM), waiting up to `seconds`."""
    if process is not None and process.returncode is None:
        os.killpg(process.pid, signal.SIGTERM)
        await asyncio.wait_for(process.wait(), seconds)


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    """Each partition's end offset of a topic: how many records it holds so far."""
    producer: AIOKafkaProducer[bytes, bytes] = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        partitions = await producer.partitions_for(topic)
    finally:
        await producer.stop()
    consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        return dict(await consumer.end_offsets([TopicPartition(topic, p) for p in sorted(partitions)]))
    finally:
        await consumer.stop()


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]
