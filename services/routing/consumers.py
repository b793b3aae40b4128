"""Routing's Kafka handlers."""

from __future__ import annotations

from webcare.v1 import messages_pb2, replies_pb2

from services.kit.events import MESSAGE_CLASSIFIED, REPLY_EVENTS
from services.kit.runtime import Consumer, Runtime
from services.kit.uow import UnitOfWork
from services.routing import service


async def on_message_classified(rt: Runtime, uow: UnitOfWork, event: messages_pb2.MessageClassified) -> None:
    """Open or extend a conversation, then route."""
    await service.take_message(uow, event)


async def on_reply_sent(rt: Runtime, uow: UnitOfWork, event: replies_pb2.ReplySent) -> None:
    """Note the conversation's first answer."""
    await service.record_reply(uow, event)


CONSUMERS = (
    Consumer(
        name="router",
        topics=(MESSAGE_CLASSIFIED, REPLY_EVENTS),
        handlers={
            messages_pb2.MessageClassified: on_message_classified,
            replies_pb2.ReplySent: on_reply_sent,
        },
    ),
)
