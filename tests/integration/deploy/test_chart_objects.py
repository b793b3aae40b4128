"""What the rendered objects promise: one hardened workload per enabled service, secrets only from
Secrets, settings the services know, probes, autoscaling within the partitions, hooks, PDBs,
policies, and the labels kube-prometheus-stack and Grafana look for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from services.classify.config import ClassifySettings
from services.cli import SPECS
from services.ingest.config import IngestSettings
from services.kit.config import SERVICES, KitSettings
from tests.integration.deploy.chart import (
    CI_VALUES,
    DASHBOARDS,
    Chart,
    Manifest,
    by_name,
    component,
    env_of,
    kube_versions,
    object_name,
    of_kind,
    pod_spec,
)

Render = Callable[[str], list[Manifest]]
CI_NAMES = [path.stem for path in CI_VALUES]
NEWEST = kube_versions()[1]
SECRET_ENV = {
    "WEBCARE_ADMIN_API_KEY",
    "WEBCARE_KAFKA_SASL_PASSWORD",
    "DATABASE_PASSWORD",
    "WEBCARE_SECRETS_KEY",
}
KNOWN_LABELS = (
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/version",
    "app.kubernetes.io/managed-by",
    "helm.sh/chart",
)


def _workloads(manifests: list[Manifest]) -> list[Manifest]:
    return of_kind(manifests, "Deployment") + of_kind(manifests, "Job")


@pytest.mark.parametrize("name", CI_NAMES)
def test_every_pod_runs_restricted_with_a_read_only_root(rendered: Render, name: str) -> None:
    workloads = _workloads(rendered(name))
    assert workloads
    for workload in workloads:
        pod = pod_spec(workload)
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] > 0
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        volumes = {v["name"]: v for v in pod["volumes"]}
        for container in pod["containers"]:
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False
            assert security["readOnlyRootFilesystem"] is True
            assert security["capabilities"] == {"drop": ["ALL"]}
            assert container["resources"]["requests"]["memory"]
            tmp = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
            assert tmp and "emptyDir" in volumes[tmp[0]["name"]]


@pytest.mark.parametrize("name", CI_NAMES)
def test_every_object_carries_the_recommended_labels(rendered: Render, name: str) -> None:
    for manifest in rendered(name):
        labels = manifest["metadata"]["labels"]
        assert all(labels.get(key) for key in KNOWN_LABELS), manifest["metadata"]["name"]
        assert labels["app.kubernetes.io/part-of"] == "webcare"


@pytest.mark.parametrize("name", CI_NAMES)
def test_one_deployment_and_service_per_enabled_service_from_the_one_image(
    rendered: Render, name: str
) -> None:
    manifests = rendered(name)
    deployments, services = by_name(manifests, "Deployment"), by_name(manifests, "Service")
    assert set(deployments) == set(services)
    images = set()
    for deployment in deployments.values():
        service = component(deployment)
        assert service in SERVICES
        (container,) = pod_spec(deployment)["containers"]
        assert container["args"] == ["serve", service]
        images.add(container["image"])
        selector = services[deployment["metadata"]["name"]]["spec"]["selector"]
        assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    assert len(images) == 1


def test_everything_off_disables_services_and_every_optional_object(rendered: Render) -> None:
    manifests = rendered("everything-off")
    assert {component(m) for m in of_kind(manifests, "Deployment")} == {"ingest", "routing", "reply"}
    assert {m["kind"] for m in manifests} == {"Deployment", "Service"}
    assert all(m["spec"]["replicas"] == 1 for m in of_kind(manifests, "Deployment"))


@pytest.mark.parametrize("name", CI_NAMES)
def test_probes_ask_readyz_for_readiness_and_healthz_for_liveness(rendered: Render, name: str) -> None:
    for deployment in of_kind(rendered(name), "Deployment"):
        (container,) = pod_spec(deployment)["containers"]
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert container["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}


@pytest.mark.parametrize("name", CI_NAMES)
def test_settings_are_ones_the_services_read_and_secrets_come_from_secrets(
    rendered: Render, name: str
) -> None:
    settings = (KitSettings, IngestSettings, ClassifySettings)
    known = {f"WEBCARE_{field.upper()}" for kind in settings for field in kind.model_fields}
    for workload in _workloads(rendered(name)):
        env = env_of(workload)
        names = [entry["name"] for entry in env]
        assert len(names) == len(set(names)), f"duplicate variables in {workload['metadata']['name']}"
        assert {n for n in names if n.startswith("WEBCARE_")} <= known
        for entry in env:
            if entry["name"] in SECRET_ENV:
                assert "value" not in entry and entry["valueFrom"]["secretKeyRef"]["name"]
        by_env = {entry["name"]: entry for entry in env}
        assert by_env["WEBCARE_HOST"]["value"] == "0.0.0.0"  # noqa: S104 - in a container
        assert by_env["WEBCARE_BUS"]["value"] == "kafka"
        assert by_env["WEBCARE_ENVIRONMENT"]["value"] == "production"
        # ingest, reply and routing (the CRM connector's token), and only they, open secrets kept
        # encrypted at rest: the key comes from a Secret
        keeps_secrets = workload["metadata"]["name"].endswith(("ingest", "reply", "routing"))
        assert ("WEBCARE_SECRETS_KEY" in by_env) == keeps_secrets, workload["metadata"]["name"]


def test_production_talks_scram_over_tls_and_builds_the_database_url_from_a_secret(rendered: Render) -> None:
    deployments = by_name(rendered("production"), "Deployment")
    routing = deployments[object_name("routing")]
    env = {entry["name"]: entry for entry in env_of(routing)}
    assert env["WEBCARE_KAFKA_SECURITY_PROTOCOL"]["value"] == "SASL_SSL"
    assert env["WEBCARE_KAFKA_SASL_MECHANISM"]["value"] == "SCRAM-SHA-512"
    mounts = {m["mountPath"] for m in pod_spec(routing)["containers"][0]["volumeMounts"]}
    assert env["WEBCARE_KAFKA_SSL_CAFILE"]["value"].rsplit("/", 1)[0] in mounts
    names = [entry["name"] for entry in env_of(routing)]
    assert names.index("DATABASE_PASSWORD") < names.index("WEBCARE_DATABASE_URL")
    url = env["WEBCARE_DATABASE_URL"]["value"]
    assert url.startswith("postgresql+asyncpg://webcare:$(DATABASE_PASSWORD)@")
    assert url.endswith("/webcare_{service}?ssl=require")
    reporting = {entry["name"]: entry for entry in env_of(deployments[object_name("reporting")])}
    assert reporting["WEBCARE_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == "webcare-reporting-db"
    assert reporting["WEBCARE_LOG_LEVEL"]["value"] == "WARNING"


def test_http_services_get_cpu_autoscalers_and_no_fixed_replicas(rendered: Render) -> None:
    manifests = rendered("production")
    hpas = by_name(manifests, "HorizontalPodAutoscaler")
    assert {component(h) for h in hpas.values()} == set(SERVICES)
    for deployment in of_kind(manifests, "Deployment"):
        assert "replicas" not in deployment["spec"]
        hpa = hpas[deployment["metadata"]["name"]]
        assert hpa["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": deployment["metadata"]["name"],
        }
        assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
        assert hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]


# Services that scale on HTTP load although they consume a topic: ingest's only consumer stores chat
# replies for the sockets it holds, a trickle beside the webhooks it answers.
HTTP_SCALED = {"ingest"}


def _consumer_groups() -> dict[str, set[tuple[str, str]]]:
    """(group, topic) pairs each lag-scaled service consumes, from the services' own specs."""
    groups: dict[str, set[tuple[str, str]]] = {}
    for name, factory in SPECS.items():
        if name in HTTP_SCALED:
            continue
        spec = factory()
        pairs = {(f"webcare-{name}-{c.name}", topic) for c in spec.consumers for topic in c.topics}
        if pairs:
            groups[name] = pairs
    return groups


