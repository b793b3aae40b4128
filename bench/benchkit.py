"""What the benchmarks share: free ports, stopping the processes they started, Kafka end offsets,
percentiles, the CPU time of processes and of the machine, and running a service under cProfile."""

from __future__ import annotations

import asyncio
import os
import pathlib
import signal
import socket
import sys
import time

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


TICK = os.sysconf("SC_CLK_TCK")
WEBCARE = pathlib.Path(__file__).resolve().parent.parent / ".venv" / "bin" / "webcare"


def proc_stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name."""
    return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """CPU time of a process (with the children it reaped), in seconds."""
    fields = proc_stat(pid)
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / TICK


def tree_cpu(root: int) -> float:
    """CPU seconds of a process, of the children it reaped, and of its living children."""
    total = cpu_seconds(root, children=True)
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(proc_stat(int(entry.name))[1]) == root:
                    total += cpu_seconds(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
    return total


def machine_busy() -> tuple[float, float]:
    """Busy and total CPU seconds of the machine, all cores."""
    values = [int(v) for v in pathlib.Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


def serve_command(script: str, args: list[str]) -> list[str]:
    """The webcare command `args` (`serve <service> …`), run by `script --profiled <file>` when
    BENCH_PROFILE names a file; either way the server is the process itself (no wrapper), so its
    /proc figures are the server's."""
    profile = os.environ.get("BENCH_PROFILE")
    if not profile:
        return [str(WEBCARE), *args]
    return [sys.executable, script, "--profiled", profile, *args]


def profiled(path: str, args: list[str]) -> None:
    """Run the webcare command `args`, profiling CPU time from SIGUSR1 until SIGUSR2 (stats to `path`)."""
    import cProfile

    from services.cli import main as webcare

    profiler = cProfile.Profile(time.process_time)

    def stop(*_: object) -> None:
        profiler.disable()
        profiler.dump_stats(path)

    signal.signal(signal.SIGUSR1, lambda *_: profiler.enable())
    signal.signal(signal.SIGUSR2, stop)
    sys.exit(webcare(args))
