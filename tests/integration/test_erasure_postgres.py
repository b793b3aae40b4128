"""A customer's erasure on PostgreSQL: every service's database is searched after the erasure, and
nothing personal is left in it nor in what the services answer; the reports still count."""

from __future__ import annotations

import pathlib
from collections.abc import AsyncIterator

import pytest

from services.classify import model
from services.classify.config import CORPUS
from services.kit.auth import Role
from services.reply import dispatch
from tests.unit.conftest import TENANT, Api, embedded_api
from tests.unit.reply.test_dispatch import Scripted
from tests.unit.test_erasure import AGENT_KEY, Databases, databases, erasure_leaves_nothing_personal


@pytest.fixture
async def pg_api(
    pg_database_url: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Api]:
    """The embedded app on fresh PostgreSQL databases, replies sent through a scripted channel."""
    model.build(tmp_path / "models", CORPUS)
    monkeypatch.setenv("WEBCARE_MODEL_DIR", str(tmp_path / "models"))
    async with embedded_api(pg_database_url) as api:
        dispatch.dispatcher(api.app.state.runtimes["reply"]).adapter = Scripted()
        api.add_key(AGENT_KEY, tenant=TENANT, role=Role.agent, agent_id="agent-1")
        yield api


@pytest.fixture
async def pg_dbs(pg_database_url: str) -> AsyncIterator[Databases]:
    async with databases(pg_database_url) as found:
        yield found


async def test_an_erased_customer_leaves_no_personal_data_in_any_postgresql_database(
    pg_api: Api, pg_dbs: Databases
) -> None:
    await erasure_leaves_nothing_personal(pg_api, pg_dbs)
