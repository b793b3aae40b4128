"""How fast each channel account sends: at most its channel's rate per second (`reply_rate_per_account`),
counted in this process (SQLite, the embedded mode's one process) or across every reply process that
shares the database (PostgreSQL).

Shared, the limit is counted per second of the database's clock in the `send_quota` table. A process
claims a chunk of sends for the current second with one statement, hands them out to its waiting
senders, and asks again when they are gone; a chunk is about a tenth of a second's sends, or as many as
senders wait, so the database is asked a few times a second per busy account, not once per send.
Claimed sends not handed out before their second ends are dropped: the processes together never send
more than the rate in any second of the database's clock. Rates are counted in whole sends per second
(a rate below one is one).

A claim the database does not answer (an error, no connection) neither loses nor doubles a reply: the
send waits on this process's own bucket instead, and so do the account's other sends for
FALLBACK_SECONDS, after which the database is asked again. Meanwhile each process keeps the rate on its
own, so several processes together may exceed it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from prometheus_client import Counter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

CLAIMS_PER_SECOND = 10  # a chunk is at least this share of a second's sends
CLAIM_CONNECTIONS = 2  # claims under way at once, whichever accounts they are for
FALLBACK_SECONDS = 1.0  # after a failed claim, the account's sends use the local bucket this long
DATABASE_ERRORS = (SQLAlchemyError, OSError, TimeoutError)

CLAIMS = Counter(
    "webcare_reply_quota_claims_total",
    "Claims of sends from the rate shared by reply processes, by outcome",
    ["outcome"],
)

# One statement on the `send_quota` table (models.SendQuota): take up to :wanted sends of the current
# second of the database's clock for an account, counting anew when the row's second is past, nothing
# when the second's :cap are taken. It answers the database's time always, the sends granted and their
# second when it granted some, and how many of the second's sends are taken.
CLAIM = text(
    """
WITH clock AS (SELECT clock_timestamp() AS at),
claim AS (
    INSERT INTO send_quota AS q
        (channel, channel_account_id, window_start, granted, last_granted)
    SELECT CAST(:channel AS varchar), CAST(:account AS varchar),
        floor(extract(epoch FROM clock.at))::bigint, CAST(:wanted AS integer), CAST(:wanted AS integer)
    FROM clock
    ON CONFLICT (channel, channel_account_id) DO UPDATE SET
        window_start = GREATEST(q.window_start, excluded.window_start),
        last_granted = CASE WHEN q.window_start < excluded.window_start THEN excluded.granted
            ELSE LEAST(excluded.granted, CAST(:cap AS integer) - q.granted) END,
        granted = CASE WHEN q.window_start < excluded.window_start THEN excluded.granted
            ELSE q.granted + LEAST(excluded.granted, CAST(:cap AS integer) - q.granted) END
    WHERE q.window_start < excluded.window_start OR q.granted < CAST(:cap AS integer)
    RETURNING q.window_start, q.last_granted, q.granted
)
SELECT extract(epoch FROM clock.at)::float8 AS at,
    COALESCE(claim.window_start, floor(extract(epoch FROM clock.at))::bigint) AS window_start,
    COALESCE(claim.last_granted, 0) AS granted,
    COALESCE(claim.granted, CAST(:cap AS integer)) AS total
FROM clock LEFT JOIN claim ON true
"""
)


@dataclass(frozen=True)
class Grant:
    """The database's answer to a claim: `granted` sends (none: the second is full) counted in the
    second `window` (epoch seconds), `total` of its sends now taken, the database's time `at`."""

    window: int
    granted: int
    total: int
    at: float


class Claim(Protocol):
    """Takes up to `wanted` of an account's `cap` sends of the database's current second."""

    def __call__(self, *, channel: str, account: str, wanted: int, cap: int) -> Awaitable[Grant]: ...


class SendQuotas:
    """The `send_quota` table of a PostgreSQL database."""

    def __init__(self, engine: AsyncEngine) -> None:
        # One round trip per claim: no BEGIN and COMMIT around the single statement.
        self.engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        # Claims of different accounts take CLAIM_CONNECTIONS pooled connections at most: sixteen
        # busy accounts claiming at once took more than the pool keeps, and the pool opened and
        # closed connections over and over (a tenth of reply's CPU in `make bench-reply`).
        self._connections = asyncio.Semaphore(CLAIM_CONNECTIONS)

    async def claim(self, *, channel: str, account: str, wanted: int, cap: int) -> Grant:
        """Take up to `wanted` of the account's `cap` sends of the current second."""
        params = {"channel": channel, "account": account, "wanted": wanted, "cap": cap}
        async with self._connections, self.engine.connect() as conn:
            row = (await conn.execute(CLAIM, params)).one()
        return Grant(window=int(row.window_start), granted=int(row.granted), total=int(row.total), at=row.at)


