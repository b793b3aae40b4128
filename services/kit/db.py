"""Database engines and the kernel's own tables (outbox, inbox) that every service database holds."""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

import orjson
from prometheus_client import Gauge, Histogram
from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    DateTime,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    any_,
    bindparam,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, DisconnectionError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.types import TypeDecorator
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger(__name__)

CONNECTIONS_IN_USE = Gauge(
    "webcare_db_connections_in_use", "Connections a database's pool has handed out", ["database"]
)
COMMIT_DURATION = Histogram(
    "webcare_db_commit_duration_seconds", "Time to commit one unit of work", ["service"]
)
# A pooled connection idle longer than this is pinged before it is handed out; one in steady use is
# not (a ping is three round trips on asyncpg: BEGIN, ";", ROLLBACK).
PING_IDLE_SECONDS = 5.0


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is stored in UTC and always read back as an aware UTC datetime (SQLite too)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store in UTC; SQLite keeps no zone, so it gets the naive UTC time."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read as aware UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


kit_metadata = MetaData()

# Events committed with the business rows that imply them, published after the commit.
outbox = Table(
    "outbox",
    kit_metadata,
    Column("id", String(64), primary_key=True),
    Column("topic", String(200), nullable=False),
    Column("key", String(200), nullable=False),
    Column("value", LargeBinary, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)
Index("ix_outbox_created_at", outbox.c.created_at)

# Events this service has handled, by consumer: redelivery of one of them changes nothing.
inbox = Table(
    "inbox",
    kit_metadata,
    Column("consumer", String(200), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("processed_at", UtcDateTime(), nullable=False),
)
Index("ix_inbox_processed_at", inbox.c.processed_at)  # retention deletes by age


def any_of(column: ColumnElement[Any], values: Collection[Any], dialect: Dialect) -> ColumnElement[bool]:
    """`column IN values`, written so that a batch's lookup is one statement whatever its size.

    SQLAlchemy expands `in_()` into one parameter per value, so each batch size is a statement of
    its own for PostgreSQL to prepare; `= ANY($1)` with one array parameter is the same statement
    every time. SQLite has no arrays and keeps `IN`.
    """
    if dialect.name != "postgresql":
        return column.in_(list(values))
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def add_kit_tables(metadata: MetaData) -> None:
    """Add the outbox and inbox tables to a service's metadata, for its migrations."""
    for table in kit_metadata.tables.values():
        if table.name not in metadata.tables:
            table.to_metadata(metadata)


class Database:
    """One service's engine and sessions; SQLite in embedded mode, PostgreSQL in distributed mode."""

    def __init__(self, url: str, *, pool_size: int = 20) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # JSON columns (the outbox's headers among them) are written for every event: orjson is
        # several times faster than the standard library at it.
        kwargs: dict[str, Any] = {"json_serializer": _json_text}
        if self.is_sqlite:
            # One connection per service database: SQLite writes are serial anyway, and a single
            # connection never meets "database is locked".
            kwargs |= {"pool_size": 1, "max_overflow": 0, "pool_timeout": 60}
        else:
            # The pool keeps every connection it opens, up to `pool_size`. Connections beyond the ones
            # a pool keeps (SQLAlchemy's overflow) are closed when they come back, and under a steady
            # load just above what it kept, reply's pool opened and closed connections over and over
            # (a new session each time, its prepared statements lost): a tenth of its CPU.
            kwargs |= {"pool_size": pool_size, "max_overflow": 0}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(self.engine.sync_engine, "checkout", _ping_if_idle(self.engine.dialect))
        event.listen(self.engine.sync_engine, "checkin", _note_checkin)
        in_use = CONNECTIONS_IN_USE.labels(PurePath(self.engine.url.database or "").stem)
        event.listen(self.engine.sync_engine, "checkout", lambda *_: in_use.inc())
        event.listen(self.engine.sync_engine, "checkin", lambda *_: in_use.dec())
        self.sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)

    async def ping(self) -> bool:
        """Whether the database answers."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as exc:
            log.warning("database %s is not reachable: %r", self.engine.url.render_as_string(), exc)
            return False
        return True

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def _ping_if_idle(dialect: Dialect) -> Any:
    """A pool checkout hook: ping a connection that lay idle in the pool (the server may have closed
    it meanwhile) and have a dead one replaced by a fresh connection, as pool_pre_ping would."""

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("checked_in_at")
        if returned is None or time.monotonic() - returned < PING_IDLE_SECONDS:
            return  # new, or in steady use: a lost one fails its statement and is invalidated then
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError(f"a pooled connection is gone: {exc!r}") from exc

    return checkout


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in_at"] = time.monotonic()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def is_transient(exc: BaseException) -> bool:
    """Whether a failure is the infrastructure's (retry) rather than the event's (dead-letter)."""
    from aiokafka.errors import KafkaError
    from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(
        exc, OperationalError | InterfaceError | DisconnectionError | KafkaError | OSError | TimeoutError
    )
