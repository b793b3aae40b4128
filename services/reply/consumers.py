"""Reply's Kafka handlers."""

from __future__ import annotations

from typing import Any

from webcare.v1 import conversations_pb2, customers_pb2, messages_pb2, replies_pb2

from services.kit.events import (
    CONVERSATION_EVENTS,
    CUSTOMER_EVENTS,
    FEEDBACK_EVENTS,
    MESSAGE_CLASSIFIED,
    REPLY_EVENTS,
)
from services.kit.runtime import Consumer, Runtime
from services.kit.uow import UnitOfWork
from services.reply import erasure, receipts, service, webhooks


async def on_opened(rt: Runtime, uow: UnitOfWork, event: conversations_pb2.ConversationOpened) -> None:
    """Track a new conversation."""
    await service.conversation_opened(uow, event)


async def on_message_added(
    rt: Runtime, uow: UnitOfWork, event: conversations_pb2.ConversationMessageAdded
) -> None:
    """Track the customer's latest message."""
    await service.message_added(uow, event)


async def on_assigned(rt: Runtime, uow: UnitOfWork, event: conversations_pb2.ConversationAssigned) -> None:
    """Track who holds a conversation."""
    await service.conversation_assigned(uow, event)


async def on_resolved(rt: Runtime, uow: UnitOfWork, event: conversations_pb2.ConversationResolved) -> None:
    """Track a closed conversation."""
    await service.conversation_resolved(uow, event)


async def on_transferred(
    rt: Runtime, uow: UnitOfWork, event: conversations_pb2.ConversationTransferred
) -> None:
    """Track a conversation handed on."""
    await service.conversation_transferred(uow, event)


async def on_reopened(rt: Runtime, uow: UnitOfWork, event: conversations_pb2.ConversationReopened) -> None:
    """Track a conversation opened again."""
    await service.conversation_reopened(uow, event)


async def on_receipt(rt: Runtime, uow: UnitOfWork, event: replies_pb2.DeliveryReceipt) -> None:
    """A channel's delivery receipt for a reply."""
    await receipts.take(uow, event)


async def on_webhook_event(rt: Runtime, uow: UnitOfWork, event: Any) -> None:
    """Queue the event for the tenant's webhook subscriptions to its type."""
    await webhooks.fan_out(uow, event)


async def on_export_requested(
    rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerExportRequested
) -> None:
    """Answer a customer's export request with this service's part."""
    await erasure.export(uow, event)


async def on_customer_erased(rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Erase what reply keeps of the customer's conversations."""
    await erasure.erase(uow, event)


CONSUMERS = (
    Consumer(
        name="conversations",
        topics=(CONVERSATION_EVENTS,),
        handlers={
            conversations_pb2.ConversationOpened: on_opened,
            conversations_pb2.ConversationMessageAdded: on_message_added,
            conversations_pb2.ConversationAssigned: on_assigned,
            conversations_pb2.ConversationResolved: on_resolved,
            conversations_pb2.ConversationTransferred: on_transferred,
            conversations_pb2.ConversationReopened: on_reopened,
        },
    ),
    Consumer(
        name="receipts",
        topics=(REPLY_EVENTS,),
        handlers={replies_pb2.DeliveryReceipt: on_receipt},
    ),
    Consumer(
        name="webhooks",
        topics=(CONVERSATION_EVENTS, REPLY_EVENTS, MESSAGE_CLASSIFIED, FEEDBACK_EVENTS),
        handlers={kind: on_webhook_event for kind in (*webhooks.TYPE_OF, messages_pb2.MessageClassified)},
        prepare_all=webhooks.load_subscriptions,
    ),
    Consumer(
        name="erasure",
        topics=(CUSTOMER_EVENTS,),
        handlers={
            customers_pb2.CustomerErased: on_customer_erased,
            customers_pb2.CustomerExportRequested: on_export_requested,
        },
    ),
)
