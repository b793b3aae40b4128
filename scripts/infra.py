#!/usr/bin/env python3
"""Local test infrastructure: a single-node Apache Kafka (KRaft) broker, a PostgreSQL and an IMAP server.

Standard library only: this runs before the project's virtualenv exists.

Usage:
    python3 scripts/infra.py run -- <command...>  start what is missing, run the command, stop what it started
    python3 scripts/infra.py up                   start what is missing, leave it running (prints exports)
    python3 scripts/infra.py down                 stop what `up` started
    python3 scripts/infra.py env                  print `export ...` lines for the variables below
    python3 scripts/infra.py prometheus           print the paths of prometheus and promtool (Debian's
                                                  package, installed with apt-get when missing)

Variables handed to the command (and honoured as input: when already set, those servers are used
and nothing is started for them):
    WEBCARE_TEST_KAFKA_BOOTSTRAP   e.g. 127.0.0.1:19092
    WEBCARE_TEST_PG_URL            e.g. postgresql://webcare:webcare@127.0.0.1:55432/postgres
    WEBCARE_TEST_IMAP_URL          e.g. imap://webcare:webcare@127.0.0.1:10143 (any user name logs in
                                   with that password and gets a mailbox of its own)
    WEBCARE_TEST_IMAP_UNAVAILABLE  set instead of WEBCARE_TEST_IMAP_URL when no IMAP server could be
                                   started: why (the IMAP tests skip with it; the others run)

Knobs:
    WEBCARE_INFRA_KAFKA_PORT        broker port (default 19092); the controller uses port + 1
    WEBCARE_INFRA_KAFKA_CONTROLLER_PORT  controller port override
    WEBCARE_INFRA_KAFKA_TIMEOUT     seconds to wait for the broker to be ready (default 90)
    WEBCARE_INFRA_PG_PORT           PostgreSQL port (default 55432)
    WEBCARE_INFRA_IMAP_PORT         IMAP port of the Dovecot server (default 10143)

Kafka jars are fetched once from Maven Central (scripts/kafka/pom.xml) into .cache/kafka/libs;
broker files (config, data, logs) live in .cache/kafka/run-<port>/, the data dir wiped at each
start. PostgreSQL gets a fresh cluster in /tmp/webcare-pg-<port>/ (initdb as the `postgres`
system user when run as root), removed again when stopped. Dovecot (Debian's dovecot-imapd,
installed with apt-get when missing) runs as a private instance on 127.0.0.1 with its config, state
and mail in .cache/dovecot/run-<port>/, wiped at each start and removed when stopped.
Prometheus and promtool (Debian's prometheus, installed likewise) are only provided here: the tests
that need a Prometheus server start one of their own on a free port and stop it again.
"""

from __future__ import annotations

import base64
import contextlib
import glob
import grp
import hashlib
import json
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KAFKA_SCRIPTS = ROOT / "scripts" / "kafka"
POM = KAFKA_SCRIPTS / "pom.xml"
LOG4J_CONFIG = KAFKA_SCRIPTS / "log4j2.properties"
CACHE = ROOT / ".cache"
KAFKA_CACHE = CACHE / "kafka"
KAFKA_LIBS = KAFKA_CACHE / "libs"
KAFKA_LIBS_MARKER = KAFKA_LIBS / ".complete"
STATE_DIR = CACHE / "infra"
STATE_FILE = STATE_DIR / "state.json"

ENV_KAFKA = "WEBCARE_TEST_KAFKA_BOOTSTRAP"
ENV_PG = "WEBCARE_TEST_PG_URL"
ENV_IMAP = "WEBCARE_TEST_IMAP_URL"
ENV_IMAP_UNAVAILABLE = "WEBCARE_TEST_IMAP_UNAVAILABLE"
DOVECOT_CACHE = CACHE / "dovecot"

HOST = "127.0.0.1"
PG_ROLE = "webcare"
PG_PASSWORD = "webcare"  # noqa: S105 - throwaway local test server
IMAP_USER = "webcare"
IMAP_PASSWORD = "webcare"  # noqa: S105 - throwaway local test server
KAFKA_READY_MARKERS = ("Kafka Server started",)
MAVEN_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies"


class InfraError(Exception):
    """A failure to report in one line (plus whatever was printed before) and exit non-zero."""


