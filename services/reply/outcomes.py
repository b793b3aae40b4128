"""Writing down sends the channel took, many replies in one transaction (group commit).

A reply the channel took must be recorded `sent`, with its ReplySent in the outbox, before its lease
runs out, or it is sent again. Replies that finish while a write is under way are written together
in the next one: one transaction, one locking SELECT, one UPDATE per row in a single round trip
(executemany), one lookup of early receipts, and the outbox rows of all their ReplySent. A reply no
longer `sending` (another process took it over after our lease ran out) is left as it is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update

from services.kit.batching import GroupCommit
from services.kit.db import any_of, is_transient
from services.kit.runtime import Runtime
from services.kit.uow import UnitOfWork
from services.reply import quality, receipts
from services.reply.events import sent_event
from services.reply.models import EarlyReceipt, Reply, ReplyStatus

log = logging.getLogger(__name__)

RECORD_ATTEMPTS = 4  # tries to write down a batch before leaving it to the lease
RECORD_PAUSE_SECONDS = 0.2
GROUP = 500  # sends written down in one transaction at most

REPLIES = Reply.__table__  # type: ignore[attr-defined]
EARLY = EarlyReceipt.__table__  # type: ignore[attr-defined]
MARK_SENT = (
    update(REPLIES)
    .where(REPLIES.c.id == bindparam("reply_id"))
    .values(
        status=ReplyStatus.sent.value,
        external_id=bindparam("external_id"),
        sent_at=bindparam("sent_at"),
        lease_until=None,
        next_attempt_at=None,
        failure_reason=None,
    )
)


@dataclass(frozen=True)
class Sent:
    """A reply the channel took: the reply as this process holds it, the channel's id, and when."""

    held: Reply
    external_id: str
    at: datetime


SampleRate = Callable[[UnitOfWork, str], Awaitable[float]]


async def write_sent(
    uow: UnitOfWork,
    batch: Sequence[Sent],
    *,
    sample_rate: SampleRate,
    rng: Callable[[], float],
) -> dict[str, Reply]:
    """Record each reply of the batch that is still `sending` as sent and announce it; the replies
    as recorded, by id (as found, for those another process took over)."""
    session = uow.session
    conn = await session.connection()
    ids = sorted(item.held.id for item in batch)
    locked = select(REPLIES.c.id, REPLIES.c.status).where(any_of(REPLIES.c.id, ids, conn.dialect))
    found = {
        row.id: row.status for row in await conn.execute(locked.order_by(REPLIES.c.id).with_for_update())
    }
    mine = [item for item in batch if found.get(item.held.id) == ReplyStatus.sending.value]
    result: dict[str, Reply] = {}
    if mine:
        await conn.execute(
            MARK_SENT,
            [{"reply_id": i.held.id, "external_id": i.external_id, "sent_at": i.at} for i in mine],
        )
    early = await _with_early_receipts(uow, mine)
    for item in mine:
        reply = item.held
        reply.status, reply.external_id, reply.sent_at = ReplyStatus.sent.value, item.external_id, item.at
        reply.lease_until = reply.next_attempt_at = reply.failure_reason = None
        if reply.id in early:
            reply = await session.get(Reply, reply.id, populate_existing=True) or reply
            uow.emit(sent_event(reply), key=reply.conversation_id)
            await receipts.apply_early(uow, reply)
        else:
            uow.emit(sent_event(reply), key=reply.conversation_id)
        rate = await sample_rate(uow, reply.tenant_id)
        quality.maybe_sample(uow, reply, rate, rng)
        result[reply.id] = reply
    for item in batch:
        if item.held.id not in result:  # another process holds it now, or it is gone
            result[item.held.id] = await session.get(Reply, item.held.id) or item.held
    return result


async def _with_early_receipts(uow: UnitOfWork, sent: Sequence[Sent]) -> set[str]:
    """Replies of the batch the channel sent receipts for before their id was recorded."""
    if not sent:
        return set()
    conn = await uow.session.connection()
    query = select(EARLY.c.tenant_id, EARLY.c.channel, EARLY.c.external_id).where(
        any_of(EARLY.c.external_id, sorted({item.external_id for item in sent}), conn.dialect)
    )
    keys = {(row.tenant_id, row.channel, row.external_id) for row in await conn.execute(query)}
    if not keys:
        return set()
    return {
        item.held.id for item in sent if (item.held.tenant_id, item.held.channel, item.external_id) in keys
    }


class SentRecorder:
    """Writes down replies the channel took, those that finish while a write is under way together
    in the next one (kit/batching.py). A group that fails for good is written reply by reply, so that
    one bad reply keeps no other from being recorded."""

    def __init__(
        self,
        rt: Runtime,
        *,
        sample_rate: SampleRate,
        rng: Callable[[], Callable[[], float]],
    ) -> None:
        self.rt = rt
        self.sample_rate = sample_rate
        self.rng = rng
        self._group: GroupCommit[Sent, Reply] = GroupCommit(self._write, max_batch=GROUP)

    async def record(self, item: Sent) -> Reply:
        """Record one send the channel took (with whatever else waits); the reply as recorded."""
        return await self._group.submit(item)

    async def _write(self, batch: Sequence[Sent]) -> list[Reply | Exception]:
        recorded = await self._write_retrying(batch)
        return [recorded[item.held.id] for item in batch]

    async def _write_retrying(self, batch: Sequence[Sent]) -> dict[str, Reply]:
        for attempt in range(1, RECORD_ATTEMPTS + 1):
            try:
                async with self.rt.unit_of_work() as uow:
                    return await write_sent(uow, batch, sample_rate=self.sample_rate, rng=self.rng())
            except Exception as exc:
                if attempt == RECORD_ATTEMPTS or not is_transient(exc):
                    raise
                log.warning("recording %d sent replies failed (try %d), again: %r", len(batch), attempt, exc)
                await asyncio.sleep(RECORD_PAUSE_SECONDS * attempt)
        raise AssertionError("unreachable")