def test_keda_scales_each_consumer_on_its_groups_lag_within_the_partitions(rendered: Render) -> None:
    manifests = rendered("keda")
    partitions = int(
        next(
            e["value"]
            for e in env_of(of_kind(manifests, "Deployment")[0])
            if e["name"] == "WEBCARE_KAFKA_PARTITIONS"
        )
    )
    scaled = {component(s): s for s in of_kind(manifests, "ScaledObject")}
    assert set(scaled) == set(_consumer_groups())
    assert {component(h) for h in of_kind(manifests, "HorizontalPodAutoscaler")} == set(SERVICES) - set(
        scaled
    )
    auth = {a["metadata"]["name"] for a in of_kind(manifests, "TriggerAuthentication")}
    deployments = by_name(manifests, "Deployment")
    for service, obj in scaled.items():
        spec = obj["spec"]
        assert 1 <= spec["maxReplicaCount"] <= partitions
        assert spec["minReplicaCount"] <= spec["maxReplicaCount"]
        assert "replicas" not in deployments[spec["scaleTargetRef"]["name"]]["spec"]
        kafka = [t for t in spec["triggers"] if t["type"] == "kafka"]
        assert {
            (t["metadata"]["consumerGroup"], t["metadata"]["topic"]) for t in kafka
        } == _consumer_groups()[service]
        for trigger in kafka:
            assert trigger["metadata"]["allowIdleConsumers"] == "false"
            assert trigger["metadata"]["sasl"] == "scram_sha512" and trigger["metadata"]["tls"] == "enable"
            assert trigger["authenticationRef"]["name"] in auth
    (trigger_auth,) = of_kind(manifests, "TriggerAuthentication")
    assert {ref["parameter"] for ref in trigger_auth["spec"]["secretTargetRef"]} == {"password", "ca"}


