"""Run Webcare as real processes and talk to them over HTTP: processes, ports, routing, waiting."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx

SERVICES = ("ingest", "classify", "routing", "reply", "reporting")
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
LOG_TAIL_LINES = 60

T = TypeVar("T")

# Which service owns a path (API.md: each prefix is owned by exactly one service); first match wins.
ROUTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^/v1/messages(/|$)"), "ingest"),
    (re.compile(r"^/v1/conversations/[^/]+/replies(/|$)"), "reply"),
    (re.compile(r"^/v1/conversations(/|$)"), "routing"),
    (re.compile(r"^/v1/agents(/|$)"), "routing"),
    (re.compile(r"^/v1/api-keys(/|$)"), "routing"),
    (re.compile(r"^/v1/reports(/|$)"), "reporting"),
)

# Every set of processes not yet stopped, so that a failing test can show their logs.
LIVE: list[Processes] = []


def service_for(path: str) -> str:
    """The service that owns an API path."""
    for pattern, service in ROUTES:
        if pattern.match(path):
            return service
    raise ValueError(f"no service owns {path}")


def free_port() -> int:
    """A TCP port that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def new_tenant() -> str:
    """A tenant id no other test uses."""
    return f"e2e-{uuid.uuid4().hex[:12]}"


def new_admin_key() -> str:
    """A random bootstrap admin key."""
    return "wck_" + secrets.token_urlsafe(32)


def webcare_command(*args: str) -> list[str]:
    """The argv of the `webcare` command of this virtualenv."""
    script = Path(sys.executable).with_name("webcare")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "services.cli", *args]


def webcare_env(settings: Mapping[str, str]) -> dict[str, str]:
    """This environment without any inherited `WEBCARE_*` setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEBCARE_")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    return env


@dataclass
class Process:
    """One `webcare` process in its own process group, logging to a file."""

    name: str
    port: int
    log_path: Path
    popen: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        """Its base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        """Whether it has not exited."""
        return self.popen.poll() is None

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """The end of its log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Wait until /readyz answers 200; fail with the log's tail if it exits or takes too long."""
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if not self.running:
                raise ProcessFailed(self, f"exited with {self.popen.returncode} before it was ready")
            try:
                response = httpx.get(f"{self.url}/readyz", timeout=2.0)
            except httpx.TransportError as exc:
                last = repr(exc)
            else:
                if response.status_code == 200:
                    return
                last = f"{response.status_code} {response.text}"
            time.sleep(0.2)
        raise ProcessFailed(self, f"not ready after {timeout:.0f}s (last /readyz: {last})")

    def terminate(self) -> None:
        """Ask the process group to stop (SIGTERM)."""
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """Kill the process group at once (SIGKILL) and reap it."""
        self._signal(signal.SIGKILL)
        self.popen.wait(timeout=STOP_TIMEOUT)

    def _signal(self, signum: signal.Signals) -> None:
        with suppress(ProcessLookupError):  # it has exited and been reaped
            os.killpg(self.popen.pid, signum)


class ProcessFailed(AssertionError):
    """A process did not come up; the message carries its log's tail."""

    def __init__(self, process: Process, problem: str) -> None:
        self.port_taken = "address already in use" in process.log_tail().lower()
        super().__init__(
            f"{process.name} ({process.url}) {problem}; log {process.log_path}:\n{process.log_tail()}"
        )


class Processes:
    """Starts processes with logs in one folder and stops every one of them at the end."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.started: list[Process] = []
        LIVE.append(self)

    def start(self, name: str, args: Sequence[str], env: Mapping[str, str]) -> Process:
        """Start `webcare <args> --port <free port>`, without waiting for it."""
        port = free_port()
        log_path = self.directory / f"{name}-{sum(p.name == name for p in self.started) + 1}.log"
        with log_path.open("wb") as log:
            popen = subprocess.Popen(
                webcare_command(*args, "--port", str(port)),
                cwd=self.directory,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name=name, port=port, log_path=log_path, popen=popen)
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        """Stop every process still running: SIGTERM to all, then SIGKILL to stragglers."""
        running = [p for p in self.started if p.running]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in running:
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        if self in LIVE:
            LIVE.remove(self)


def ensure_ready(process: Process, restart: Callable[[], Process], *, attempts: int = 3) -> Process:
    """Wait until `process` is ready; start it again on another port if its port was taken meanwhile."""
    for attempt in range(1, attempts + 1):
        try:
            process.wait_ready()
        except ProcessFailed as exc:
            if not exc.port_taken or attempt == attempts:
                raise
            process = restart()
        else:
            return process
    raise AssertionError("unreachable")


def run_checked(args: Sequence[str], env: Mapping[str, str], cwd: Path, timeout: float = 120) -> None:
    """Run a `webcare` command to completion; fail with its output if it fails."""
    done = subprocess.run(
        webcare_command(*args), cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise AssertionError(
            f"webcare {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )


class Client:
    """An HTTP client that sends each path to the service that owns it, with an API key."""

    def __init__(self, urls: Mapping[str, str], key: str, *, http: httpx.Client) -> None:
        self.urls = urls  # the stack changes it when a service starts again on another port
        self.key = key
        self.http = http

    def with_key(self, key: str) -> Client:
        """The same client with another API key."""
        return Client(self.urls, key, http=self.http)

    def url(self, path: str) -> str:
        """The full URL of a path."""
        return self.urls[service_for(path)] + path

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        key: str | None = None,
    ) -> httpx.Response:
        """Send one request and return the answer, whatever its status."""
        headers = {"Authorization": f"Bearer {key or self.key}"}
        return self.http.request(method, self.url(path), json=json, params=params, headers=headers)

    def get(self, path: str, *, params: Mapping[str, str | int] | None = None) -> httpx.Response:
        """GET a path."""
        return self.request("GET", path, params=params)

    def post(self, path: str, json: Any = None) -> httpx.Response:
        """POST JSON to a path."""
        return self.request("POST", path, json=json)

    def put(self, path: str, json: Any = None) -> httpx.Response:
        """PUT JSON to a path."""
        return self.request("PUT", path, json=json)

    def delete(self, path: str) -> httpx.Response:
        """DELETE a path."""
        return self.request("DELETE", path)


def wait_for(
    probe: Callable[[], T],
    *,
    until: Callable[[T], bool] = bool,
    timeout: float,
    what: str,
    interval: float = 0.1,
) -> T:
    """Call `probe` until `until` holds for its value and return that value; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if until(value):
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; last value: {value!r}")
        time.sleep(interval)


