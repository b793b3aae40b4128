"""Classify's Kafka handlers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from webcare.v1 import messages_pb2

from services.classify import service
from services.kit.events import MESSAGE_RECEIVED
from services.kit.runtime import Consumer, Runtime
from services.kit.uow import UnitOfWork


async def classify_received(
    rt: Runtime, uow: UnitOfWork, events: Sequence[messages_pb2.MessageReceived]
) -> Mapping[str, Any]:
    """Classify a batch of received messages at once (the model scores them in one go)."""
    return await service.classify_batch(uow, rt.state["classifiers"], rt.state["tenants"], events)


async def on_message_received(rt: Runtime, uow: UnitOfWork, event: messages_pb2.MessageReceived) -> None:
    """Announce the classification the batch preparation made and stored."""
    result = uow.prepared[event.event_id]
    if result != service.ALREADY:
        service.announce(uow, event, result)


CONSUMERS = (
    Consumer(
        name="classifier",
        topics=(MESSAGE_RECEIVED,),
        handlers={messages_pb2.MessageReceived: on_message_received},
        prepare={messages_pb2.MessageReceived: classify_received},
    ),
)
