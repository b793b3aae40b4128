"""Kill classify with SIGKILL in the middle of a stream of messages: nothing is lost, nothing doubled."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx

from tests.e2e import flows
from tests.e2e.harness import Distributed, holds_for, wait_for

BURST = 24  # messages posted at once around the kill, so that classify dies with work in hand
DOWN_POSTS = 10  # messages posted while classify is dead ...
STARTING_POSTS = 10  # ... while it starts again ...
AFTER_POSTS = 5  # ... and once it is ready again
PAUSE_SECONDS = 0.2
RECOVERY_SECONDS = 45.0  # covers the consumer group noticing the dead member (session timeout)


class Poster(threading.Thread):
    """Posts one message after another until stopped, each with its own conversation key."""

    def __init__(self, stack: Distributed) -> None:
        super().__init__(name="poster", daemon=True)
        self.client = stack.client()
        self.statuses: list[int] = []
        self.classify_down = threading.Event()
        self.posted_while_down: list[int] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._next = 0

    def run(self) -> None:
        """Post a message every PAUSE_SECONDS until `stopping` is set."""
        while not self.stopping.is_set():
            self.post_one()
            self.stopping.wait(PAUSE_SECONDS)

    def post_one(self) -> None:
        """Post the next message (from any thread) and note the answer."""
        with self._lock:
            number, self._next = self._next, self._next + 1
        down = self.classify_down.is_set()
        try:
            status = flows.post_message(
                self.client,
                author=f"customer-{number}",
                text=flows.CUSTOMER_TEXTS[number % len(flows.CUSTOMER_TEXTS)][1],
                external_id=f"crash-{number}",
                conversation_key=f"crash-{number}",
            ).status_code
        except httpx.TransportError:
            status = 0  # no answer at all: the test fails on it below
        with self._lock:
            if down and self.classify_down.is_set():
                self.posted_while_down.append(number)
            self.statuses.append(status)

    @contextmanager
    def burst(self, count: int) -> Iterator[None]:
        """Post `count` messages at once; the block runs once half of them are accepted."""
        posted = len(self.statuses)
        with ThreadPoolExecutor(max_workers=count) as pool:
            for _ in range(count):
                pool.submit(self.post_one)
            self.wait_posted(posted + count // 2)
            yield

    def wait_posted(self, count: int) -> None:
        """Wait until `count` messages have been posted."""
        wait_for(lambda: len(self.statuses), until=lambda n: n >= count, timeout=30, what=f"{count} posts")


def test_every_accepted_message_is_counted_once_across_a_classify_crash(
    distributed_stack: Distributed,
) -> None:
    """Messages keep being accepted while classify is dead; after its restart every accepted message
    is in the report exactly once and opened exactly one conversation holding exactly one message.

    Lost classify output would leave conversations unopened; doubled output (a message classified
    twice under two event ids) would add a second message to a conversation.
    """
    admin = distributed_stack.client()
    poster = Poster(distributed_stack)
    poster.start()
    try:
        # Classify is demonstrably at work when it dies.
        wait_for(
            lambda: flows.summary(admin)["conversations_opened"],
            until=lambda n: n >= 3,
            timeout=30,
            what="classify to have classified the first messages",
        )
        with poster.burst(BURST):
            distributed_stack.services["classify"].kill()
            poster.classify_down.set()
        at_kill = len(poster.statuses)
        print(f"classify killed: {at_kill} accepted, {flows.summary(admin)['conversations_opened']} opened")
        poster.wait_posted(at_kill + DOWN_POSTS)
        poster.classify_down.clear()
        distributed_stack.start("classify")
        poster.wait_posted(len(poster.statuses) + STARTING_POSTS)
        distributed_stack.wait_ready("classify")
        poster.wait_posted(len(poster.statuses) + AFTER_POSTS)
    finally:
        poster.stopping.set()
        poster.join(timeout=30)
    assert not poster.is_alive()

    accepted = len(poster.statuses)
    assert poster.statuses == [202] * accepted, poster.statuses  # ingest does not depend on classify
    assert len(poster.posted_while_down) >= DOWN_POSTS - 1, poster.posted_while_down
    expected = {"messages_received": accepted, "conversations_opened": accepted}
    started = time.monotonic()
    wait_for(
        lambda: flows.counts(flows.summary(admin)),
        until=lambda c: {k: c[k] for k in expected} == expected,
        timeout=RECOVERY_SECONDS,
        what=f"all {accepted} accepted messages to reach the report",
    )
    print(f"{accepted} messages; report complete {time.monotonic() - started:.1f}s after the last post")

    opened = flows.conversations(admin)
    assert sorted(c["conversation_key"] for c in opened) == sorted(f"crash-{n}" for n in range(accepted))
    assert [c for c in opened if c["message_count"] != 1] == []
    # Late duplicates (redelivered records, a re-sent outbox) would show up now; nothing may change.
    holds_for(
        lambda: (flows.counts(flows.summary(admin)), len(flows.conversations(admin))),
        check=lambda value: (
            value[0]["conversations_opened"] == value[1] == accepted
            and value[0]["messages_received"] == accepted
        ),
        seconds=3,
        what="exactly one conversation and one received message per accepted message",
    )
    assert [c for c in flows.conversations(admin) if c["message_count"] != 1] == []
