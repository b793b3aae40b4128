"""The rate of each channel account shared by reply processes: sends are claimed from the database in
chunks and handed out here, a full second is waited out by the database's clock, claimed sends expire
with their second, and a database that does not answer leaves the send to the local bucket."""

from __future__ import annotations

import asyncio
import math

import pytest
from prometheus_client import REGISTRY
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from services.reply import quota
from services.reply.quota import Grant, RateLimiter, SharedRateLimiter


class Clock:
    """A local clock that only moves when a sender sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class FakeQuotas:
    """The `send_quota` statement's semantics, on a database clock `offset` seconds ahead of ours."""

    def __init__(self, clock: Clock, *, offset: float) -> None:
        self.clock, self.offset = clock, offset
        self.rows: dict[tuple[str, str], tuple[int, int]] = {}  # window, granted
        self.asked: list[int] = []
        self.failures: list[Exception] = []

    async def claim(self, *, channel: str, account: str, wanted: int, cap: int) -> Grant:
        self.asked.append(wanted)
        await asyncio.sleep(0)  # other senders run while the database answers
        if self.failures:
            raise self.failures.pop()
        at = self.clock() + self.offset
        window = math.floor(at)
        row_window, granted = self.rows.get((channel, account), (window, 0))
        if row_window < window:
            granted = 0
        got = max(0, min(wanted, cap - granted))
        self.rows[channel, account] = (window, granted + got)
        return Grant(window=window, granted=got, total=granted + got, at=at)


def limiter(clock: Clock, db: FakeQuotas, rates: dict[str, float]) -> SharedRateLimiter:
    local = RateLimiter(rates, clock=clock, sleep=clock.sleep)
    return SharedRateLimiter(local=local, claim=db.claim, clock=clock, sleep=clock.sleep)


def claims(outcome: str) -> float:
    return REGISTRY.get_sample_value("webcare_reply_quota_claims_total", {"outcome": outcome}) or 0.0


async def test_a_claim_takes_a_tenth_of_a_second_s_sends_and_hands_them_out_here() -> None:
    clock = Clock()
    db = FakeQuotas(clock, offset=1000.25)  # the database's clock is not ours: only its own counts
    shared = limiter(clock, db, {"whatsapp": 80.0})
    granted = claims("granted")

    windows = [await shared.acquire("whatsapp", "number-1") for _ in range(8)]
    assert windows == [1000] * 8 and db.asked == [8]  # one statement for eight sends
    assert await shared.acquire("whatsapp", "number-1") == 1000
    assert db.asked == [8, 8] and claims("granted") == granted + 2
    assert clock.sleeps == []


async def test_a_full_second_is_waited_out_by_the_database_s_clock() -> None:
    clock = Clock()
    db = FakeQuotas(clock, offset=1000.25)  # 0.75 s of the database's second 1000 are left
    shared = limiter(clock, db, {"default": 20.0})

    windows = [await shared.acquire("x", "account") for _ in range(20)]
    assert windows == [1000] * 20 and db.asked == [2] * 10
    assert await shared.acquire("x", "account") == 1001
    assert clock.sleeps == [pytest.approx(0.75)]
    assert db.asked == [2] * 11  # the last grant filled the second: no claim was refused


async def test_a_second_another_process_filled_makes_this_one_wait_for_the_next() -> None:
    clock = Clock()
    db = FakeQuotas(clock, offset=50.6)
    await db.claim(channel="x", account="account", wanted=20, cap=20)  # another replica took them all
    shared = limiter(clock, db, {"default": 20.0})
    exhausted = claims("exhausted")

    assert await shared.acquire("x", "account") == 51
    assert clock.sleeps == [pytest.approx(0.4)]
    assert db.asked == [20, 2, 2] and claims("exhausted") == exhausted + 1


async def test_claimed_sends_expire_with_their_second() -> None:
    clock = Clock()
    db = FakeQuotas(clock, offset=7.9)
    shared = limiter(clock, db, {"whatsapp": 80.0})

    assert await shared.acquire("whatsapp", "number-1") == 7  # seven more claimed, usable for 0.1 s
    clock.now += 0.2
    assert await shared.acquire("whatsapp", "number-1") == 8
    assert db.asked == [8, 8]
    assert db.rows["whatsapp", "number-1"] == (8, 8)  # second 7's unused sends are not carried over


async def test_a_chunk_is_as_large_as_the_senders_waiting_and_never_above_the_rate() -> None:
    clock = Clock()
    db = FakeQuotas(clock, offset=0.0)
    shared = limiter(clock, db, {"whatsapp": 80.0, "default": 20.0})

    windows = await asyncio.gather(*(shared.acquire("whatsapp", "number-1") for _ in range(30)))
    assert windows == [0] * 30
    assert db.asked == [8, 22]  # the first claim was made before the others waited

    await asyncio.gather(*(shared.acquire("x", "account") for _ in range(50)))
    assert max(db.asked[2:]) == 20 and db.rows["x", "account"] == (2, 10)


async def test_accounts_are_limited_independently() -> None:
    clock = Clock()
    db = FakeQuotas(clock, offset=0.0)
    shared = limiter(clock, db, {"default": 2.0})

    for account in ("a", "b"):
        assert [await shared.acquire("x", account) for _ in range(2)] == [0, 0]
    assert clock.sleeps == []
    assert await shared.acquire("x", "a") == 1
    assert clock.sleeps == [pytest.approx(1.0)]


async def test_a_database_that_does_not_answer_leaves_the_sends_to_the_local_bucket() -> None:
    clock = Clock()
    db = FakeQuotas(clock, offset=0.0)
    db.failures = [OperationalError("INSERT", {}, ConnectionError("gone"))]
    shared = limiter(clock, db, {"default": 2.0})
    errors = claims("error")

    assert await shared.acquire("x", "account") is None  # counted by the local bucket
    assert await shared.acquire("x", "account") is None
    assert db.asked == [1] and claims("error") == errors + 1  # not asked again at once
    assert await shared.acquire("x", "account") is None  # the local bucket keeps the rate meanwhile
    assert clock.sleeps == [pytest.approx(0.5)]
    clock.now += quota.FALLBACK_SECONDS
    assert await shared.acquire("x", "account") == math.floor(clock.now)
    assert db.asked == [1, 1]


async def test_an_error_that_is_not_the_database_s_is_not_hidden() -> None:
    clock = Clock()
    db = FakeQuotas(clock, offset=0.0)
    db.failures = [KeyError("a bug")]
    shared = limiter(clock, db, {"default": 2.0})

    with pytest.raises(KeyError):
        await shared.acquire("x", "account")


async def test_the_rate_is_shared_through_postgresql_and_kept_in_memory_on_sqlite() -> None:
    sqlite = create_async_engine("sqlite+aiosqlite://")
    postgresql = create_async_engine("postgresql+asyncpg://webcare@127.0.0.1:1/none")
    try:
        assert isinstance(quota.rate_limiter(sqlite, {"default": 2.0}), RateLimiter)
        shared = quota.rate_limiter(postgresql, {"default": 2.0})
        assert isinstance(shared, SharedRateLimiter) and shared.local.rate_for("x") == 2.0
    finally:
        await sqlite.dispose()
        await postgresql.dispose()
