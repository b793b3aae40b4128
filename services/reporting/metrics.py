"""Business metrics for Prometheus, per tenant and channel, counted when the read models change (and
only once their transaction committed); the backlog is measured on a timer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import func
from sqlmodel import col, select

from services.kit.events import now
from services.kit.runtime import Runtime
from services.kit.uow import UnitOfWork
from services.reporting.models import ConversationFact, MessageFact

BACKLOG_SECONDS = 15.0

MESSAGES = Counter(
    "webcare_messages_total",
    "Customer messages, by what classify made of them",
    ["tenant", "channel", "category", "sentiment"],
)
OPENED = Counter("webcare_conversations_opened_total", "Conversations opened", ["tenant", "channel"])
ANSWERED = Counter(
    "webcare_conversations_answered_total",
    "Conversations that got their first response",
    ["tenant", "channel"],
)
FIRST_RESPONSE = Histogram(
    "webcare_first_response_seconds",
    "Time from a conversation's first message to its first response",
    ["tenant", "channel"],
    buckets=(30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200),
)
SLA = Counter(
    "webcare_sla_first_responses_total",
    "First responses by whether they met the conversation's SLA target (met, missed)",
    ["tenant", "channel", "queue", "outcome"],
)
BACKLOG = Gauge(
    "webcare_backlog_conversations", "Open conversations without a first response", ["tenant", "channel"]
)
OLDEST = Gauge(
    "webcare_oldest_waiting_seconds",
    "Age of the oldest open conversation without a first response",
    ["tenant"],
)


def message_classified(uow: UnitOfWork, fact: MessageFact) -> None:
    """Count a message once, when classify's verdict first arrives."""
    labels = (fact.tenant_id, fact.channel, fact.category or "unknown", fact.sentiment or "unknown")
    uow.after_commit(lambda: MESSAGES.labels(*labels).inc())


def conversation_opened(uow: UnitOfWork, fact: ConversationFact) -> None:
    """Count a conversation once, when its opening arrives."""
    labels = (fact.tenant_id, fact.channel or "unknown")
    uow.after_commit(lambda: OPENED.labels(*labels).inc())


def first_response(uow: UnitOfWork, fact: ConversationFact) -> None:
    """Count a conversation's first response, its time and its SLA outcome, once both its opening and
    its first response are known."""
    if fact.opened_at is None or fact.first_response_at is None:
        return
    channel = fact.channel or "unknown"
    wait = max(0.0, (fact.first_response_at - fact.opened_at).total_seconds())
    outcome = None
    if fact.first_response_due_at is not None:
        outcome = "met" if fact.first_response_at <= fact.first_response_due_at else "missed"

    def count() -> None:
        ANSWERED.labels(fact.tenant_id, channel).inc()
        FIRST_RESPONSE.labels(fact.tenant_id, channel).observe(wait)
        if outcome is not None:
            SLA.labels(fact.tenant_id, channel, fact.queue or "default", outcome).inc()

    uow.after_commit(count)


async def measure_backlog(rt: Runtime) -> None:
    """Set the backlog gauges from the read models."""
    query = (
        select(
            ConversationFact.tenant_id,
            ConversationFact.channel,
            func.count(),
            func.min(ConversationFact.opened_at),
        )
        .where(
            col(ConversationFact.opened_at).is_not(None),
            col(ConversationFact.resolved_at).is_(None),
            col(ConversationFact.first_response_at).is_(None),
        )
        .group_by(col(ConversationFact.tenant_id), col(ConversationFact.channel))
    )
    async with rt.unit_of_work() as uow:
        rows = (await uow.session.exec(query)).all()
    moment = now()
    oldest: defaultdict[str, float] = defaultdict(float)
    BACKLOG.clear()
    for tenant, channel, count, first in rows:
        BACKLOG.labels(tenant, channel or "unknown").set(count)
        if first is not None:
            oldest[tenant] = max(oldest[tenant], (moment - first).total_seconds())
    OLDEST.clear()
    for tenant, seconds in oldest.items():
        OLDEST.labels(tenant).set(seconds)


async def _measure(rt: Runtime) -> None:
    while True:
        try:
            await measure_backlog(rt)
        except Exception as exc:  # noqa: BLE001 - a gauge that misses one turn is set on the next
            logging.getLogger(__name__).warning("measuring the backlog failed: %r", exc)
        await asyncio.sleep(BACKLOG_SECONDS)


async def start(rt: Runtime) -> None:
    """Measure the backlog on a timer."""
    rt.state["backlog_task"] = asyncio.create_task(_measure(rt))


async def stop(rt: Runtime) -> None:
    """Stop measuring."""
    task: asyncio.Task[None] | None = rt.state.pop("backlog_task", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
