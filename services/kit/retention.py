"""Retention: what a service keeps only for a while is deleted by a timer, so no table grows forever.

Every service prunes its inbox (the event ids its consumers handled) after `inbox_retention_days`,
which must outlast the longest time a topic can redeliver an event (Kafka's retention). A service
adds its own prunes (ingest: raw deliveries) through `ServiceSpec.retention`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from prometheus_client import Counter
from sqlalchemy import delete

from services.kit.db import inbox
from services.kit.events import now

if TYPE_CHECKING:
    from services.kit.runtime import Runtime

log = logging.getLogger(__name__)

PRUNED = Counter("webcare_retention_pruned_rows_total", "Rows deleted because their time was up", ["table"])

# A prune: delete what is older than the runtime's settings allow at `moment`; returns rows deleted.
Prune = Callable[["Runtime", datetime], Awaitable[int]]


async def prune_inbox(rt: Runtime, moment: datetime) -> int:
    """Forget handled event ids older than `inbox_retention_days`."""
    cutoff = moment - timedelta(days=rt.settings.inbox_retention_days)
    async with rt.db.engine.begin() as conn:
        result = await conn.execute(delete(inbox).where(inbox.c.processed_at < cutoff))
    return int(result.rowcount or 0)


async def prune_all(rt: Runtime, moment: datetime | None = None) -> dict[str, int]:
    """Run the kit's and the service's prunes once; returns rows deleted per prune."""
    moment = moment or now()
    done: dict[str, int] = {}
    for prune in (prune_inbox, *rt.spec.retention):
        name = prune.__name__.removeprefix("prune_")
        done[name] = await prune(rt, moment)
        PRUNED.labels(name).inc(done[name])
    return done


class Retention:
    """Runs `prune_all` for a runtime every `retention_interval_seconds`."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the timer (the first prune runs one interval after the start)."""
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop the timer."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.rt.settings.retention_interval_seconds)
            try:
                deleted = await prune_all(self.rt)
                if any(deleted.values()):
                    log.info("%s pruned %s", self.rt.name, deleted)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the next interval tries again
                log.warning("retention of %s failed: %r", self.rt.name, exc)
