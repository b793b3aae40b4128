"""Two reply processes on one PostgreSQL database keep a channel account to its rate together: in no
second of the database's clock do they send more than the rate, they reach it, and each account has
a rate of its own."""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from services.cli import SPECS
from services.kit.db import Database
from services.kit.migrate import upgrade
from services.reply import quota
from services.reply.quota import SharedRateLimiter

RATE = 20
SENDS = 3 * RATE  # per account, half from each process: at least three seconds' worth


def claims(outcome: str) -> float:
    return REGISTRY.get_sample_value("webcare_reply_quota_claims_total", {"outcome": outcome}) or 0.0


def one_engine(limiter: SharedRateLimiter) -> AsyncEngine:
    """The engine a limiter claims through."""
    claim = limiter.claim
    quotas = getattr(claim, "__self__", None)
    assert isinstance(quotas, quota.SendQuotas)
    return quotas.engine


async def database_second(limiter: SharedRateLimiter) -> int:
    """The second the database's clock is in."""
    grant = await limiter.claim(channel="clock", account="clock", wanted=1, cap=1)
    return math.floor(grant.at)


@pytest.fixture
async def replicas(pg_database_url: str) -> AsyncIterator[tuple[SharedRateLimiter, SharedRateLimiter]]:
    """Two processes' limiters, each with its own engine, on reply's fresh and migrated database."""
    url = pg_database_url.replace("{service}", "reply")
    first, second = Database(url), Database(url)
    try:
        await upgrade(SPECS["reply"](), first)
        one, two = (quota.rate_limiter(db.engine, {"default": float(RATE)}) for db in (first, second))
        assert isinstance(one, SharedRateLimiter) and isinstance(two, SharedRateLimiter)
        two.clock = lambda: time.monotonic() + 1234.5  # a replica's own clock does not matter
        yield one, two
    finally:
        await first.close()
        await second.close()


async def test_two_replicas_never_send_more_than_the_rate_in_any_second_and_reach_it(
    replicas: tuple[SharedRateLimiter, SharedRateLimiter],
) -> None:
    one, two = replicas
    errors = claims("error")
    first_second = await database_second(one)

    async def send(account: str, limiter: SharedRateLimiter) -> tuple[str, int]:
        window = await limiter.acquire("x", account)
        assert window is not None  # counted in the database, not by a local bucket
        return account, window

    started = time.monotonic()
    granted = await asyncio.gather(
        *(send(account, limiter) for account in "ab" for limiter in (one, two) for _ in range(SENDS // 2))
    )
    elapsed = time.monotonic() - started

    assert claims("error") == errors
    last_second = await database_second(one)
    for account in "ab":
        per_second = Counter(window for name, window in granted if name == account)
        assert sum(per_second.values()) == SENDS
        assert max(per_second.values()) <= RATE, per_second
        assert first_second <= min(per_second) and max(per_second) <= last_second  # the database's seconds
        seconds = max(per_second) - min(per_second) + 1  # the seconds they were sent in, first to last
        assert SENDS / (seconds * RATE) >= 0.7, per_second
        assert elapsed > seconds - 2  # they waited for those seconds
    # Both accounts in three or four seconds, not the six one shared rate would take.
    assert elapsed < 4.5


async def test_claims_for_many_accounts_at_once_take_few_pooled_connections(
    replicas: tuple[SharedRateLimiter, SharedRateLimiter], pg_database_url: str
) -> None:
    """Sixteen busy numbers claiming at once must not take more connections than the pool keeps (it
    would open and close connections over and over)."""
    one, _ = replicas
    engine = one_engine(one)
    in_use = peak = 0

    def checkout(*_: object) -> None:
        nonlocal in_use, peak
        in_use += 1
        peak = max(peak, in_use)

    def checkin(*_: object) -> None:
        nonlocal in_use
        in_use -= 1

    event.listen(engine.sync_engine, "checkout", checkout)
    event.listen(engine.sync_engine, "checkin", checkin)
    windows = await asyncio.gather(*(one.acquire("whatsapp", f"number-{n}") for n in range(16)))
    assert all(window is not None for window in windows)
    assert 1 <= peak <= quota.CLAIM_CONNECTIONS
