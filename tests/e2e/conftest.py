"""Fixtures of the end-to-end tier: Webcare started as real processes, embedded or distributed."""

from __future__ import annotations

import pathlib
from collections.abc import Generator, Iterator

import pytest

from tests.e2e.harness import LIVE, Distributed, Stack, distributed, embedded, postgres_databases


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, object, object]:
    """Attach the log tails of the running Webcare processes to a failed test's report."""
    report = yield
    if isinstance(report, pytest.TestReport) and report.failed:
        for processes in LIVE:
            for process in processes.started:
                report.sections.append((f"log of {process.name} ({process.log_path})", process.log_tail()))
    return report


@pytest.fixture
def embedded_stack(tmp_path: pathlib.Path) -> Iterator[Stack]:
    """A fresh `webcare run` process (SQLite in tmp_path) with its own tenant, for one test."""
    with embedded(tmp_path) as stack:
        yield stack


@pytest.fixture(scope="module")
def distributed_stack(
    kafka_bootstrap: str, pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Distributed]:
    """Five `webcare serve` processes on Kafka and fresh PostgreSQL databases, shared by a module."""
    directory = tmp_path_factory.mktemp("distributed")
    with (
        postgres_databases(pg_admin_url) as database_url,
        distributed(directory, kafka_bootstrap=kafka_bootstrap, database_url=database_url) as stack,
    ):
        yield stack