class Interrupted(BaseException):
    """Raised from the signal handler so that `finally` blocks stop what was started."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def log(message: str) -> None:
    print(f"infra: {message}", file=sys.stderr, flush=True)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise InfraError(f"{name} must be an integer, got {raw!r}") from exc


def kafka_port() -> int:
    return env_int("WEBCARE_INFRA_KAFKA_PORT", 19092)


def kafka_controller_port() -> int:
    return env_int("WEBCARE_INFRA_KAFKA_CONTROLLER_PORT", kafka_port() + 1)


def pg_port() -> int:
    return env_int("WEBCARE_INFRA_PG_PORT", 55432)


def imap_port() -> int:
    return env_int("WEBCARE_INFRA_IMAP_PORT", 10143)


def kafka_bootstrap() -> str:
    return f"{HOST}:{kafka_port()}"


def pg_url(port: int) -> str:
    return f"postgresql://{PG_ROLE}:{PG_PASSWORD}@{HOST}:{port}/postgres"


def imap_url(port: int) -> str:
    return f"imap://{IMAP_USER}:{IMAP_PASSWORD}@{HOST}:{port}"


def tcp_reachable(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def split_host_port(address: str, default_port: int) -> tuple[str, int]:
    """First entry of a bootstrap list or the netloc of a URL, as (host, port)."""
    first = address.split(",")[0].strip()
    if "://" in first:
        first = first.split("://", 1)[1]
    first = first.split("/", 1)[0].rsplit("@", 1)[-1]
    if first.startswith("["):
        host, _, rest = first[1:].partition("]")
        port = rest.lstrip(":")
    else:
        host, _, port = first.rpartition(":") if ":" in first else (first, "", "")
    return host or HOST, int(port) if port.isdigit() else default_port


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as gone.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def pid_cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def check_call_quiet(cmd: Sequence[str], what: str, **kwargs: Any) -> str:
    """Run cmd capturing its output; on failure show the output and raise InfraError."""
    proc = subprocess.run(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False, **kwargs
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout)
        raise InfraError(f"{what} failed (exit {proc.returncode}): {shlex.join(cmd)}")
    return str(proc.stdout)


def apt_install(*packages: str) -> None:
    if os.geteuid() != 0:
        raise InfraError(f"need {' '.join(packages)}: install it (apt-get install -y {' '.join(packages)})")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log(f"installing {' '.join(packages)} with apt-get ...")
    lock = ["-o", "DPkg::Lock::Timeout=300"]  # wait for another apt-get instead of failing
    check_call_quiet(["apt-get", *lock, "update"], "apt-get update", env=env)
    check_call_quiet(
        ["apt-get", *lock, "install", "-y", "--no-install-recommends", *packages], "apt-get install", env=env
    )


# --------------------------------------------------------------------------------------------- Kafka


def java_bin() -> str:
    java = shutil.which("java")
    if java is None:
        apt_install("openjdk-17-jre-headless")
        java = shutil.which("java")
    if java is None:
        raise InfraError("java not found")
    return java


def pom_digest() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest()


def ensure_kafka_libs() -> None:
    """Fetch the broker's runtime classpath once; a marker records a finished download of this POM."""
    digest = pom_digest()
    if KAFKA_LIBS_MARKER.exists() and KAFKA_LIBS_MARKER.read_text().strip() == digest:
        return
    mvn = shutil.which("mvn")
    if mvn is None:
        apt_install("maven")
        mvn = shutil.which("mvn")
    if mvn is None:
        raise InfraError("mvn not found")
    if KAFKA_LIBS.exists():
        shutil.rmtree(KAFKA_LIBS)
    KAFKA_LIBS.mkdir(parents=True)
    log("fetching kafka jars with maven (first run only, may take a few minutes) ...")
    started = time.monotonic()
    check_call_quiet(
        [
            mvn, "-B", "-q", MAVEN_DEPENDENCY_PLUGIN,
            "-f", str(POM), "-DincludeScope=runtime", f"-DoutputDirectory={KAFKA_LIBS}",
        ],
        "fetching kafka jars",
        cwd=ROOT,
    )  # fmt: skip
    jars = list(KAFKA_LIBS.glob("kafka_2.13-*.jar"))
    if not jars:
        raise InfraError(f"maven finished but no kafka_2.13 jar in {KAFKA_LIBS}")
    KAFKA_LIBS_MARKER.write_text(digest + "\n")
    count = len(list(KAFKA_LIBS.glob("*.jar")))
    log(f"fetched {count} jars in {time.monotonic() - started:.1f}s")


