"""Group commit: what comes while a write is under way is written together next, each caller hears
its own answer, and one item that spoils a group fails alone."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from services.kit.batching import GroupCommit


class Store:
    """A write that takes a moment, records its groups, refuses odd numbers, and fails whole groups
    that hold a 13."""

    def __init__(self) -> None:
        self.groups: list[list[int]] = []

    async def write(self, items: Sequence[int]) -> list[str | Exception]:
        self.groups.append(list(items))
        await asyncio.sleep(0.01)
        if 13 in items:
            raise ConnectionError("the transaction is spoiled")
        return [ValueError(f"{n} is odd") if n % 2 else f"stored {n}" for n in items]


async def test_callers_that_come_meanwhile_are_written_together_in_arrival_order() -> None:
    store = Store()
    group = GroupCommit(store.write, max_batch=3)
    first = asyncio.create_task(group.submit(0))
    await asyncio.sleep(0)  # the first write is under way
    rest = [asyncio.create_task(group.submit(n)) for n in (2, 4, 6, 8)]
    assert await asyncio.gather(first, *rest) == ["stored 0", "stored 2", "stored 4", "stored 6", "stored 8"]
    assert store.groups == [[0], [2, 4, 6], [8]]  # at most max_batch at once


async def test_an_item_refused_alone_leaves_the_others_written() -> None:
    store = Store()
    group = GroupCommit(store.write)
    answers = await asyncio.gather(*(group.submit(n) for n in (2, 3, 4)), return_exceptions=True)
    assert answers[0] == "stored 2" and answers[2] == "stored 4"
    assert isinstance(answers[1], ValueError) and str(answers[1]) == "3 is odd"
    assert store.groups == [[2, 3, 4]]


async def test_a_spoiled_group_is_written_item_by_item_so_only_the_culprit_fails() -> None:
    store = Store()
    group = GroupCommit(store.write)
    answers = await asyncio.gather(*(group.submit(n) for n in (2, 13, 4)), return_exceptions=True)
    assert answers[0] == "stored 2" and answers[2] == "stored 4"
    assert isinstance(answers[1], ConnectionError)
    assert store.groups == [[2, 13, 4], [2], [13], [4]]


async def test_a_caller_that_gives_up_does_not_undo_the_others_write() -> None:
    store = Store()
    group = GroupCommit(store.write)
    gone = asyncio.create_task(group.submit(2))
    stays = asyncio.create_task(group.submit(4))
    await asyncio.sleep(0)
    gone.cancel()
    assert await stays == "stored 4"
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert store.groups == [[2, 4]]  # 2 was written all the same


async def test_a_write_that_answers_wrongly_fails_its_callers_instead_of_leaving_them_waiting() -> None:
    async def short(items: Sequence[int]) -> list[str | Exception]:
        return ["only one"]

    group = GroupCommit(short)
    answers = await asyncio.wait_for(
        asyncio.gather(group.submit(1), group.submit(2), return_exceptions=True), timeout=1
    )
    assert all(isinstance(answer, AssertionError) for answer in answers)


async def test_with_a_concurrency_of_two_a_group_is_written_while_the_one_before_finishes() -> None:
    in_flight = peak = 0
    groups: list[list[int]] = []

    async def write(items: Sequence[int]) -> list[int | Exception]:
        nonlocal in_flight, peak
        groups.append(list(items))
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        return list(items)

    group = GroupCommit(write, max_batch=2, concurrency=2)
    first = [asyncio.create_task(group.submit(n)) for n in (1, 2)]
    await asyncio.sleep(0.005)  # the first group is under way
    later = [asyncio.create_task(group.submit(n)) for n in (3, 4, 5, 6)]
    assert await asyncio.gather(*first, *later) == [1, 2, 3, 4, 5, 6]
    assert groups == [[1, 2], [3, 4], [5, 6]]
    assert peak == 2  # the second group did not wait for the first; the third waited for a slot
