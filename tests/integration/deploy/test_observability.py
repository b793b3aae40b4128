"""The alerts and dashboards query metrics the services really export, and every dashboard is a
well-formed Grafana dashboard on a selectable Prometheus datasource."""

from __future__ import annotations

import json
import pathlib
import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.integration.deploy.chart import DASHBOARDS, ROOT, Manifest, of_kind

Render = Callable[[str], list[Manifest]]
METRIC = re.compile(r"\bwebcare_[a-z_]+\b")


def _exported() -> set[str]:
    """Series names the services export: counters as declared, histograms with their suffixes."""
    source = "\n".join(path.read_text() for path in sorted((ROOT / "services").rglob("*.py")))
    names: set[str] = set()
    for kind, name in re.findall(r"(Counter|Gauge|Histogram)\(\s*\"(webcare_[a-z_]+)\"", source):
        names.add(name)
        if kind == "Histogram":
            names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
    assert names
    return names


def _panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    panels: list[dict[str, Any]] = []
    for panel in dashboard["panels"]:
        panels.append(panel)
        panels.extend(panel.get("panels", []))
    return panels


DASHBOARD_FILES = sorted(DASHBOARDS.glob("*.json"))


def test_the_operations_dashboard_is_there() -> None:
    assert DASHBOARDS / "operations.json" in DASHBOARD_FILES


def test_alerts_query_exported_metrics(rendered: Render) -> None:
    (rule,) = of_kind(rendered("production"), "PrometheusRule")
    exprs = " ".join(str(r["expr"]) for group in rule["spec"]["groups"] for r in group["rules"])
    used = set(METRIC.findall(exprs))
    assert used and used <= _exported()


@pytest.mark.parametrize("path", DASHBOARD_FILES, ids=lambda p: p.name)
def test_dashboards_query_exported_metrics_on_a_selectable_datasource(path: pathlib.Path) -> None:
    dashboard = json.loads(path.read_text())
    panels = [p for p in _panels(dashboard) if p["type"] != "row"]
    assert panels
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert (
        variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    )
    exprs = []
    for panel in panels:
        assert panel["datasource"]["uid"] == "${datasource}"
        assert {"h", "w", "x", "y"} <= panel["gridPos"].keys()
        exprs += [target["expr"] for target in panel["targets"]]
    used = set(METRIC.findall(" ".join(exprs)))
    assert used and used <= _exported()


def test_dashboards_have_unique_uids_and_panel_ids() -> None:
    uids = []
    for path in DASHBOARD_FILES:
        dashboard = json.loads(path.read_text())
        uids.append(dashboard["uid"])
        ids = [panel["id"] for panel in _panels(dashboard)]
        assert len(ids) == len(set(ids)), path.name
    assert len(uids) == len(set(uids))