@dataclass
class RateLimiter:
    """A token bucket per channel account: at most `rate` sends per second, bursts of one second's
    worth."""

    rates: dict[str, float]
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _buckets: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)  # tokens, at
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def rate_for(self, channel: str) -> float:
        """Sends per second for accounts of this channel."""
        return self.rates.get(channel, self.rates.get("default", 20.0))

    async def acquire(self, channel: str, account: str) -> None:
        """Wait until the account may send once more."""
        rate = self.rate_for(channel)
        while True:
            async with self._lock:
                tokens, at = self._buckets.get((channel, account), (rate, self.clock()))
                moment = self.clock()
                tokens = min(rate, tokens + (moment - at) * rate)
                if tokens >= 1 - 1e-9:  # float error must not leave a send waiting forever
                    self._buckets[channel, account] = (max(0.0, tokens - 1), moment)
                    return
                self._buckets[channel, account] = (tokens, moment)
                wait = (1 - tokens) / rate
            await self.sleep(wait)


@dataclass
class _Account:
    """One account's sends in this process: those claimed and not handed out yet, and until when
    (local clock) they may be used, the second is full, or the database is left alone."""

    window: int = 0
    left: int = 0
    usable_until: float = 0.0  # the claimed sends' second ends, at the earliest
    full_until: float = 0.0  # the full second ends, at the latest
    fallback_until: float = 0.0
    waiting: int = 0
    claims: int = 0  # answers so far: a sender that waited for the lock sees whether one came meanwhile
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class SharedRateLimiter:
    """The rate of each channel account, shared through the database by every reply process; a claim
    that fails with a database error sends by the `local` bucket for FALLBACK_SECONDS (counted as
    outcome "error")."""

    local: RateLimiter
    claim: Claim
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _accounts: dict[tuple[str, str], _Account] = field(default_factory=dict)

    async def acquire(self, channel: str, account: str) -> int | None:
        """Wait until the account may send once more; the second (database clock) the send counts in,
        or None when the local bucket counted it (the database did not answer)."""
        state = self._accounts.setdefault((channel, account), _Account())
        state.waiting += 1
        try:
            while True:
                moment = self.clock()
                if state.left > 0 and moment < state.usable_until:
                    state.left -= 1
                    return state.window
                if moment < state.fallback_until:
                    await self.local.acquire(channel, account)
                    return None
                if moment < state.full_until:
                    await self.sleep(state.full_until - moment)
                    continue
                seen = state.claims
                async with state.lock:
                    if state.claims == seen:  # nobody asked while this sender waited for the lock
                        await self._claim(channel, account, state)
        finally:
            state.waiting -= 1

    async def _claim(self, channel: str, account: str, state: _Account) -> None:
        """Ask the database for a chunk of the account's sends of the current second."""
        rate = self.local.rate_for(channel)
        cap = max(1, math.floor(rate))
        wanted = min(cap, max(math.ceil(rate / CLAIMS_PER_SECOND), state.waiting))
        asked = self.clock()
        try:
            grant = await self.claim(channel=channel, account=account, wanted=wanted, cap=cap)
        except DATABASE_ERRORS as exc:
            CLAIMS.labels("error").inc()
            log.warning("claiming sends of %s %s failed, counting them here: %r", channel, account, exc)
            state.fallback_until = self.clock() + FALLBACK_SECONDS
            return
        finally:
            state.claims += 1
        answered = self.clock()
        CLAIMS.labels("granted" if grant.granted > 0 else "exhausted").inc()
        # The database's clock read `grant.at` between `asked` and `answered`: its second ends no
        # sooner than `asked` plus the time left, and no later than `answered` plus it.
        left_in_window = grant.window + 1 - grant.at
        state.window, state.left = grant.window, grant.granted
        state.usable_until = asked + left_in_window
        if grant.total >= cap:  # nothing more this second: the next claim waits for the next one
            state.full_until = answered + left_in_window


Limiter = RateLimiter | SharedRateLimiter


def rate_limiter(engine: AsyncEngine, rates: Mapping[str, float]) -> Limiter:
    """The limiter for reply's database: shared through it on PostgreSQL, in this process otherwise."""
    local = RateLimiter(dict(rates))
    if engine.dialect.name != "postgresql":
        return local
    return SharedRateLimiter(local=local, claim=SendQuotas(engine).claim)
