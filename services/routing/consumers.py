"""Routing's Kafka handlers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from webcare.v1 import customers_pb2, messages_pb2, replies_pb2

from services.kit.events import CUSTOMER_EVENTS, MESSAGE_CLASSIFIED, REPLY_EVENTS
from services.kit.runtime import Consumer, Runtime
from services.kit.uow import UnitOfWork
from services.routing import crm, erasure, service
from services.routing.config import routing_settings


async def look_up_authors(
    rt: Runtime, uow: UnitOfWork, events: Sequence[messages_pb2.MessageClassified]
) -> Mapping[str, Any]:
    """Ask the tenants' CRMs about the authors of the batch's new conversations, before any handler
    of the batch takes routing's locks."""
    return await crm.look_up_authors(uow, events, lookups=crm.lookups_of(rt), box=crm.box_of(rt))


async def on_message_classified(rt: Runtime, uow: UnitOfWork, event: messages_pb2.MessageClassified) -> None:
    """Open, extend or reopen a conversation, then route."""
    within = timedelta(hours=routing_settings(rt).reopen_within_hours)
    await service.take_message(uow, event, reopen_within=within)


async def on_reply_sent(rt: Runtime, uow: UnitOfWork, event: replies_pb2.ReplySent) -> None:
    """Note the conversation's first answer."""
    await service.record_reply(uow, event)


async def on_data_exported(rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerDataExported) -> None:
    """Keep a service's part of a customer's export."""
    await erasure.record_part(uow, event)


CONSUMERS = (
    Consumer(
        name="router",
        topics=(MESSAGE_CLASSIFIED, REPLY_EVENTS),
        handlers={
            messages_pb2.MessageClassified: on_message_classified,
            replies_pb2.ReplySent: on_reply_sent,
        },
        prepare={messages_pb2.MessageClassified: look_up_authors},
    ),
    Consumer(
        name="exports",
        topics=(CUSTOMER_EVENTS,),
        handlers={customers_pb2.CustomerDataExported: on_data_exported},
    ),
)
