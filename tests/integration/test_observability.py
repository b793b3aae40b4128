"""The alerts and dashboards work on a real Prometheus (Debian's package, from scripts/infra.py).

The rule file passes `promtool check rules` and its unit tests, which fire and spare every alert;
the chart's PrometheusRule carries the same rules. Then the embedded app (every service in this
process, in-memory bus, SQLite) is served on a real port, gets traffic, and a Prometheus started
here scrapes it every second: every query of every panel of every dashboard returns data. The one
metric the in-memory bus cannot produce, the consumer lag, comes from a consumer on the real Kafka
in this same process (the app's /metrics serves the whole process's registry).
"""

from __future__ import annotations

import asyncio
import json
import pathlib
import re
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
import uvicorn
import yaml
from prometheus_client import REGISTRY
from pydantic import SecretStr
from webcare.v1 import conversations_pb2, replies_pb2

from services.classify import model
from services.classify.config import CORPUS
from services.cli import SPECS
from services.kit.app import create_app
from services.kit.bus.base import Record
from services.kit.bus.kafka import KafkaBus, KafkaConfig
from services.kit.config import KitSettings
from services.kit.events import encode, new_event, now, timestamp
from services.reporting.metrics import measure_backlog
from tests.integration.deploy.chart import CHART_DIR, DASHBOARDS, ROOT, Chart, kube_versions, of_kind
from tests.unit.conftest import ADMIN_KEY, TENANT, Api, eventually

RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
RULE_TESTS = ROOT / "deploy" / "prometheus" / "alerts_test.yml"
SCRAPE_SECONDS = 1
# What Grafana puts in place of the dashboards' variables: every namespace, tenant and channel.
VARIABLES = {"$__rate_interval": "1m", "$__range": "5m", "$__interval": "1m"}
ALL = re.compile(r"\$(namespace|service|tenant|channel)\b")


def _tool(*args: str) -> list[str]:
    """Run a project script and return the lines it prints; a failure fails the test."""
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=False, timeout=900)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{result.stderr}")
    return result.stdout.split()


@pytest.fixture(scope="module")
def binaries() -> tuple[str, str]:
    """Debian's prometheus and promtool (scripts/infra.py installs the package when missing)."""
    prometheus, promtool = _tool(str(ROOT / "scripts" / "infra.py"), "prometheus")
    return prometheus, promtool


def _promtool(promtool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool, *args], capture_output=True, text=True, check=False, timeout=120)