@pytest.mark.parametrize("name", ["minimal", "production"])
def test_every_enabled_service_has_a_pod_disruption_budget_over_its_pods(rendered: Render, name: str) -> None:
    manifests = rendered(name)
    budgets = by_name(manifests, "PodDisruptionBudget")
    for deployment in of_kind(manifests, "Deployment"):
        budget = budgets[deployment["metadata"]["name"]]
        assert budget["spec"]["maxUnavailable"] == 1
        pods = deployment["spec"]["template"]["metadata"]["labels"]
        assert budget["spec"]["selector"]["matchLabels"].items() <= pods.items()


@pytest.mark.parametrize("name", ["minimal", "production"])
def test_migrations_run_per_service_as_pre_install_and_pre_upgrade_hooks(rendered: Render, name: str) -> None:
    manifests = rendered(name)
    jobs = of_kind(manifests, "Job")
    deployments = {component(d): d for d in of_kind(manifests, "Deployment")}
    assert len(jobs) == len(deployments)
    for job in jobs:
        annotations = job["metadata"]["annotations"]
        assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
        (container,) = pod_spec(job)["containers"]
        service = container["args"][1]
        assert container["args"] == ["migrate", service]
        assert pod_spec(job)["restartPolicy"] == "Never"
        # Hooks run before the release's ServiceAccount exists: the Job may not need it.
        assert "serviceAccountName" not in pod_spec(job)
        assert env_of(job) == env_of(deployments[service])


def test_network_policies_admit_only_the_ingress_controller_and_prometheus(rendered: Render) -> None:
    manifests = rendered("production")
    policies = by_name(manifests, "NetworkPolicy")
    for deployment in of_kind(manifests, "Deployment"):
        policy = policies[deployment["metadata"]["name"]]["spec"]
        pods = deployment["spec"]["template"]["metadata"]["labels"]
        assert policy["podSelector"]["matchLabels"].items() <= pods.items()
        assert policy["policyTypes"] == ["Ingress", "Egress"]
        sources = [
            peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
            for rule in policy["ingress"]
            for peer in rule["from"]
        ]
        assert sources == ["ingress-nginx", "monitoring"]
        assert all(rule["ports"] == [{"port": "http", "protocol": "TCP"}] for rule in policy["ingress"])
        dns = policy["egress"][0]
        assert {"port": 53, "protocol": "UDP"} in dns["ports"]


def test_the_service_monitor_scrapes_every_service_for_kube_prometheus_stack(rendered: Render) -> None:
    manifests = rendered("production")
    (monitor,) = of_kind(manifests, "ServiceMonitor")
    assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    selector = monitor["spec"]["selector"]
    (expression,) = selector["matchExpressions"]
    for service in of_kind(manifests, "Service"):
        labels = service["metadata"]["labels"]
        assert selector["matchLabels"].items() <= labels.items()
        assert labels[expression["key"]] in expression["values"]
        assert "http" in {port["name"] for port in service["spec"]["ports"]}
    (endpoint,) = monitor["spec"]["endpoints"]
    assert (endpoint["port"], endpoint["path"]) == ("http", "/metrics")
    (relabel,) = endpoint["relabelings"]
    assert relabel["targetLabel"] == "service"


def test_the_prometheus_rule_alerts_on_dead_letters_errors_and_outbox(rendered: Render) -> None:
    (rule,) = of_kind(rendered("production"), "PrometheusRule")
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    alerts = {r["alert"]: r for group in rule["spec"]["groups"] for r in group["rules"]}
    assert {"WebcareDeadLetters", "WebcareHttpErrors", "WebcareOutboxBacklog"} <= set(alerts)
    assert "webcare_dead_letters_total" in alerts["WebcareDeadLetters"]["expr"]
    assert 'status=~"5.."' in alerts["WebcareHttpErrors"]["expr"]
    assert "webcare_outbox_pending_events" in alerts["WebcareOutboxBacklog"]["expr"]
    assert all('namespace="webcare"' in str(a["expr"]) for a in alerts.values())


def test_every_dashboard_json_ships_as_a_configmap_for_the_grafana_sidecar(rendered: Render) -> None:
    configmaps = of_kind(rendered("production"), "ConfigMap")
    files = {path.name: path.read_text() for path in DASHBOARDS.glob("*.json")}
    assert files and len(configmaps) == len(files)
    shipped: dict[str, Any] = {}
    for configmap in configmaps:
        assert configmap["metadata"]["labels"]["grafana_dashboard"] == "1"
        assert configmap["metadata"]["namespace"] == "monitoring"
        shipped.update(configmap["data"])
    assert shipped == {name: text.rstrip("\n") for name, text in files.items()}


def test_a_disabled_service_leaves_no_objects_and_no_paths(chart: Chart) -> None:
    values = [path for path in CI_VALUES if path.stem == "production"]
    manifests = chart.manifests(values, kube_version=NEWEST, sets=["services.reply.enabled=false"])
    assert not [
        m
        for m in manifests
        if m["metadata"]["labels"]["app.kubernetes.io/component"] in {"reply", "migrate-reply"}
    ]
    (ingress,) = of_kind(manifests, "Ingress")
    backends = {
        p["backend"]["service"]["name"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]
    }
    assert object_name("reply") not in backends and object_name("routing") in backends
