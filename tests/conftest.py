"""Fixtures for every tier: tiers are chosen by folder, real servers come from scripts/infra.py."""

from __future__ import annotations

import os
import pathlib
import uuid
from collections.abc import AsyncIterator

import pytest
from hypothesis import settings as hypothesis_settings
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

ROOT = pathlib.Path(__file__).resolve().parent.parent
TIERS = ("unit", "integration", "e2e")

# Apps the tests start (hundreds) classify in a thread: a worker process per app would load the
# language models again each time. tests/unit/test_classifier_processes.py runs the workers.
os.environ.setdefault("WEBCARE_CLASSIFIER_PROCESSES", "0")

# Property tests draw the same examples in every run, so CI is repeatable; HYPOTHESIS_PROFILE=explore
# draws new ones (and remembers failures) when hunting for bugs on purpose.
hypothesis_settings.register_profile("webcare", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "webcare"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with the tier of its folder: tests/unit, tests/integration, tests/e2e."""
    for item in items:
        parts = pathlib.Path(str(item.fspath)).relative_to(ROOT / "tests").parts
        if parts and parts[0] in TIERS:
            item.add_marker(getattr(pytest.mark, parts[0]))


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} is not set: run integration and e2e tests through `make test` "
            "(scripts/infra.py starts Kafka and PostgreSQL), or point it at your own servers"
        )
    return value


@pytest.fixture(scope="session", autouse=True)
def spans() -> InMemorySpanExporter:
    """Every span this test process finishes, in memory (installed before any app sets up tracing)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    """The Kafka cluster the integration tests use."""
    return _required("WEBCARE_TEST_KAFKA_BOOTSTRAP")


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """A PostgreSQL URL of a role that may create databases."""
    return _required("WEBCARE_TEST_PG_URL")


@pytest.fixture
def unique() -> str:
    """A short unique token for names of topics, tenants and databases."""
    return uuid.uuid4().hex[:10]


@pytest.fixture
async def pg_database_url(pg_admin_url: str, unique: str) -> AsyncIterator[str]:
    """An asyncpg URL template (`{service}` per service) of throwaway databases, dropped afterwards."""
    import asyncpg

    created: list[str] = []
    admin = await asyncpg.connect(pg_admin_url)

    async def _create(service: str) -> None:
        name = f"t_{unique}_{service}"
        await admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)

    from services.kit.config import SERVICES

    try:
        for service in SERVICES:
            await _create(service)
        base = pg_admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        yield f"{base}/t_{unique}_{{service}}"
    finally:
        for name in created:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
def sqlite_database_url(tmp_path: pathlib.Path) -> str:
    """A SQLite URL template (`{service}` per service) in a temporary folder."""
    return f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db"