def kafka_run_dir(port: int) -> Path:
    return KAFKA_CACHE / f"run-{port}"


def kafka_properties(run_dir: Path, port: int, controller_port: int) -> str:
    return "\n".join(
        [
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.voters=1@{HOST}:{controller_port}",
            f"listeners=PLAINTEXT://{HOST}:{port},CONTROLLER://{HOST}:{controller_port}",
            f"advertised.listeners=PLAINTEXT://{HOST}:{port}",
            "inter.broker.listener.name=PLAINTEXT",
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            f"log.dirs={run_dir / 'data'}",
            "num.partitions=3",
            "auto.create.topics.enable=true",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "delete.topic.enable=true",
            "",
        ]
    )


def new_cluster_id() -> str:
    """A Kafka cluster id (URL-safe base64 of a UUID), never starting with '-' (read as an option)."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def java_command(run_dir: Path, heap: Sequence[str], main: str, *args: str) -> list[str]:
    return [
        java_bin(),
        *heap,
        "-Djava.awt.headless=true",
        f"-Dkafka.logs.dir={run_dir}",
        f"-Dlog4j2.configurationFile={LOG4J_CONFIG}",
        "-cp",
        f"{KAFKA_LIBS}/*",
        main,
        *args,
    ]


def start_kafka(state: dict[str, Any]) -> None:
    """Start the broker in its own session; records it in `state` as soon as it exists."""
    port, controller_port = kafka_port(), kafka_controller_port()
    if tcp_reachable(HOST, controller_port):
        raise InfraError(f"kafka controller port {controller_port} is in use (set WEBCARE_INFRA_KAFKA_PORT)")
    ensure_kafka_libs()
    log(f"starting kafka on {HOST}:{port} ...")
    started = time.monotonic()
    run_dir = kafka_run_dir(port)
    if run_dir.exists():
        shutil.rmtree(run_dir)
    (run_dir / "data").mkdir(parents=True)
    config = run_dir / "server.properties"
    config.write_text(kafka_properties(run_dir, port, controller_port))
    cluster_id = new_cluster_id()
    check_call_quiet(
        java_command(
            run_dir, ["-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"],
            "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(config), "--ignore-formatted",
        ),
        "formatting kafka storage",
        cwd=run_dir,
    )  # fmt: skip
    server_log = run_dir / "server.log"
    console_log = run_dir / "kafka.out"
    with console_log.open("wb") as out:
        proc = subprocess.Popen(
            java_command(run_dir, ["-Xms256m", "-Xmx512m"], "kafka.Kafka", str(config)),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=run_dir,
            start_new_session=True,
        )
    state["kafka"] = {
        "started": True,
        "pid": proc.pid,
        "bootstrap": f"{HOST}:{port}",
        "run_dir": str(run_dir),
    }
    timeout = env_int("WEBCARE_INFRA_KAFKA_TIMEOUT", 90)
    deadline = started + timeout
    while True:
        text = server_log.read_text(errors="replace") if server_log.exists() else ""
        if any(marker in text for marker in KAFKA_READY_MARKERS) and tcp_reachable(HOST, port):
            break
        if proc.poll() is not None:
            sys.stderr.write(tail(server_log) + "\n" + tail(console_log) + "\n")
            raise InfraError(f"kafka exited with code {proc.returncode} during startup (logs in {run_dir})")
        if time.monotonic() > deadline:
            sys.stderr.write(tail(server_log) + "\n" + tail(console_log) + "\n")
            raise InfraError(f"kafka not ready after {timeout}s (logs in {run_dir})")
        time.sleep(0.2)
    log(f"kafka ready in {time.monotonic() - started:.1f}s")


def stop_kafka(info: dict[str, Any]) -> None:
    pid = int(info["pid"])
    if not pid_alive(pid):
        return
    if "kafka.Kafka" not in pid_cmdline(pid):
        log(f"pid {pid} is no longer the kafka broker; not stopping it")
        return
    log("stopping kafka ...")
    started = time.monotonic()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while pid_alive(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.1)
    if pid_alive(pid):
        log("kafka did not stop within 30s; killing it")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        time.sleep(0.5)
    _reap(pid)
    log(f"kafka stopped in {time.monotonic() - started:.1f}s")


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


# ---------------------------------------------------------------------------------------- PostgreSQL


def pg_bindir() -> Path:
    def version_key(path: str) -> tuple[int, ...]:
        version = Path(path).parent.parent.name
        return tuple(int(part) for part in version.split(".") if part.isdigit())

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version_key)
    if not candidates:
        apt_install("postgresql")
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version_key)
    if not candidates:
        raise InfraError("no /usr/lib/postgresql/*/bin/initdb after installing postgresql")
    return Path(candidates[-1]).parent


def as_postgres(cmd: Sequence[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its server tools as the `postgres` system user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return list(cmd)


def pg_base_dir(port: int) -> Path:
    return Path(f"/tmp/webcare-pg-{port}")


def _remove_pg_dir(base: Path, bindir: Path) -> None:
    data = base / "data"
    if (data / "postmaster.pid").exists():
        subprocess.run(
            as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    shutil.rmtree(base, ignore_errors=True)


def start_pg(state: dict[str, Any]) -> None:
    port = pg_port()
    bindir = pg_bindir()
    log(f"starting postgresql {bindir.parent.name} on {HOST}:{port} ...")
    started = time.monotonic()
    base = pg_base_dir(port)
    if base.exists():
        _remove_pg_dir(base, bindir)
    base.mkdir(mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data = base / "data"
    pg_log = base / "postgres.log"
    state["pg"] = {"started": True, "port": port, "base_dir": str(base), "bindir": str(bindir)}
    check_call_quiet(
        as_postgres([
            str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions",
        ]),
        "initdb",
        cwd=base,
    )  # fmt: skip
    settings = {
        "listen_addresses": f"'{HOST}'",
        "port": str(port),
        "unix_socket_directories": f"'{data}'",
        "max_connections": "200",
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "logging_collector": "off",
        "log_min_messages": "warning",
    }
    with (data / "postgresql.conf").open("a") as conf:
        conf.write("\n# webcare test server (scripts/infra.py)\n")
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
    proc = subprocess.run(
        as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(pg_log), "-w", "-t", "60", "start"]),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=base,
        start_new_session=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + tail(pg_log) + "\n")
        raise InfraError(f"pg_ctl start failed (exit {proc.returncode})")
    sql = f"CREATE ROLE {PG_ROLE} LOGIN SUPERUSER CREATEDB PASSWORD '{PG_PASSWORD}'"
    check_call_quiet(
        [
            str(bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
            "-h", HOST, "-p", str(port), "-U", "postgres", "-d", "postgres", "-c", sql,
        ],
        "creating the webcare role",
    )  # fmt: skip
    log(f"postgresql ready in {time.monotonic() - started:.1f}s")


def stop_pg(info: dict[str, Any]) -> None:
    base = Path(info["base_dir"])
    bindir = Path(info["bindir"])
    data = base / "data"
    if not base.exists():
        return
    log("stopping postgresql ...")
    started = time.monotonic()
    if (data / "postmaster.pid").exists():
        proc = subprocess.run(
            as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "30", "stop"]),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout)
            log("pg_ctl stop failed; stopping immediately")
            _remove_pg_dir(base, bindir)
    shutil.rmtree(base, ignore_errors=True)
    log(f"postgresql stopped in {time.monotonic() - started:.1f}s")


# ------------------------------------------------------------------------------------------- Dovecot


def dovecot_bin() -> str:
    dovecot = shutil.which("dovecot") or next(iter(glob.glob("/usr/sbin/dovecot")), None)
    if dovecot is None:
        apt_install("dovecot-imapd")
        dovecot = shutil.which("dovecot") or next(iter(glob.glob("/usr/sbin/dovecot")), None)
    if dovecot is None:
        raise InfraError("no dovecot binary after installing dovecot-imapd")
    return dovecot


def dovecot_run_dir(port: int) -> Path:
    return DOVECOT_CACHE / f"run-{port}"


def dovecot_users() -> tuple[str, str, int, int]:
    """(internal user, login user, uid, gid of the mail): root runs Dovecot's own users, others themselves."""
    if os.geteuid() == 0:
        try:
            internal, login, mail = pwd.getpwnam("dovecot"), pwd.getpwnam("dovenull"), pwd.getpwnam("nobody")
        except KeyError as exc:
            raise InfraError(f"system user missing for dovecot: {exc}") from exc
        return internal.pw_name, login.pw_name, mail.pw_uid, mail.pw_gid
    me = pwd.getpwuid(os.geteuid())
    return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid


