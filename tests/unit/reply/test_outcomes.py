"""Sends the channel took are written down together: whoever leads a write, the others get their
answer from it, even when the leader's own request goes away."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence

from services.kit.events import now
from services.kit.runtime import Runtime
from services.reply.models import Reply
from services.reply.outcomes import Sent, SentRecorder


class Gated(SentRecorder):
    """Writes nothing: each batch waits for the gate and is taken as recorded."""

    def __init__(self) -> None:
        super().__init__(Runtime.__new__(Runtime), sample_rate=self._rate, rng=lambda: random.random)
        self.gate = asyncio.Event()
        self.batches: list[list[str]] = []

    async def _rate(self, uow: object, tenant_id: str) -> float:
        return 0.0

    async def _write(self, batch: Sequence[Sent]) -> dict[str, Reply]:
        self.batches.append([sent.held.id for sent in batch])
        await self.gate.wait()
        return {sent.held.id: sent.held for sent in batch}


def sent(reply_id: str) -> Sent:
    held = Reply(
        id=reply_id, tenant_id="t", conversation_id="c", agent_id="a", channel="whatsapp", text="hi",
        status="sending", created_at=now(),
    )  # fmt: skip
    return Sent(held, f"wamid.{reply_id}", now())


async def test_replies_waiting_are_written_together_and_a_cancelled_leader_fails_none() -> None:
    recorder = Gated()
    await recorder._lock.acquire()  # a write under way: both wait for the next one
    leader = asyncio.create_task(recorder.record(sent("r1")))
    follower = asyncio.create_task(recorder.record(sent("r2")))
    await asyncio.sleep(0)
    recorder._lock.release()
    while not recorder.batches:
        await asyncio.sleep(0)
    assert recorder.batches == [["r1", "r2"]]
    leader.cancel()  # the leader's request went away while the batch was being written
    await asyncio.sleep(0)
    recorder.gate.set()
    assert (await follower).id == "r2"
    assert leader.cancelled()
    assert recorder.batches == [["r1", "r2"]]  # written once, for both
