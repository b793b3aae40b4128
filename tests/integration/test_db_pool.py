"""A service's database pool keeps the connections it opens and opens no more than its size: under a
steady load above the size, requests wait for a kept connection instead of the pool opening and
closing connections over and over (each new one a new PostgreSQL session whose prepared statements
are lost)."""

from __future__ import annotations

import asyncio

from sqlalchemy import event, text

from services.kit.db import Database

SIZE = 3


async def test_the_pool_keeps_its_connections_and_opens_no_more_than_its_size(pg_database_url: str) -> None:
    db = Database(pg_database_url.replace("{service}", "reply"), pool_size=SIZE)
    opened = 0
    in_use = peak = 0

    def connected(*_: object) -> None:
        nonlocal opened
        opened += 1

    def checkout(*_: object) -> None:
        nonlocal in_use, peak
        in_use += 1
        peak = max(peak, in_use)

    def checkin(*_: object) -> None:
        nonlocal in_use
        in_use -= 1

    event.listen(db.engine.sync_engine, "connect", connected)
    event.listen(db.engine.sync_engine, "checkout", checkout)
    event.listen(db.engine.sync_engine, "checkin", checkin)

    async def short_transaction() -> None:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT pg_sleep(0.01)"))

    try:
        for _ in range(4):  # rounds of more transactions at once than the pool holds
            await asyncio.gather(*(short_transaction() for _ in range(2 * SIZE)))
        assert peak == SIZE
        assert opened == SIZE  # the same connections served every round
    finally:
        await db.close()
