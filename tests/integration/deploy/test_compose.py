"""deploy/compose/compose.yaml is a valid Compose file (the Compose Specification's own JSON schema)
that runs the five services from one image after the migrations, on one Kafka and one PostgreSQL
with a database per service, behind a gateway that routes like the Ingress, with Prometheus
scraping every service and Grafana provisioned with the dashboards."""

from __future__ import annotations

import copy
import json
import pathlib
import re
from typing import Any

import jsonschema
import pytest
import yaml

from services.ingest.config import IngestSettings
from services.kit.config import SERVICES, KitSettings
from tests.integration.deploy.chart import CHART_DIR, DASHBOARDS, ROOT

COMPOSE_DIR = ROOT / "deploy" / "compose"
COMPOSE_FILE = COMPOSE_DIR / "compose.yaml"
Compose = dict[str, Any]


@pytest.fixture(scope="module")
def validator(compose_schema_path: pathlib.Path) -> jsonschema.protocols.Validator:
    """A validator of the Compose Specification's schema."""
    schema = json.loads(compose_schema_path.read_text())
    assert schema["title"] == "Compose Specification"
    # The schema declares draft 2019-09 (by a URI jsonschema does not recognise, so name the draft).
    assert "2019-09" in schema["$schema"]
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(schema)


@pytest.fixture(scope="module")
def compose() -> Compose:
    """The compose file, parsed (YAML anchors and merge keys resolved)."""
    data: Compose = yaml.safe_load(COMPOSE_FILE.read_text())
    return data


def _errors(validator: jsonschema.protocols.Validator, document: Compose) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]


def test_the_compose_file_is_valid_against_the_compose_specification(
    validator: jsonschema.protocols.Validator, compose: Compose
) -> None:
    assert _errors(validator, compose) == []


@pytest.mark.parametrize(
    ("service", "key", "value"),
    [
        ("ingest", "enviroment", {"A": "b"}),
        ("kafka", "healthcheck", {"test": ["CMD", "true"], "intervall": "5s"}),
        ("ingest", "depends_on", {"migrate": {"condition": "service_done"}}),
        ("postgres", "read_only", "yes"),
    ],
)
def test_a_broken_compose_file_is_refused(
    validator: jsonschema.protocols.Validator, compose: Compose, service: str, key: str, value: Any
) -> None:
    broken = copy.deepcopy(compose)
    broken["services"][service][key] = value
    assert _errors(validator, broken)


def test_the_five_services_run_from_one_image_after_kafka_and_the_migrations(compose: Compose) -> None:
    services = compose["services"]
    images = {services[name]["image"] for name in (*SERVICES, "migrate")}
    assert len(images) == 1
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["build"] == {"context": "../..", "dockerfile": "Dockerfile"}
    assert (COMPOSE_DIR / services["migrate"]["build"]["context"] / "Dockerfile").is_file()
    for name in SERVICES:
        service = services[name]
        assert service["command"] == ["serve", name]
        assert service["depends_on"]["kafka"] == {"condition": "service_healthy"}
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"]
        assert service["user"].split(":")[0] != "0"
        assert "/readyz" in " ".join(service["healthcheck"]["test"])


def test_settings_are_ones_the_services_read_and_secrets_come_from_the_environment(compose: Compose) -> None:
    known = {
        f"WEBCARE_{field.upper()}" for kind in (KitSettings, IngestSettings) for field in kind.model_fields
    }
    env = compose["services"]["ingest"]["environment"]
    assert set(env) <= known
    assert env["WEBCARE_BUS"] == "kafka" and env["WEBCARE_HOST"] == "0.0.0.0"  # noqa: S104 - in a container
    assert env["WEBCARE_ADMIN_API_KEY"].startswith("${WEBCARE_ADMIN_API_KEY:?")
    assert env["WEBCARE_SECRETS_KEY"].startswith("${WEBCARE_SECRETS_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in env["WEBCARE_DATABASE_URL"]


def test_postgres_creates_the_database_every_service_url_names(compose: Compose) -> None:
    url = compose["services"]["ingest"]["environment"]["WEBCARE_DATABASE_URL"]
    template = url.rsplit("/", 1)[1]
    init = (COMPOSE_DIR / "postgres" / "init-databases.sql").read_text()
    created = set(re.findall(r"CREATE DATABASE (\w+);", init))
    assert created == {template.replace("{service}", name) for name in SERVICES}


def test_every_bind_mount_source_exists(compose: Compose) -> None:
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (COMPOSE_DIR / source).exists(), f"{name}: {source}"


def test_prometheus_scrapes_every_service(compose: Compose) -> None:
    config = yaml.safe_load((COMPOSE_DIR / "prometheus" / "prometheus.yml").read_text())
    targets = {job["job_name"]: job["static_configs"][0]["targets"] for job in config["scrape_configs"]}
    assert targets == {name: [f"{name}:8000"] for name in SERVICES}
    assert (
        "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro"
        in compose["services"]["prometheus"]["volumes"]
    )


def test_grafana_is_provisioned_with_prometheus_and_every_dashboard(compose: Compose) -> None:
    mounts = dict(volume.split(":")[:2] for volume in compose["services"]["grafana"]["volumes"])
    provisioning = COMPOSE_DIR / next(
        src for src, dst in mounts.items() if dst == "/etc/grafana/provisioning"
    )
    dashboards_mount = next(
        dst for src, dst in mounts.items() if (COMPOSE_DIR / src).resolve() == DASHBOARDS.resolve()
    )
    (provider,) = yaml.safe_load((provisioning / "dashboards" / "webcare.yaml").read_text())["providers"]
    assert provider["options"]["path"] == dashboards_mount
    (datasource,) = yaml.safe_load((provisioning / "datasources" / "prometheus.yaml").read_text())[
        "datasources"
    ]
    assert datasource["type"] == "prometheus" and datasource["url"] == "http://prometheus:9090"


def test_the_gateway_routes_each_path_like_the_chart(compose: Compose) -> None:
    values = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
    chart_table = {p["path"]: name for name, svc in values["services"].items() for p in svc["ingressPaths"]}
    nginx = (COMPOSE_DIR / "gateway" / "nginx.conf").read_text()
    gateway_table = {
        path: service
        for path, service in re.findall(r"location (?:~ \^)?(\S+) \{ proxy_pass http://(\w+):8000;", nginx)
    }
    assert gateway_table == chart_table
    assert nginx.index("location ~ ^/v1/conversations/[^/]+/(replies|reply-suggestions)") < nginx.index(
        "location /v1/conversations "
    )