def holds_for(
    probe: Callable[[], T], *, check: Callable[[T], bool], seconds: float, what: str, interval: float = 0.25
) -> None:
    """Fail as soon as `check` is false for `probe`'s value within the next `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = probe()
        assert check(value), f"{what} stopped holding: {value!r}"
        if time.monotonic() >= deadline:
            return
        time.sleep(interval)


@dataclass
class Stack:
    """A running Webcare: its processes, its tenant and admin key, and where each service listens."""

    processes: Processes
    tenant: str
    admin_key: str
    urls: dict[str, str] = field(default_factory=dict)
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=15.0))

    def client(self, key: str | None = None) -> Client:
        """A client that sends each path to the process serving it, with `key` (default: admin)."""
        return Client(self.urls, key or self.admin_key, http=self.http)

    def close(self) -> None:
        """Close the connections and stop every process."""
        self.http.close()
        self.processes.stop_all()


@contextmanager
def embedded(directory: Path) -> Iterator[Stack]:
    """Start `webcare run` with SQLite in `directory`, a fresh tenant and admin key; stop it after."""
    tenant, admin_key = new_tenant(), new_admin_key()
    env = webcare_env(
        {
            "WEBCARE_DATABASE_URL": f"sqlite+aiosqlite:///{directory}/{{service}}.db",
            "WEBCARE_ADMIN_API_KEY": admin_key,
            "WEBCARE_TENANT": tenant,
        }
    )
    stack = Stack(processes=Processes(directory), tenant=tenant, admin_key=admin_key)
    try:
        process = ensure_ready(
            stack.processes.start("webcare", ["run"], env),
            lambda: stack.processes.start("webcare", ["run"], env),
        )
        stack.urls.update(dict.fromkeys(SERVICES, process.url))
        yield stack
    finally:
        stack.close()


@dataclass
class Distributed(Stack):
    """Each service in its own `webcare serve` process, on Kafka and PostgreSQL."""

    env: dict[str, str] = field(default_factory=dict)
    services: dict[str, Process] = field(default_factory=dict)

    def start(self, service: str) -> Process:
        """Start (or start again) one service on a new port, without waiting until it is ready."""
        process = self.processes.start(service, ["serve", service], self.env)
        self.services[service] = process
        self.urls[service] = process.url
        return process

    def wait_ready(self, service: str) -> Process:
        """Wait until one service is ready (started again on another port if its port was taken)."""
        process = ensure_ready(self.services[service], lambda: self.start(service))
        return process


@contextmanager
def distributed(directory: Path, *, kafka_bootstrap: str, database_url: str) -> Iterator[Distributed]:
    """Migrate, then start the five services as separate processes; stop them all after."""
    tenant, admin_key = new_tenant(), new_admin_key()
    env = webcare_env(
        {
            "WEBCARE_BUS": "kafka",
            "WEBCARE_KAFKA_BOOTSTRAP": kafka_bootstrap,
            "WEBCARE_DATABASE_URL": database_url,
            "WEBCARE_ADMIN_API_KEY": admin_key,
            "WEBCARE_TENANT": tenant,
        }
    )
    run_checked(["migrate"], env, directory)
    stack = Distributed(processes=Processes(directory), tenant=tenant, admin_key=admin_key, env=env)
    try:
        for service in SERVICES:
            stack.start(service)
        for service in SERVICES:
            stack.wait_ready(service)
        yield stack
    finally:
        stack.close()


@contextmanager
def postgres_databases(admin_url: str) -> Iterator[str]:
    """A `{service}` URL template of five fresh PostgreSQL databases, dropped at the end."""
    prefix = f"t_e2e_{uuid.uuid4().hex[:10]}"
    names = [f"{prefix}_{service}" for service in SERVICES]

    async def drop(databases: Sequence[str]) -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            for name in databases:
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    created: list[str] = []

    async def create() -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            for name in names:
                await connection.execute(f'CREATE DATABASE "{name}"')
                created.append(name)
        finally:
            await connection.close()

    try:
        asyncio.run(create())
        base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        yield f"{base}/{prefix}_{{service}}"
    finally:
        if created:
            asyncio.run(drop(created))