def dovecot_config(run_dir: Path, port: int) -> str:
    """One instance of its own: IMAP on 127.0.0.1 only, any user with the test password, Maildir per user."""
    internal, login, uid, gid = dovecot_users()
    rootless = os.geteuid() != 0
    lines = [
        "# webcare test server (scripts/infra.py)",
        "protocols = imap",
        f"listen = {HOST}",
        f"base_dir = {run_dir / 'run'}",
        f"state_dir = {run_dir / 'state'}",
        f"instance_name = webcare-imap-{port}",
        f"log_path = {run_dir / 'dovecot.log'}",
        f"info_log_path = {run_dir / 'dovecot.log'}",
        "ssl = no",
        "disable_plaintext_auth = no",
        "auth_mechanisms = plain login",
        f"default_internal_user = {internal}",
        f"default_login_user = {login}",
        f"first_valid_uid = {min(uid, 500)}",
        "passdb {",
        "  driver = static",
        f"  args = password={IMAP_PASSWORD}",
        "}",
        "userdb {",
        "  driver = static",
        f"  args = uid={uid} gid={gid} home={run_dir / 'mail'}/%u",
        "}",
        "mail_location = maildir:~/Maildir",
        "service imap-login {",
        "  inet_listener imap {",
        f"    address = {HOST}",
        f"    port = {port}",
        "  }",
        "  inet_listener imaps {",
        "    port = 0",
        "  }",
        *(["  chroot ="] if rootless else []),
        "}",
        # Without root, every service runs as this user and its own group (no chown, no chroot).
        *([f"default_internal_group = {grp.getgrgid(gid).gr_name}"] if rootless else []),
        "",
    ]
    return "\n".join(lines)


