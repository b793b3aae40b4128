"""Database pool: connections in steady use are not pinged; an idle one is, and a dead one replaced."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest
from sqlalchemy import text

from services.kit import db as kit_db
from services.kit.db import Database


async def connect_and_select(database: Database) -> int:
    async with database.engine.connect() as conn:
        return int((await conn.execute(text("SELECT 1"))).scalar_one())


async def test_a_connection_in_steady_use_is_not_pinged(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    pings: list[Any] = []
    monkeypatch.setattr(database.engine.dialect, "do_ping", pings.append)
    try:
        for _ in range(3):
            assert await connect_and_select(database) == 1
        assert pings == []
    finally:
        await database.close()


async def test_an_idle_connection_is_pinged_and_a_dead_one_replaced(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    try:
        assert await connect_and_select(database) == 1
        monkeypatch.setattr(kit_db, "PING_IDLE_SECONDS", 0.0)
        pings: list[Any] = []

        def dead_once(conn: Any) -> bool:
            pings.append(conn)
            if len(pings) == 1:
                raise ConnectionResetError("the server closed the connection")
            return True

        monkeypatch.setattr(database.engine.dialect, "do_ping", dead_once)
        assert await connect_and_select(database) == 1  # the pool dropped it and opened another
        assert len(pings) == 1  # a new connection is not pinged
        assert await connect_and_select(database) == 1
        assert len(pings) == 2  # the new one, idle since its check-in, is
    finally:
        await database.close()
