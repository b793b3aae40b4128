"""Reporting's Kafka handlers: every topic into the read models."""

from __future__ import annotations

from webcare.v1 import conversations_pb2, messages_pb2, replies_pb2

from services.kit.events import CONVERSATION_EVENTS, MESSAGE_RECEIVED, REPLY_EVENTS
from services.kit.runtime import Consumer, Runtime
from services.kit.uow import UnitOfWork
from services.reporting import service


async def on_received(rt: Runtime, uow: UnitOfWork, event: messages_pb2.MessageReceived) -> None:
    """Count a message."""
    await service.message_received(uow, event)


async def on_opened(rt: Runtime, uow: UnitOfWork, event: conversations_pb2.ConversationOpened) -> None:
    """Count a conversation."""
    await service.conversation_opened(uow, event)


async def on_resolved(rt: Runtime, uow: UnitOfWork, event: conversations_pb2.ConversationResolved) -> None:
    """Count a resolution."""
    await service.conversation_resolved(uow, event)


async def on_reply_sent(rt: Runtime, uow: UnitOfWork, event: replies_pb2.ReplySent) -> None:
    """Count an answer."""
    await service.reply_sent(uow, event)


CONSUMERS = (
    Consumer(
        name="facts",
        topics=(MESSAGE_RECEIVED, CONVERSATION_EVENTS, REPLY_EVENTS),
        handlers={
            messages_pb2.MessageReceived: on_received,
            conversations_pb2.ConversationOpened: on_opened,
            conversations_pb2.ConversationResolved: on_resolved,
            replies_pb2.ReplySent: on_reply_sent,
        },
    ),
)
