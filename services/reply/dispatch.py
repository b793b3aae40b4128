"""Durable delivery of replies: each accepted reply is stored before it is sent, sent with its
idempotency key, and retried until the channel takes it or refuses it for good.

A reply is `sending` while one process holds it (`lease_until`); it becomes `sent` (ReplySent),
`queued` again with `next_attempt_at` after a refusal for now (429, 5xx, a timeout: exponential
backoff with full jitter, or the channel's Retry-After), or `failed` (ReplyFailed) after a permanent
refusal or when `reply_retry_for_seconds` have passed. A process that stops while sending leaves the
lease to run out; the dispatcher of any process then sends the reply again with the same key, so a
crash neither loses a reply nor, where the channel honours the key, doubles it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.kit.db import is_transient
from services.kit.events import now
from services.kit.runtime import Runtime
from services.kit.uow import UnitOfWork
from services.reply import quality, receipts
from services.reply.adapters import ChannelAdapter, DeliveryError, Outgoing
from services.reply.config import ReplySettings, reply_settings
from services.reply.events import failed_event, sent_event
from services.reply.models import Reply, ReplyStatus
from services.reply.outcomes import Sent, SentRecorder
from services.reply.policy import policy_of
from services.reply.quota import RateLimiter, rate_limiter
from services.reply.repository import ReplyRepository

log = logging.getLogger(__name__)

RECORD_ATTEMPTS = 4  # tries to write down a send before leaving it to the lease
RECORD_PAUSE_SECONDS = 0.2
POLICY_SECONDS = 10.0  # a changed review sample rate is used after at most this long
TICK_SECONDS = 1.0  # how often the dispatcher looks for replies due, besides being woken


@dataclass(frozen=True)
class Backoff:
    """When to try again: full jitter over an exponential ceiling, or what the channel asked for."""

    base_seconds: float
    max_seconds: float
    rng: Callable[[], float] = random.random

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the `attempt`-th try failed for now."""
        if retry_after is not None and retry_after >= 0:
            return min(retry_after, self.max_seconds * 4)  # the channel knows best, within reason
        ceiling = min(self.max_seconds, self.base_seconds * 2.0 ** max(0, attempt - 1))
        return ceiling / 2 + self.rng() * ceiling / 2


def outgoing(reply: Reply) -> Outgoing:
    """What the channel adapter is given for a reply."""
    return Outgoing(
        reply_id=reply.id,
        tenant_id=reply.tenant_id,
        channel=reply.channel,
        channel_account_id=reply.channel_account_id,
        recipient=reply.recipient,
        in_reply_to=reply.in_reply_to,
        public=reply.is_public,
        text=reply.text,
        idempotency_key=reply.idempotency_key or reply.id,
        attempt=max(1, reply.attempts),
        accepted_at=reply.created_at,
        parts=tuple(reply.parts or ()),
        human_agent_tag=reply.human_agent_tag,
        subject=reply.subject,
        references=tuple(reply.references or ()),
        template_name=reply.template_name,
        template_language=reply.template_language,
        template_parameters=tuple(reply.template_parameters or ()),
    )


def record_outcome(
    uow: UnitOfWork,
    reply: Reply,
    *,
    external_id: str | None,
    error: DeliveryError | None,
    settings: ReplySettings,
    backoff: Backoff,
    at: datetime | None = None,
) -> None:
    """Write down how a try went, and announce a reply sent or failed for good."""
    moment = at or now()
    reply.lease_until = None
    if error is None:
        reply.status, reply.external_id, reply.sent_at = ReplyStatus.sent.value, external_id, moment
        reply.next_attempt_at, reply.failure_reason = None, None
        uow.emit(sent_event(reply), key=reply.conversation_id)
    else:
        retry_at = moment + timedelta(seconds=backoff.delay(reply.attempts, error.retry_after))
        give_up = reply.created_at + timedelta(seconds=settings.reply_retry_for_seconds)
        reply.failure_reason = str(error)
        if error.permanent or retry_at > give_up:
            reply.status, reply.next_attempt_at = ReplyStatus.failed.value, None
            reason = str(error) if error.permanent else f"gave up after {reply.attempts} tries: {error}"
            uow.emit(failed_event(reply, reason=reason, permanent=error.permanent), key=reply.conversation_id)
        else:
            reply.status, reply.next_attempt_at = ReplyStatus.queued.value, retry_at
            log.info(
                "reply %s refused for now (try %d), again at %s: %s",
                reply.id,
                reply.attempts,
                retry_at,
                error,
            )
    uow.session.add(reply)


