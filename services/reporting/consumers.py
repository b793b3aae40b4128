"""Reporting's Kafka handlers: every topic into the read models, and customers' erasures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from webcare.v1 import conversations_pb2, customers_pb2, messages_pb2, replies_pb2

from services.kit.events import (
    CONVERSATION_EVENTS,
    CUSTOMER_EVENTS,
    MESSAGE_CLASSIFIED,
    MESSAGE_RECEIVED,
    REPLY_EVENTS,
)
from services.kit.runtime import Consumer, Runtime
from services.kit.uow import UnitOfWork
from services.reporting import erasure, facts


def _handler(fold: Callable[[UnitOfWork, Any], Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    async def handle(rt: Runtime, uow: UnitOfWork, event: Any) -> None:
        await fold(uow, event)

    handle.__doc__ = fold.__doc__
    handle.__name__ = f"on_{fold.__name__}"
    return handle


FOLDS: dict[type[Any], Callable[[UnitOfWork, Any], Awaitable[None]]] = {
    messages_pb2.MessageReceived: facts.message_received,
    messages_pb2.MessageClassified: facts.message_classified,
    conversations_pb2.ConversationOpened: facts.conversation_opened,
    conversations_pb2.ConversationMessageAdded: facts.message_added,
    conversations_pb2.ConversationAssigned: facts.conversation_assigned,
    conversations_pb2.ConversationEscalated: facts.conversation_escalated,
    conversations_pb2.ConversationTransferred: facts.conversation_transferred,
    conversations_pb2.ConversationReopened: facts.conversation_reopened,
    conversations_pb2.ConversationResolved: facts.conversation_resolved,
    conversations_pb2.ConversationFirstResponded: facts.conversation_first_responded,
    replies_pb2.ReplySent: facts.reply_sent,
    replies_pb2.ReplyReviewed: facts.reply_reviewed,
}


async def on_export_requested(
    rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerExportRequested
) -> None:
    """Answer a customer's export request with this service's part."""
    await erasure.export(uow, event)


async def on_customer_erased(rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Erase the customer's authorship, texts and comments from the facts, keeping the counts."""
    await erasure.erase(uow, event)


CONSUMERS = (
    Consumer(
        name="facts",
        topics=(MESSAGE_RECEIVED, MESSAGE_CLASSIFIED, CONVERSATION_EVENTS, REPLY_EVENTS),
        handlers={kind: _handler(fold) for kind, fold in FOLDS.items()},
        prepare_all=facts.load_for,
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