def start_dovecot(state: dict[str, Any]) -> None:
    """Start a private Dovecot in the foreground of its own session; recorded in `state` once it exists."""
    port = imap_port()
    binary = dovecot_bin()
    log(f"starting dovecot on {HOST}:{port} ...")
    started = time.monotonic()
    run_dir = dovecot_run_dir(port)
    if run_dir.exists():
        shutil.rmtree(run_dir)
    for sub in ("run", "state", "mail"):
        (run_dir / sub).mkdir(parents=True)
    _, _, uid, gid = dovecot_users()
    if os.geteuid() == 0:
        os.chown(run_dir / "mail", uid, gid)
    config = run_dir / "dovecot.conf"
    config.write_text(dovecot_config(run_dir, port))
    console_log = run_dir / "dovecot.out"
    with console_log.open("wb") as out:
        proc = subprocess.Popen(
            [binary, "-F", "-c", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=run_dir,
            start_new_session=True,
        )
    state["dovecot"] = {"started": True, "pid": proc.pid, "port": port, "run_dir": str(run_dir)}
    deadline = started + 30
    while not imap_greets(HOST, port):
        if proc.poll() is not None:
            sys.stderr.write(tail(console_log) + "\n" + tail(run_dir / "dovecot.log") + "\n")
            raise InfraError(f"dovecot exited with code {proc.returncode} during startup (logs in {run_dir})")
        if time.monotonic() > deadline:
            sys.stderr.write(tail(console_log) + "\n" + tail(run_dir / "dovecot.log") + "\n")
            raise InfraError(f"dovecot not ready after 30s (logs in {run_dir})")
        time.sleep(0.1)
    log(f"dovecot ready in {time.monotonic() - started:.1f}s")


def imap_greets(host: str, port: int) -> bool:
    """Whether an IMAP server answers there with its "* OK" greeting."""
    try:
        with socket.create_connection((host, port), timeout=1.0) as conn:
            conn.settimeout(2.0)
            return conn.recv(64).startswith(b"* OK")
    except OSError:
        return False


def stop_dovecot(info: dict[str, Any]) -> None:
    pid = int(info["pid"])
    run_dir = Path(info["run_dir"])
    if pid_alive(pid) and "dovecot" in pid_cmdline(pid):
        log("stopping dovecot ...")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while pid_alive(pid) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.1)
        if pid_alive(pid):
            log("dovecot did not stop within 10s; killing it")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            time.sleep(0.3)
        _reap(pid)
    elif pid_alive(pid):
        log(f"pid {pid} is no longer dovecot; not stopping it")
    shutil.rmtree(run_dir, ignore_errors=True)


