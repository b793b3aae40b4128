"""Alembic migrations, one history per service, applied to that service's own database."""

from __future__ import annotations

import pathlib
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from services.kit.db import Database

SERVICES_DIR = pathlib.Path(__file__).resolve().parent.parent


def alembic_config(service: str, connection: Connection | None = None) -> Config:
    """The Alembic configuration of one service's migrations."""
    config = Config()
    config.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
    config.attributes["connection"] = connection
    return config


def run_migrations(metadata: MetaData) -> None:
    """The body of every service's migrations/env.py: migrate the connection the caller passed."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `webcare migrate`, which passes the connection")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def upgrade(spec: Any, db: Database, revision: str = "heads") -> None:
    """Bring a service's database to `revision`."""
    _ensure_sqlite_dir(db.url)
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(spec.name, sync), revision))


async def autogenerate(spec: Any, db: Database, message: str) -> None:
    """Write a new migration for what the models have and the database lacks."""
    _ensure_sqlite_dir(db.url)
    async with db.engine.begin() as conn:
        await conn.run_sync(
            lambda sync: command.revision(alembic_config(spec.name, sync), message=message, autogenerate=True)
        )


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite") and ":///" in url:
        path = url.split(":///", 1)[1].split("?", 1)[0]
        if path and path != ":memory:":
            pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