class Dispatcher:
    """Sends what is due: replies accepted and not yet sent, tries again after a refusal for now,
    and replies whose sender stopped (lease run out)."""

    def __init__(self, rt: Runtime, adapter: ChannelAdapter, settings: ReplySettings | None = None) -> None:
        self.rt = rt
        self.adapter = adapter
        self.settings = settings or reply_settings(rt)
        self.backoff = Backoff(self.settings.reply_retry_base_seconds, self.settings.reply_retry_max_seconds)
        self.limiter = rate_limiter(rt.db.engine, self.settings.reply_rate_per_account)
        self.wake = asyncio.Event()
        self._slots = asyncio.Semaphore(self.settings.reply_concurrency)
        self.rng: Callable[[], float] = random.random  # draws sent replies for quality review
        self._rates: dict[str, tuple[float, float]] = {}  # tenant: (until, review sample rate)
        self.recorder = SentRecorder(rt, sample_rate=self._sample_rate, rng=lambda: self.rng)

    def lease(self, moment: datetime) -> datetime:
        """Until when a process holds a reply it starts sending at `moment`."""
        return moment + timedelta(seconds=self.settings.reply_lease_seconds)

    async def run(self) -> None:
        """Send what is due, every tick or when woken, until cancelled."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=TICK_SECONDS)
            self.wake.clear()
            try:
                await self.pass_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the next tick tries again; nothing is lost
                log.warning("reply dispatch failed, will retry: %r", exc)

    async def pass_once(self, *, at: datetime | None = None) -> int:
        """Claim what is due (as many as may be sent at once) and send it; how many were tried."""
        moment = at or now()
        async with self.rt.unit_of_work() as uow:
            claimed = await ReplyRepository(uow.session).due_for_update(
                at=moment, limit=self.settings.reply_concurrency
            )
            for reply in claimed:
                reply.status, reply.lease_until = ReplyStatus.sending.value, self.lease(moment)
                reply.attempts += 1
                uow.session.add(reply)
        await asyncio.gather(*(self.deliver(reply, at=at) for reply in claimed))
        return len(claimed)

    async def deliver(self, held: Reply, *, at: datetime | None = None) -> Reply:
        """Send a reply this process just claimed (status `sending`, its lease ours), then record the
        outcome (as of `at`, default now); the reply as recorded."""
        message = outgoing(held)
        async with self._slots:
            await self.limiter.acquire(message.channel, message.channel_account_id)
            external_id: str | None = None
            error: DeliveryError | None = None
            try:
                external_id = await self.adapter.send(message)
            except DeliveryError as exc:
                error = exc
            except Exception as exc:  # noqa: BLE001 - an adapter's bug or a network error: try again later
                log.warning("sending reply %s failed unexpectedly: %r", held.id, exc)
                error = DeliveryError(f"could not reach {message.channel}: {exc!r}", permanent=False)
            if error is None and external_id is not None:
                return await self.recorder.record(Sent(held, external_id, at or now()))
            return await self._record(held, external_id=external_id, error=error, at=at)

    async def _record(
        self, held: Reply, *, external_id: str | None, error: DeliveryError | None, at: datetime | None
    ) -> Reply:
        """Write down how the try went. The channel has the reply now: a database that fails for a
        moment is asked again, since an unrecorded send is sent again once the lease runs out."""
        for attempt in range(1, RECORD_ATTEMPTS + 1):
            try:
                async with self.rt.unit_of_work() as uow:
                    reply = await ReplyRepository(uow.session).get(held.id, for_update=True)
                    if reply is None or reply.status != ReplyStatus.sending.value:
                        return reply or held  # another process took over after our lease ran out
                    record_outcome(
                        uow,
                        reply,
                        external_id=external_id,
                        error=error,
                        settings=self.settings,
                        backoff=self.backoff,
                        at=at,
                    )
                    if reply.status == ReplyStatus.sent.value:
                        await receipts.apply_early(uow, reply)
                        rate = await self._sample_rate(uow, reply.tenant_id)
                        quality.maybe_sample(uow, reply, rate, self.rng)
                return reply
            except Exception as exc:
                if attempt == RECORD_ATTEMPTS or not is_transient(exc):
                    raise
                log.warning("recording reply %s failed (try %d), again: %r", held.id, attempt, exc)
                await asyncio.sleep(RECORD_PAUSE_SECONDS * attempt)
        raise AssertionError("unreachable")

    async def send_if_held(self, reply: Reply) -> Reply:
        """Send at once a reply that a request just put into `sending` (held by this process); other
        replies are returned as they are."""
        if reply.status != ReplyStatus.sending.value:
            return reply
        return await self.deliver(reply)

    async def _sample_rate(self, uow: UnitOfWork, tenant_id: str) -> float:
        """The tenant's quality-review sample rate, read at most every POLICY_SECONDS."""
        moment = time.monotonic()
        cached = self._rates.get(tenant_id)
        if cached is None or cached[0] < moment:
            rate = (await policy_of(uow, tenant_id)).review_sample_rate
            cached = self._rates[tenant_id] = (moment + POLICY_SECONDS, rate)
        return cached[1]


def dispatcher(rt: Runtime) -> Dispatcher:
    """The runtime's dispatcher."""
    found = rt.state["dispatcher"]
    assert isinstance(found, Dispatcher)
    return found


async def start(rt: Runtime, adapter: ChannelAdapter) -> None:
    """Start the runtime's dispatcher loop."""
    rt.state["dispatcher"] = worker = Dispatcher(rt, adapter)
    rt.state["dispatch_task"] = asyncio.create_task(worker.run())


async def stop(rt: Runtime) -> None:
    """Stop the dispatcher loop; what it held is sent again by any process once the lease runs out."""
    task: asyncio.Task[None] | None = rt.state.pop("dispatch_task", None)
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


__all__: Sequence[str] = ("Backoff", "Dispatcher", "RateLimiter", "dispatcher", "record_outcome")