def ensure_dovecot(state: dict[str, Any], env: dict[str, str]) -> None:
    """An IMAP server for the tests: the given one, a running one, or a new one.

    Unlike Kafka and PostgreSQL, a failure here fails no run: the IMAP tests skip and say why.
    """
    given = os.environ.get(ENV_IMAP, "").strip()
    if given:
        log(f"imap: using {ENV_IMAP}={given}")
        env[ENV_IMAP] = given
        return
    if imap_greets(HOST, imap_port()):
        log(f"imap: reusing the server at {HOST}:{imap_port()}")
        env[ENV_IMAP] = imap_url(imap_port())
        return
    try:
        start_dovecot(state)
    except (InfraError, OSError) as exc:
        info = state.pop("dovecot", None)
        if info:
            stop_dovecot(info)
        log(f"warning: no IMAP server, its tests will skip: {exc}")
        env[ENV_IMAP_UNAVAILABLE] = str(exc)
        return
    env[ENV_IMAP] = imap_url(imap_port())


# ---------------------------------------------------------------------------------------- Prometheus


def prometheus_bins() -> tuple[str, str]:
    """Paths of Debian's prometheus and promtool, installing the package with apt-get when missing."""

    def found() -> tuple[str | None, str | None]:
        return shutil.which("prometheus"), shutil.which("promtool")

    prometheus, promtool = found()
    if prometheus is None or promtool is None:
        apt_install("prometheus")
        prometheus, promtool = found()
    if prometheus is None or promtool is None:
        raise InfraError("no prometheus or promtool binary after installing Debian's prometheus")
    return prometheus, promtool


# ------------------------------------------------------------------------------------- orchestration


def ensure_services(state: dict[str, Any]) -> dict[str, str]:
    """Make the servers available; started ones are recorded in `state`. Returns the env vars."""
    env: dict[str, str] = {}

    given = os.environ.get(ENV_KAFKA, "").strip()
    if given:
        host, port = split_host_port(given, 9092)
        if not tcp_reachable(host, port):
            log(f"warning: {ENV_KAFKA}={given} given but not reachable")
        log(f"kafka: using {ENV_KAFKA}={given}")
        env[ENV_KAFKA] = given
    elif tcp_reachable(HOST, kafka_port()):
        log(f"kafka: reusing the server at {kafka_bootstrap()}")
        env[ENV_KAFKA] = kafka_bootstrap()
    else:
        start_kafka(state)
        env[ENV_KAFKA] = kafka_bootstrap()

    given = os.environ.get(ENV_PG, "").strip()
    if given:
        host, port = split_host_port(given, 5432)
        if not tcp_reachable(host, port):
            log(f"warning: {ENV_PG} given but {host}:{port} is not reachable")
        log(f"postgresql: using {ENV_PG}")
        env[ENV_PG] = given
    elif tcp_reachable(HOST, pg_port()):
        log(f"postgresql: reusing the server at {HOST}:{pg_port()}")
        env[ENV_PG] = pg_url(pg_port())
    else:
        start_pg(state)
        env[ENV_PG] = pg_url(pg_port())

    ensure_dovecot(state, env)
    return env


def stop_services(state: dict[str, Any]) -> None:
    """Stop what `state` says was started (the reverse of the start order); never raises."""
    for name, stop in (("dovecot", stop_dovecot), ("pg", stop_pg), ("kafka", stop_kafka)):
        info = state.get(name)
        if not info or not info.get("started"):
            continue
        try:
            stop(info)
        except Exception as exc:  # noqa: BLE001 - keep stopping the rest
            log(f"error stopping {name}: {exc}")


