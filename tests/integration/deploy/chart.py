"""Rendering the chart with helm and validating manifests with kubeconform, for the deploy tests."""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import pathlib
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[3]
CHART_DIR = ROOT / "deploy" / "helm" / "webcare"
CI_VALUES = sorted((CHART_DIR / "ci").glob("*.yaml"))
CRD_SCHEMAS = ROOT / "deploy" / "schemas"
DASHBOARDS = ROOT / "deploy" / "grafana" / "dashboards"
CORE_TEMPLATE = (
    "{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json"
)
CRD_TEMPLATE = "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"
RELEASE = "wc"
NAMESPACE = "webcare"

Manifest = dict[str, Any]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def kube_versions() -> tuple[str, str]:
    """The oldest Kubernetes the chart supports (Chart.yaml's kubeVersion) and the newest with schemas."""
    chart = yaml.safe_load((CHART_DIR / "Chart.yaml").read_text())
    match = re.fullmatch(r">=\s*(\d+\.\d+\.\d+)(-0)?", chart["kubeVersion"])
    assert match, f"kubeVersion {chart['kubeVersion']!r} is not of the form >=X.Y.Z-0"
    source = importlib.resources.files("kubernetes_validate") / "kubernetes-json-schema"
    shipped = [
        p.name[1:].removesuffix("-local-strict") for p in source.iterdir() if p.name.endswith("-local-strict")
    ]
    assert match.group(1) in shipped, f"kubernetes-validate has no schemas for {match.group(1)}"
    return match.group(1), max(shipped, key=_version_key)


class RenderError(Exception):
    """helm refused the chart or the values; the message is helm's."""


@dataclass
class Chart:
    """The chart at deploy/helm/webcare and the helm binary that renders it."""

    helm: pathlib.Path
    home: pathlib.Path
    path: pathlib.Path = CHART_DIR

    def _run(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        for name in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
            env[name] = str(self.home / name.lower())
        return subprocess.run([str(self.helm), *args], capture_output=True, text=True, env=env, check=False)

    def lint(
        self, values: Iterable[pathlib.Path] = (), *, kube_version: str
    ) -> subprocess.CompletedProcess[str]:
        """`helm lint --strict` of the chart with these values files."""
        flags = [arg for path in values for arg in ("-f", str(path))]
        return self._run(["lint", "--strict", str(self.path), *flags, "--kube-version", kube_version])

    def template(
        self,
        values: Iterable[pathlib.Path] = (),
        *,
        kube_version: str,
        sets: Sequence[str] = (),
    ) -> str:
        """The manifests `helm template` renders; RenderError when helm refuses."""
        flags = [arg for path in values for arg in ("-f", str(path))]
        flags += [arg for item in sets for arg in ("--set", item)]
        args = ["template", RELEASE, str(self.path), "--namespace", NAMESPACE, "--kube-version", kube_version]
        result = self._run([*args, *flags])
        if result.returncode != 0:
            raise RenderError(result.stderr)
        return result.stdout

    def manifests(
        self, values: Iterable[pathlib.Path] = (), *, kube_version: str, sets: Sequence[str] = ()
    ) -> list[Manifest]:
        """The rendered objects, parsed."""
        text = self.template(values, kube_version=kube_version, sets=sets)
        return [doc for doc in yaml.safe_load_all(text) if doc]

    def package(self, destination: pathlib.Path) -> subprocess.CompletedProcess[str]:
        """`helm package` of the chart into destination."""
        return self._run(["package", str(self.path), "--destination", str(destination)])


@dataclass
class Report:
    """kubeconform's verdict on one set of manifests."""

    summary: dict[str, int]
    resources: list[dict[str, Any]] = field(default_factory=list)

    def problems(self) -> list[str]:
        """One line per resource that is not valid."""
        return [f"{r['kind']} {r['name']}: {r['status']} {r.get('msg', '')}" for r in self.resources]


@dataclass
class Kubeconform:
    """kubeconform, strict and offline: core schemas of kubernetes-validate, CRDs of deploy/schemas."""

    binary: pathlib.Path
    core_schemas: pathlib.Path
    workdir: pathlib.Path

    def validate(self, manifests: str | Sequence[Manifest], *, kube_version: str) -> Report:
        """Validate manifests (YAML text or parsed objects) against the schemas of one Kubernetes version."""
        text = manifests if isinstance(manifests, str) else yaml.safe_dump_all(list(manifests))
        path = self.workdir / f"manifests-{hashlib.sha256(text.encode()).hexdigest()[:16]}.yaml"
        path.write_text(text)
        command = [str(self.binary), "-strict", "-summary", "-output", "json"]
        command += ["-kubernetes-version", kube_version]
        command += ["-schema-location", f"{self.core_schemas}/{CORE_TEMPLATE}"]
        command += ["-schema-location", f"{CRD_SCHEMAS}/{CRD_TEMPLATE}", str(path)]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError as error:
            raise AssertionError(
                f"kubeconform printed no report: {result.stdout}\n{result.stderr}"
            ) from error
        return Report(summary=report["summary"], resources=report.get("resources") or [])


def of_kind(manifests: Sequence[Manifest], kind: str) -> list[Manifest]:
    """The objects of one kind."""
    return [m for m in manifests if m["kind"] == kind]


def by_name(manifests: Sequence[Manifest], kind: str) -> dict[str, Manifest]:
    """The objects of one kind by name."""
    return {m["metadata"]["name"]: m for m in of_kind(manifests, kind)}


def component(manifest: Manifest) -> str:
    """The app.kubernetes.io/component label of an object."""
    label: str = manifest["metadata"]["labels"]["app.kubernetes.io/component"]
    return label


def pod_spec(manifest: Manifest) -> dict[str, Any]:
    """The pod spec of a Deployment or Job."""
    spec: dict[str, Any] = manifest["spec"]["template"]["spec"]
    return spec


def env_of(manifest: Manifest) -> list[dict[str, Any]]:
    """The environment of a workload's first container."""
    env: list[dict[str, Any]] = pod_spec(manifest)["containers"][0].get("env", [])
    return env


def object_name(service: str) -> str:
    """The name the chart gives a service's objects in the test release."""
    return f"{RELEASE}-webcare-{service}"
