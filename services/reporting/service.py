"""Reporting's logic: fold events into read models, compute the KPIs."""

from __future__ import annotations

import statistics
from datetime import datetime

from webcare.v1 import conversations_pb2, messages_pb2, replies_pb2

from services.kit.events import to_datetime
from services.kit.uow import UnitOfWork
from services.reporting.models import MessageFact, Seconds, Summary
from services.reporting.repository import FactRepository


async def message_received(uow: UnitOfWork, event: messages_pb2.MessageReceived) -> None:
    """Count a received message once."""
    repo = FactRepository(uow.session)
    if await repo.message(event.message_id) is None:
        repo.save(
            MessageFact(
                message_id=event.message_id,
                tenant_id=event.tenant_id,
                channel=event.channel,
                received_at=to_datetime(event.occurred_at),
            )
        )


async def conversation_opened(uow: UnitOfWork, event: conversations_pb2.ConversationOpened) -> None:
    """Start a conversation's clock at its first message."""
    repo = FactRepository(uow.session)
    fact = await repo.conversation(event.tenant_id, event.conversation_id)
    fact.channel = event.channel
    fact.opened_at = to_datetime(event.first_message_at)
    repo.save(fact)


async def conversation_resolved(uow: UnitOfWork, event: conversations_pb2.ConversationResolved) -> None:
    """Note when a conversation was resolved."""
    repo = FactRepository(uow.session)
    fact = await repo.conversation(event.tenant_id, event.conversation_id)
    fact.resolved_at = fact.resolved_at or to_datetime(event.occurred_at)
    repo.save(fact)


async def reply_sent(uow: UnitOfWork, event: replies_pb2.ReplySent) -> None:
    """Stop a conversation's first-response clock at its first reply."""
    repo = FactRepository(uow.session)
    fact = await repo.conversation(event.tenant_id, event.conversation_id)
    sent = to_datetime(event.occurred_at)
    if fact.first_response_at is None or sent < fact.first_response_at:
        fact.first_response_at = sent
    repo.save(fact)


async def summary(
    uow: UnitOfWork, *, tenant_id: str, since: datetime | None = None, until: datetime | None = None
) -> Summary:
    """Volume, response rate and first-response time of a tenant in a period."""
    repo = FactRepository(uow.session)
    messages = await repo.count_messages(tenant_id, since, until)
    conversations = await repo.conversations(tenant_id, since, until)
    waits = [max(0.0, (first - opened).total_seconds()) for opened, first, _ in conversations if first]
    opened = len(conversations)
    return Summary(
        messages_received=messages,
        conversations_opened=opened,
        conversations_answered=len(waits),
        conversations_resolved=sum(1 for *_, resolved in conversations if resolved),
        response_rate=round(len(waits) / opened, 4) if opened else None,
        first_response_seconds=Seconds(median=_median(waits), p90=_p90(waits)),
    )


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=10, method="inclusive")[-1], 3)