def _raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    previous = {sig: signal.signal(sig, _raise_interrupted) for sig in HANDLED_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in HANDLED_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_command(cmd: Sequence[str], env: dict[str, str]) -> int:
    """Run cmd in our process group (a terminal's Ctrl-C reaches it directly); forward other signals."""
    try:
        proc = subprocess.Popen(list(cmd), env=dict(os.environ, **env))
    except OSError as exc:
        log(f"cannot run {shlex.join(cmd)}: {exc}")
        return 127
    signals_seen = 0
    while True:
        try:
            returncode = proc.wait()
            break
        except Interrupted as exc:
            signals_seen += 1
            if signals_seen >= 3:
                proc.kill()
                continue
            if exc.signum == signal.SIGINT and signals_seen == 1:
                # A terminal's Ctrl-C already went to the whole group; forward only if the command
                # is still running shortly after (e.g. `kill -INT` aimed at this script alone).
                with contextlib.suppress(subprocess.TimeoutExpired, Interrupted):
                    proc.wait(timeout=1.0)
                if proc.poll() is not None:
                    continue
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(exc.signum if signals_seen == 1 else signal.SIGTERM)
    return 128 - returncode if returncode < 0 else returncode


def load_state() -> dict[str, Any]:
    try:
        data = json.loads(STATE_FILE.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(state: dict[str, Any]) -> None:
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    STATE_FILE.write_text(json.dumps(state, indent=2) + "\n")


def still_running(name: str, info: dict[str, Any]) -> bool:
    if not info.get("started"):
        return False
    if name == "kafka":
        pid = int(info.get("pid", 0))
        return pid > 0 and pid_alive(pid) and "kafka.Kafka" in pid_cmdline(pid)
    if name == "dovecot":
        pid = int(info.get("pid", 0))
        return pid > 0 and pid_alive(pid) and "dovecot" in pid_cmdline(pid)
    return (Path(info.get("base_dir", "/nonexistent")) / "data" / "postmaster.pid").exists()


def print_exports(env: dict[str, str]) -> None:
    for key in (ENV_KAFKA, ENV_PG, ENV_IMAP, ENV_IMAP_UNAVAILABLE):
        if key in env:
            print(f"export {key}={shlex.quote(env[key])}")
    sys.stdout.flush()


def default_env() -> dict[str, str]:
    return {
        ENV_KAFKA: os.environ.get(ENV_KAFKA, "").strip() or kafka_bootstrap(),
        ENV_PG: os.environ.get(ENV_PG, "").strip() or pg_url(pg_port()),
        ENV_IMAP: os.environ.get(ENV_IMAP, "").strip() or imap_url(imap_port()),
    }


def cmd_run(cmd: Sequence[str]) -> int:
    state: dict[str, Any] = {}
    try:
        with signals_raise():
            env = ensure_services(state)
            return run_command(cmd, env)
    except Interrupted as exc:
        log(f"interrupted by signal {exc.signum}")
        return 128 + exc.signum
    except InfraError as exc:
        log(f"error: {exc}")
        return 1
    finally:
        with signals_ignored():
            stop_services(state)


def cmd_up() -> int:
    previous = load_state()
    # Keep what an earlier `up` started and is still running, so that `down` stops it.
    state: dict[str, Any] = {name: info for name, info in previous.items() if still_running(name, info)}
    fresh: dict[str, Any] = {}
    try:
        with signals_raise():
            env = ensure_services(fresh)
    except BaseException:
        with signals_ignored():
            stop_services(fresh)
        raise
    state.update(fresh)
    save_state(state)
    started = [name for name, info in state.items() if info.get("started")]
    log(f"up: {', '.join(started) if started else 'nothing'} started by infra.py (state in {STATE_FILE})")
    print_exports(env)
    return 0


def cmd_down() -> int:
    state = load_state()
    if not any(info.get("started") for info in state.values()):
        log("down: nothing started by `up` to stop")
    with signals_ignored():
        stop_services(state)
    with contextlib.suppress(FileNotFoundError):
        STATE_FILE.unlink()
    return 0


def usage() -> str:
    return (
        "usage: infra.py run -- <command...> | up | down | env | prometheus\n"
        "  run   start Kafka/PostgreSQL/Dovecot if needed, run the command with\n"
        f"        {ENV_KAFKA}, {ENV_PG} and {ENV_IMAP} set, stop what was started\n"
        "  up    start them and leave them running (prints export lines)\n"
        "  down  stop what `up` started\n"
        "  env   print export lines for the three variables\n"
        "  prometheus  print the paths of prometheus and promtool (installed when missing)\n"
    )


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(usage())
        return 0 if argv else 2
    action, rest = argv[0], list(argv[1:])
    try:
        if action == "run":
            if rest and rest[0] == "--":
                rest = rest[1:]
            if not rest:
                sys.stderr.write(usage())
                return 2
            return cmd_run(rest)
        if rest:
            sys.stderr.write(usage())
            return 2
        if action == "up":
            return cmd_up()
        if action == "down":
            return cmd_down()
        if action == "env":
            print_exports(default_env())
            return 0
        if action == "prometheus":
            print("\n".join(prometheus_bins()))
            return 0
    except InfraError as exc:
        log(f"error: {exc}")
        return 1
    except Interrupted as exc:
        log(f"interrupted by signal {exc.signum}")
        return 128 + exc.signum
    sys.stderr.write(usage())
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