def _rules(groups: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {rule["alert"]: rule for group in groups for rule in group["rules"]}


def test_promtool_checks_the_rule_file(binaries: tuple[str, str]) -> None:
    result = _promtool(binaries[1], "check", "rules", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 7 rules found" in result.stdout


def test_promtool_unit_tests_fire_and_spare_every_alert(binaries: tuple[str, str]) -> None:
    result = _promtool(binaries[1], "test", "rules", str(RULE_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr
    cases = [
        case for test in yaml.safe_load(RULE_TESTS.read_text())["tests"] for case in test["alert_rule_test"]
    ]
    alerts = _rules(yaml.safe_load(RULES.read_text())["groups"])
    for name in alerts:
        mine = [case for case in cases if case["alertname"] == name]
        assert any(case["exp_alerts"] for case in mine), f"no test fires {name}"
        assert any(not case["exp_alerts"] for case in mine), f"no test spares {name}"


def test_the_chart_renders_the_rule_file_limited_to_its_namespace(
    binaries: tuple[str, str], tmp_path: pathlib.Path
) -> None:
    (helm,) = _tool(str(ROOT / "scripts" / "tools.py"), "helm")
    chart = Chart(helm=pathlib.Path(helm), home=tmp_path / "helm")
    manifests = chart.manifests([CHART_DIR / "ci" / "production.yaml"], kube_version=kube_versions()[1])
    (rule,) = of_kind(manifests, "PrometheusRule")
    rendered = tmp_path / "rendered.yml"
    rendered.write_text(yaml.safe_dump({"groups": rule["spec"]["groups"]}, allow_unicode=True))
    result = _promtool(binaries[1], "check", "rules", str(rendered))
    assert result.returncode == 0, result.stdout + result.stderr

    def unscoped(expr: str) -> str:
        expr = expr.replace('{namespace="webcare"}', "").replace('namespace="webcare", ', "")
        return " ".join(expr.split())

    ours = _rules(yaml.safe_load(RULES.read_text())["groups"])
    theirs = _rules(rule["spec"]["groups"])
    assert set(theirs) == set(ours)
    for name, mine in ours.items():
        chart_rule = theirs[name]
        assert unscoped(chart_rule["expr"]) == " ".join(mine["expr"].split()), name
        selectors = re.findall(r"webcare_\w+(\{[^}]*\})?", chart_rule["expr"])
        assert selectors and all('namespace="webcare"' in s for s in selectors), name
        assert {k: v for k, v in chart_rule.items() if k != "expr"} == {
            k: v for k, v in mine.items() if k != "expr"
        }, name


# ------------------------------------------------------------------------ dashboards on Prometheus


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def start_prometheus(binaries: tuple[str, str], tmp_path: pathlib.Path) -> Iterator[Callable[[str], str]]:
    """Start a Prometheus on a free 127.0.0.1 port scraping a target every second, with the alert
    rules loaded, its data in tmp_path; returns its URL. Stopped when the test ends."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(target: str) -> str:
        port = _free_port()
        config = tmp_path / "prometheus.yml"
        config.write_text(
            yaml.safe_dump(
                {
                    "global": {"scrape_interval": f"{SCRAPE_SECONDS}s", "evaluation_interval": "1s"},
                    "rule_files": [str(RULES)],
                    "scrape_configs": [{"job_name": "webcare", "static_configs": [{"targets": [target]}]}],
                }
            )
        )
        log = (tmp_path / "prometheus.log").open("wb")
        command = [
            binaries[0],
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ]
        processes.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT))
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
async def served(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[Api, str]]:
    """The embedded app on a real 127.0.0.1 port: an Api on it and its host:port."""
    model.build(tmp_path / "models", CORPUS)
    monkeypatch.setenv("WEBCARE_MODEL_DIR", str(tmp_path / "models"))
    settings = KitSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db",
        admin_api_key=SecretStr(ADMIN_KEY),
        tenant=TENANT,
        handler_backoff_seconds=0.01,
        outbox_relay_seconds=0.2,
    )
    app = create_app([f() for f in SPECS.values()], settings, bus_kind="memory", migrate_on_start=True)
    async with app.router.lifespan_context(app):
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_config=None, access_log=False)
        )
        task = asyncio.create_task(server.serve())

        async def started() -> bool:
            return server.started

        await eventually(started, seconds=20)
        port = server.servers[0].sockets[0].getsockname()[1]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield Api(app, client), f"127.0.0.1:{port}"
        server.should_exit = True
        await task


async def _measure_lag_on_kafka(bootstrap: str) -> None:
    """A consumer group on a topic of its own on the real Kafka commits, which sets its lag gauge."""
    topic = f"test.observability.{uuid.uuid4().hex[:10]}"
    handled: list[Record] = []

    async def handler(record: Record) -> None:
        handled.append(record)

    producer = KafkaBus(KafkaConfig(bootstrap=bootstrap))
    consumer = KafkaBus(KafkaConfig(bootstrap=bootstrap), max_batch=2)
    consumer.subscribe([topic], f"{topic}.lag", handler)
    await producer.start()
    await producer.ensure_topics([topic])
    await consumer.start()
    try:
        await producer.publish(*(Record(topic=topic, key=b"k", value=str(i).encode()) for i in range(6)))

        async def all_handled() -> bool:
            return len(handled) >= 6

        await eventually(all_handled, seconds=30)
    finally:
        await consumer.stop()
        await producer.stop()


async def _traffic(api: Api, wave: int) -> None:
    """Messages, an agent, a client error, first responses in and out of their SLA, a dead letter."""
    if wave == 1:
        await api.agent("Anna")
    texts = [
        "Wo bleibt meine Rechnung?",
        "Das ist eine Frechheit, seit Tagen kein Internet und niemand hilft mir!",
        "Vielen Dank, super Service!",
    ]
    for i, text in enumerate(texts):
        await api.message(f"obs-{wave}-{i}", text)
    assert (await api.client.get("/v1/conversations")).status_code == 401
    bus = api.app.state.bus
    start = now() - timedelta(hours=1)
    for outcome, due in (("met", start + timedelta(hours=2)), ("missed", start + timedelta(minutes=5))):
        conversation = f"obs-{wave}-{outcome}"
        opened = new_event(
            conversations_pb2.ConversationOpened,
            tenant_id=TENANT,
            conversation_id=conversation,
            channel="x",
            first_message_at=timestamp(start),
            first_response_due_at=timestamp(due),
            queue="default",
            category="question",
            language="de",
        )
        sent = new_event(
            replies_pb2.ReplySent,
            tenant_id=TENANT,
            reply_id=f"r-{conversation}",
            conversation_id=conversation,
            agent_id="anna",
            channel="x",
        )
        await bus.publish(encode(opened, source="routing", key=conversation))
        await bus.publish(encode(sent, source="reply", key=conversation))
    garbage = encode(opened, source="routing", key="obs-garbage")
    await bus.publish(replace(garbage, value=b"\xff\xff not protobuf"))


async def _query(client: httpx.AsyncClient, expr: str) -> list[dict[str, Any]]:
    answer = await client.get("/api/v1/query", params={"query": expr})
    assert answer.status_code == 200, f"{expr}\n{answer.text}"
    body: dict[str, Any] = answer.json()
    result: list[dict[str, Any]] = body["data"]["result"]
    return result


def _panel_queries() -> list[tuple[str, str, str]]:
    """(dashboard, panel title, expression with the variables replaced) of every panel target."""
    queries = []
    for path in sorted(DASHBOARDS.glob("*.json")):
        dashboard = json.loads(path.read_text())
        panels = [p for top in dashboard["panels"] for p in (top, *top.get("panels", []))]
        for panel in panels:
            for target in panel.get("targets", []):
                expr = ALL.sub(".*", target["expr"])
                for name, value in VARIABLES.items():
                    expr = expr.replace(name, value)
                assert "$" not in expr, f"{path.name} {panel['title']}: unknown variable in {expr}"
                queries.append((path.name, panel["title"], expr))
    return queries


def _counted(name: str) -> float:
    """The sum of a metric's samples for the test tenant in this process."""
    return sum(
        sample.value
        for metric in REGISTRY.collect()
        for sample in metric.samples
        if sample.name == name and sample.labels.get("tenant") == TENANT
    )


def _scraped(prometheus: httpx.AsyncClient, times: int) -> Callable[[], Awaitable[bool]]:
    """A check that Prometheus scraped the app at least `times` times in the last minute."""

    async def check() -> bool:
        try:
            samples = await _query(prometheus, 'count_over_time(up{job="webcare"}[1m])')
        except (httpx.HTTPError, AssertionError, KeyError, ValueError):
            return False
        return bool(samples) and float(samples[0]["value"][1]) >= times

    return check


async def _second_wave(api: Api) -> None:
    """Traffic once Prometheus scrapes, so that counters grow between samples; wait until folded."""
    messages = _counted("webcare_messages_total")
    responses = _counted("webcare_sla_first_responses_total")
    await _traffic(api, 2)

    async def folded() -> bool:
        return (
            _counted("webcare_messages_total") >= messages + 3
            and _counted("webcare_sla_first_responses_total") >= responses + 2
        )

    await eventually(folded, seconds=30)
    await measure_backlog(api.app.state.runtimes["reporting"])


async def test_every_dashboard_panel_returns_data_from_a_real_prometheus(
    served: tuple[Api, str],
    start_prometheus: Callable[[str], str],
    kafka_bootstrap: str,
) -> None:
    api, target = served
    await _measure_lag_on_kafka(kafka_bootstrap)
    await _traffic(api, 1)
    async with httpx.AsyncClient(base_url=start_prometheus(target), timeout=10) as prometheus:
        await eventually(_scraped(prometheus, 2), seconds=30)
        await _second_wave(api)
        await asyncio.sleep(2 * SCRAPE_SECONDS)
        await eventually(_scraped(prometheus, 6), seconds=30)

        empty = [
            f"{dashboard} / {title}: {expr}"
            for dashboard, title, expr in _panel_queries()
            if not await _query(prometheus, expr)
        ]
        assert not empty, "panels without data:\n" + "\n".join(empty)
        groups = (await prometheus.get("/api/v1/rules")).json()["data"]["groups"]
        loaded = [rule for group in groups for rule in group["rules"]]
        assert len(loaded) == 7 and all(rule["health"] == "ok" for rule in loaded), loaded
