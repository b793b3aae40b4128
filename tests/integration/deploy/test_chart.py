"""The chart lints strictly, renders with every CI value set, and every object it renders is valid
against the Kubernetes and CRD JSON schemas, offline; bad values are refused."""

from __future__ import annotations

import pathlib
import shutil
import tarfile

import pytest
import yaml

from tests.integration.deploy.chart import (
    CHART_DIR,
    CI_VALUES,
    DASHBOARDS,
    Chart,
    Kubeconform,
    RenderError,
    kube_versions,
)

CI_NAMES = [path.stem for path in CI_VALUES]
OLDEST, NEWEST = kube_versions()


def test_the_ci_value_sets_cover_minimal_production_keda_and_everything_off() -> None:
    assert {"minimal", "production", "keda", "everything-off"} <= set(CI_NAMES)


@pytest.mark.parametrize("values", CI_VALUES, ids=CI_NAMES)
def test_helm_lint_strict_passes(chart: Chart, values: pathlib.Path) -> None:
    result = chart.lint([values], kube_version=NEWEST)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kube_version", [OLDEST, NEWEST])
@pytest.mark.parametrize("values", CI_VALUES, ids=CI_NAMES)
def test_every_rendered_object_is_valid_against_its_schema(
    chart: Chart, kubeconform: Kubeconform, values: pathlib.Path, kube_version: str
) -> None:
    text = chart.template([values], kube_version=kube_version)
    count = sum(1 for doc in yaml.safe_load_all(text) if doc)
    report = kubeconform.validate(text, kube_version=kube_version)
    assert report.problems() == []
    assert report.summary == {"valid": count, "invalid": 0, "errors": 0, "skipped": 0}


REQUIRED = {
    "kafka.bootstrapServers=kafka:9092": r"kafka\.bootstrapServers is required",
    "database.urlSecret.name=webcare-database": r"set database\.urlSecret\.name or database\.host",
    "adminApiKey.existingSecret=webcare-admin": r"adminApiKey\.existingSecret is required",
}


@pytest.mark.parametrize("missing", REQUIRED, ids=[key.split("=")[0] for key in REQUIRED])
def test_the_chart_refuses_to_render_without_kafka_database_or_admin_secret(
    chart: Chart, missing: str
) -> None:
    chart.template(kube_version=NEWEST, sets=list(REQUIRED))
    with pytest.raises(RenderError, match=REQUIRED[missing]):
        chart.template(kube_version=NEWEST, sets=[item for item in REQUIRED if item != missing])


def test_sasl_without_a_password_secret_is_refused(chart: Chart) -> None:
    minimal = CHART_DIR / "ci" / "minimal.yaml"
    sets = ["kafka.securityProtocol=SASL_SSL", "kafka.sasl.mechanism=SCRAM-SHA-512", "kafka.sasl.username=u"]
    with pytest.raises(RenderError, match=r"kafka\.sasl\.passwordSecret\.name is required"):
        chart.template([minimal], kube_version=NEWEST, sets=sets)


def test_keda_may_not_scale_a_consumer_beyond_the_partitions(chart: Chart) -> None:
    keda = CHART_DIR / "ci" / "keda.yaml"
    with pytest.raises(
        RenderError, match=r"services\.classify\.keda\.maxReplicas 6 exceeds kafka\.topics\.partitions 3"
    ):
        chart.template([keda], kube_version=NEWEST, sets=["kafka.topics.partitions=3"])


BAD_VALUES = {
    "wrong type": ("services:\n  ingest:\n    replicas: two\n", "replicas"),
    "unknown service": ("services:\n  billing:\n    enabled: true\n", "billing"),
    "typo at the top": ("ingres:\n  enabled: true\n", "ingres"),
    "typo in a service": ("services:\n  reply:\n    replicass: 3\n", "replicass"),
    "unknown protocol": ("kafka:\n  securityProtocol: SASL_SCRAM\n", "securityProtocol"),
    "bad duration": ("metrics:\n  serviceMonitor:\n    interval: 30 seconds\n", "interval"),
}


@pytest.mark.parametrize(("text", "field"), BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_values_that_break_the_schema_are_refused(
    chart: Chart, tmp_path: pathlib.Path, text: str, field: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    values = [CHART_DIR / "ci" / "minimal.yaml", bad]
    lint = chart.lint(values, kube_version=NEWEST)
    assert lint.returncode != 0
    assert "values don't meet the specifications of the schema" in lint.stdout + lint.stderr
    with pytest.raises(RenderError, match=field):
        chart.template(values, kube_version=NEWEST)


def test_the_packaged_chart_carries_every_dashboard_and_no_ci_values(
    chart: Chart, tmp_path: pathlib.Path
) -> None:
    result = chart.package(tmp_path)
    assert result.returncode == 0, result.stderr
    (archive,) = tmp_path.glob("webcare-*.tgz")
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    dashboards = {f"webcare/dashboards/{p.name}" for p in DASHBOARDS.glob("*.json")}
    assert dashboards and dashboards <= names
    assert {"webcare/values.schema.json", "webcare/templates/NOTES.txt"} <= names
    assert not [name for name in names if name.startswith("webcare/ci/")]


def test_the_dashboards_folder_of_the_chart_is_the_grafana_folder() -> None:
    assert (CHART_DIR / "dashboards").resolve() == DASHBOARDS.resolve()


@pytest.mark.parametrize("values", CI_VALUES, ids=CI_NAMES)
def test_notes_render_and_name_every_enabled_service(
    chart: Chart, tmp_path: pathlib.Path, values: pathlib.Path
) -> None:
    # helm template does not render NOTES.txt: render it inside a ConfigMap of a copy of the chart.
    copy = tmp_path / "webcare"
    shutil.copytree(chart.path, copy)
    notes = (copy / "templates" / "NOTES.txt").read_text()
    (copy / "templates" / "_notes_check.tpl").write_text(
        '{{- define "notes-check" -}}' + notes + "{{- end -}}"
    )
    (copy / "templates" / "notes-check.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes}\n"
        'data: {notes: {{ include "notes-check" . | toJson }}}\n'
    )
    manifests = Chart(helm=chart.helm, home=chart.home, path=copy).manifests([values], kube_version=NEWEST)
    (text,) = [m["data"]["notes"] for m in manifests if m["metadata"]["name"] == "notes"]
    enabled = {
        m["metadata"]["labels"]["app.kubernetes.io/component"] for m in manifests if m["kind"] == "Deployment"
    }
    assert enabled
    for service in enabled:
        assert f"  - {service}: wc-webcare-{service}" in text


def test_a_dashboard_added_to_the_folder_ships_without_touching_the_chart(
    chart: Chart, tmp_path: pathlib.Path
) -> None:
    copy = tmp_path / "webcare"
    shutil.copytree(chart.path, copy)
    (copy / "dashboards" / "service-levels.json").write_text('{"uid": "webcare-slo", "panels": []}')
    manifests = Chart(helm=chart.helm, home=chart.home, path=copy).manifests(
        [CHART_DIR / "ci" / "minimal.yaml"], kube_version=NEWEST, sets=["grafanaDashboards.enabled=true"]
    )
    shipped = {key for m in manifests if m["kind"] == "ConfigMap" for key in m["data"]}
    assert shipped == {path.name for path in DASHBOARDS.glob("*.json")} | {"service-levels.json"}
