"""The schemas kubeconform uses catch what they should: a typo'd field or a wrong type in a core
object or in a ServiceMonitor, PrometheusRule, ScaledObject or TriggerAuthentication fails, and an
object without a schema is an error, never skipped."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from tests.integration.deploy.chart import CRD_SCHEMAS, Kubeconform, Manifest, kube_versions, of_kind

Render = Callable[[str], list[Manifest]]
NEWEST = kube_versions()[1]
Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    """A mutation that sets a dotted path (list indexes as numbers)."""

    def mutate(obj: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = obj
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = value

    return mutate


def _rename(path: str, new_name: str) -> Mutation:
    """A mutation that renames the last key of a dotted path (a typo)."""

    def mutate(obj: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = obj
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[new_name] = node.pop(last)

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(obj: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = obj
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]

    return mutate


BROKEN: dict[str, tuple[str, str, Mutation, str]] = {
    # id: (value set, kind, mutation, path kubeconform must blame)
    "deployment typo": (
        "minimal",
        "Deployment",
        _rename("spec.template.spec.containers.0.image", "imagee"),
        "/spec/template/spec/containers/0",
    ),
    "deployment wrong type": (
        "minimal",
        "Deployment",
        _set("spec.template.spec.containers.0.ports.0.containerPort", "8000"),
        "containerPort",
    ),
    "hpa typo": ("minimal", "HorizontalPodAutoscaler", _rename("spec.maxReplicas", "maxReplica"), "/spec"),
    "servicemonitor typo": (
        "production",
        "ServiceMonitor",
        _rename("spec.endpoints.0.interval", "intreval"),
        "/spec/endpoints/0",
    ),
    "servicemonitor bad duration": (
        "production",
        "ServiceMonitor",
        _set("spec.endpoints.0.interval", "30 seconds"),
        "/spec/endpoints/0/interval",
    ),
    "servicemonitor wrong type": (
        "production",
        "ServiceMonitor",
        _set("spec.endpoints.0.honorLabels", "yes"),
        "/spec/endpoints/0/honorLabels",
    ),
    "servicemonitor bad relabel action": (
        "production",
        "ServiceMonitor",
        _set("spec.endpoints.0.relabelings.0.action", "rename"),
        "/action",
    ),
    "prometheusrule typo": (
        "production",
        "PrometheusRule",
        _rename("spec.groups.0.rules.0.expr", "expression"),
        "/spec/groups/0/rules/0",
    ),
    "prometheusrule neither alert nor record": (
        "production",
        "PrometheusRule",
        _delete("spec.groups.0.rules.0.alert"),
        "/spec/groups/0/rules/0",
    ),
    "prometheusrule wrong type": (
        "production",
        "PrometheusRule",
        _set("spec.groups.0.rules.0.labels", ["critical"]),
        "/labels",
    ),
    "scaledobject wrong type": (
        "keda",
        "ScaledObject",
        _set("spec.maxReplicaCount", "6"),
        "/spec/maxReplicaCount",
    ),
    "scaledobject typo": ("keda", "ScaledObject", _rename("spec.maxReplicaCount", "maxReplicas"), "/spec"),
    "scaledobject non-string metadata": (
        "keda",
        "ScaledObject",
        _set("spec.triggers.0.metadata.lagThreshold", 50),
        "lagThreshold",
    ),
    "scaledobject without triggers": ("keda", "ScaledObject", _delete("spec.triggers"), "/spec"),
    "triggerauthentication missing key": (
        "keda",
        "TriggerAuthentication",
        _delete("spec.secretTargetRef.0.key"),
        "/spec/secretTargetRef/0",
    ),
}


@pytest.mark.parametrize(("values", "kind", "mutate", "blamed"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_object_fails_validation(
    rendered: Render, kubeconform: Kubeconform, values: str, kind: str, mutate: Mutation, blamed: str
) -> None:
    obj = copy.deepcopy(of_kind(rendered(values), kind)[0])
    assert kubeconform.validate([obj], kube_version=NEWEST).summary["valid"] == 1
    mutate(obj)
    report = kubeconform.validate([obj], kube_version=NEWEST)
    assert report.summary["invalid"] == 1, report
    assert blamed in json.dumps(report.resources[0])


def test_an_object_without_a_schema_is_an_error_not_skipped(kubeconform: Kubeconform) -> None:
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {}}
    report = kubeconform.validate([widget], kube_version=NEWEST)
    assert report.summary == {"valid": 0, "invalid": 0, "errors": 1, "skipped": 0}
    assert "could not find schema" in report.resources[0]["msg"]


@pytest.mark.parametrize(
    "path", sorted(CRD_SCHEMAS.rglob("*.json")), ids=lambda p: p.relative_to(CRD_SCHEMAS).as_posix()
)
def test_crd_schemas_are_strict_json_schemas_in_kubeconforms_layout(path: Any) -> None:
    schema = json.loads(path.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    group = path.parent.name
    kind, version = path.stem.split("_")
    api_version = schema["properties"]["apiVersion"]["const"]
    assert api_version == f"{group}/{version}"
    assert schema["properties"]["kind"]["const"].lower() == kind
    assert schema["additionalProperties"] is False
    assert schema["properties"]["spec"]["additionalProperties"] is False
