"""Ingest's Kafka handlers: agent replies for the live chat, which ingest delivers over its sockets."""

from __future__ import annotations

from webcare.v1 import replies_pb2

from services.ingest.channels import chat
from services.kit.events import REPLY_EVENTS
from services.kit.runtime import Consumer, Runtime
from services.kit.uow import UnitOfWork


async def on_reply_sent(rt: Runtime, uow: UnitOfWork, event: replies_pb2.ReplySent) -> None:
    """Keep a chat reply for the visitor's sockets (replies on other channels are not ingest's)."""
    await chat.store_reply(rt, uow, event)


CONSUMERS: tuple[Consumer, ...] = (
    Consumer(name="chat-replies", topics=(REPLY_EVENTS,), handlers={replies_pb2.ReplySent: on_reply_sent}),
)
