"""Sends the channel took are written down together: those that finish while a write is under way
share the next one, each gets its answer from it, even when the first one's request goes away, and a
group that fails for good is written reply by reply."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence

from services.kit.events import now
from services.kit.runtime import Runtime
from services.reply.models import Reply
from services.reply.outcomes import Sent, SentRecorder


class Gated(SentRecorder):
    """Writes nothing: each group waits for a pass through the gate and is taken as recorded, unless it
    holds a reply in `broken`."""

    def __init__(self) -> None:
        super().__init__(Runtime.__new__(Runtime), sample_rate=self._rate, rng=lambda: random.random)
        self.gate = asyncio.Semaphore(0)
        self.batches: list[list[str]] = []
        self.broken: set[str] = set()

    async def _rate(self, uow: object, tenant_id: str) -> float:
        return 0.0

    async def _write_retrying(self, batch: Sequence[Sent]) -> dict[str, Reply]:
        self.batches.append([sent.held.id for sent in batch])
        await self.gate.acquire()
        if self.broken & {sent.held.id for sent in batch}:
            raise ValueError("a reply the database refuses")
        return {sent.held.id: sent.held for sent in batch}


def sent(reply_id: str) -> Sent:
    held = Reply(
        id=reply_id, tenant_id="t", conversation_id="c", agent_id="a", channel="whatsapp", text="hi",
        status="sending", created_at=now(),
    )  # fmt: skip
    return Sent(held, f"wamid.{reply_id}", now())


async def test_replies_waiting_are_written_together_and_a_cancelled_first_one_fails_none() -> None:
    recorder = Gated()
    under_way = asyncio.create_task(recorder.record(sent("r0")))
    await asyncio.sleep(0)  # r0's write is under way: r1 and r2 wait for the next one
    first = asyncio.create_task(recorder.record(sent("r1")))
    follower = asyncio.create_task(recorder.record(sent("r2")))
    await asyncio.sleep(0)
    recorder.gate.release()  # r0's write may finish
    assert (await under_way).id == "r0"
    while len(recorder.batches) < 2:
        await asyncio.sleep(0)
    assert recorder.batches == [["r0"], ["r1", "r2"]]
    first.cancel()  # r1's request went away while the group was being written
    await asyncio.sleep(0)
    recorder.gate.release()
    assert (await follower).id == "r2"
    assert first.cancelled()
    assert recorder.batches == [["r0"], ["r1", "r2"]]  # written once, for both


async def test_a_group_that_fails_for_good_is_written_reply_by_reply() -> None:
    recorder = Gated()
    for _ in range(4):
        recorder.gate.release()
    recorder.broken.add("r2")
    answers = await asyncio.gather(
        *(recorder.record(sent(reply_id)) for reply_id in ("r1", "r2", "r3")), return_exceptions=True
    )
    assert isinstance(answers[1], ValueError)
    assert [answer.id for answer in (answers[0], answers[2]) if isinstance(answer, Reply)] == ["r1", "r3"]
    assert recorder.batches == [["r1", "r2", "r3"], ["r1"], ["r2"], ["r3"]]
