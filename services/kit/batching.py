"""Group commit: work submitted while a write is under way waits, and is written together next.

Concurrent requests that each need a short transaction pay the transaction's fixed cost (a pooled
connection, BEGIN, COMMIT, the session around them) once per group instead of once each. The write
function gets the items in arrival order and answers for each: its result, or the exception that
belongs to that item alone (a conversation not found, a check that blocks). An exception the write
raises spoils the whole group; then each item is written on its own, so only the item at fault fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Writes submitted items in groups of at most `max_batch`, `concurrency` groups at a time.

    With a concurrency of two, a group's transaction runs while the one before waits for what comes
    after its commit (ingest's: the broker's acknowledgement), so neither waits for the other.
    """

    def __init__(
        self,
        write: Callable[[Sequence[T]], Awaitable[Sequence[R | Exception]]],
        *,
        max_batch: int = 200,
        concurrency: int = 1,
    ) -> None:
        self._write = write
        self.max_batch = max_batch
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._running: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(concurrency)
        self._writes: set[asyncio.Task[None]] = set()

    async def submit(self, item: T) -> R:
        """The item's result once its group is written, or the exception that tells why not."""
        done: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((item, done))
        if self._running is None:
            self._running = asyncio.create_task(self._run())
        return await asyncio.shield(done)  # a caller that gives up does not undo the others' work

    async def _run(self) -> None:
        try:
            while self._queue:
                await self._slots.acquire()  # what comes meanwhile joins the group
                group, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
                writing = asyncio.create_task(self._settle_then_free(group))
                self._writes.add(writing)
                writing.add_done_callback(self._writes.discard)
        finally:
            self._running = None

    async def _settle_then_free(self, group: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            await self._settle(group)
        finally:
            self._slots.release()

    async def _settle(self, group: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            answers = await self._write([item for item, _ in group])
        except Exception as exc:  # noqa: BLE001 - whichever item spoiled it, each is told
            if len(group) == 1:
                _tell(group[0][1], exc)
                return
            for one in group:  # one item spoiled the shared transaction: each on its own
                await self._settle([one])
            return
        except BaseException as exc:  # cancelled at shutdown: nobody waits for ever
            for _, done in group:
                _tell(done, ConnectionError("the write was interrupted"))
            raise exc
        if len(answers) != len(group):  # a bug in the write: each caller hears of it
            for _, done in group:
                _tell(done, AssertionError(f"{len(answers)} answers for {len(group)} items"))
            return
        for (_, done), answer in zip(group, answers, strict=True):
            if isinstance(answer, Exception):
                _tell(done, answer)
            elif not done.done():
                done.set_result(answer)


def _tell(done: asyncio.Future[R], error: Exception) -> None:
    if not done.done():
        done.set_exception(error)
        done.exception()  # its caller may have given up: no "never retrieved" warning
