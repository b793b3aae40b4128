"""Every service's migrations build exactly its models, on PostgreSQL and on SQLite: no stale migration."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.engine import Connection

from services.cli import SPECS
from services.kit.config import SERVICES
from services.kit.db import Database, inbox
from services.kit.migrate import alembic_config, upgrade
from services.kit.runtime import ServiceSpec


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request: pytest.FixtureRequest) -> str:
    """A `{service}` URL template of fresh databases of each kind."""
    fixture = "pg_database_url" if request.param == "postgresql" else "sqlite_database_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture(params=SERVICES)
async def migrated(
    request: pytest.FixtureRequest, database_url: str
) -> AsyncIterator[tuple[ServiceSpec, Database]]:
    """A service's spec and its database, brought to the newest migration."""
    spec = SPECS[request.param]()
    db = Database(database_url.replace("{service}", spec.name))
    try:
        await upgrade(spec, db)
        yield spec, db
    finally:
        await db.close()


def _pending_changes(conn: Connection, spec: ServiceSpec) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
    return list(compare_metadata(context, spec.metadata))


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _schema(conn: Connection) -> dict[str, Any]:
    inspector = inspect(conn)
    return {
        table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            sorted((i["name"] or "", tuple(i["column_names"])) for i in inspector.get_indexes(table)),
        )
        for table in sorted(inspector.get_table_names())
    }


async def test_migrations_build_exactly_what_the_models_declare(
    migrated: tuple[ServiceSpec, Database],
) -> None:
    spec, db = migrated

    async with db.engine.connect() as conn:
        changes = await conn.run_sync(lambda sync: _pending_changes(sync, spec))
        tables = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
        current = await conn.run_sync(_revision)

    assert changes == [], f"{spec.name}: models and migrations differ, write a migration: {changes}"
    assert current == ScriptDirectory.from_config(alembic_config(spec.name)).get_current_head()
    assert set(spec.metadata.tables) <= tables
    assert {"inbox", "outbox", "alembic_version"} <= tables


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_one_line_of_migrations(service: str) -> None:
    heads = ScriptDirectory.from_config(alembic_config(service)).get_heads()

    assert len(heads) == 1, f"{service} has several migration heads, merge them: {heads}"


async def test_upgrading_twice_changes_nothing(migrated: tuple[ServiceSpec, Database]) -> None:
    spec, db = migrated
    async with db.engine.begin() as conn:
        await conn.execute(
            insert(inbox).values(consumer="c", event_id="evt-1", processed_at=datetime.now(UTC))
        )
        before = await conn.run_sync(lambda sync: (_revision(sync), _schema(sync)))

    await upgrade(spec, db)

    async with db.engine.connect() as conn:
        after = await conn.run_sync(lambda sync: (_revision(sync), _schema(sync)))
        rows = (await conn.execute(select(inbox.c.event_id))).scalars().all()
        changes = await conn.run_sync(lambda sync: _pending_changes(sync, spec))
    assert after == before
    assert rows == ["evt-1"]
    assert changes == []


async def test_classifications_stored_before_topics_existed_survive_the_upgrade(database_url: str) -> None:
    spec = SPECS["classify"]()
    db = Database(database_url.replace("{service}", spec.name))
    try:
        await upgrade(spec, db, "acd121d9b36e")  # the first schema, without topics, rules and text
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO classifications (message_id, tenant_id, language, sentiment_label,"
                    " sentiment_score, category, confidence, urgency, needs_triage, model_version,"
                    " classified_at) VALUES ('m1', 't', 'de', 'neutral', 0, 'question', 0.9, 2, false,"
                    " 'linear-x', :at)"
                ),
                {"at": datetime.now(UTC)},
            )
        await upgrade(spec, db)
        async with db.engine.connect() as conn:
            row = (
                await conn.execute(text("SELECT message_id, topics, rules, text FROM classifications"))
            ).one()
            changes = await conn.run_sync(lambda sync: _pending_changes(sync, spec))
    finally:
        await db.close()
    assert row.message_id == "m1"
    assert [_json(row.topics), _json(row.rules), row.text] == [[], [], ""]
    assert changes == []


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
