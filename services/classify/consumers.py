"""Classify's Kafka handlers."""

from __future__ import annotations

from webcare.v1 import messages_pb2

from services.classify import service
from services.classify.classifier import Classifier
from services.kit.events import MESSAGE_RECEIVED
from services.kit.runtime import Consumer, Runtime
from services.kit.uow import UnitOfWork


async def on_message_received(rt: Runtime, uow: UnitOfWork, event: messages_pb2.MessageReceived) -> None:
    """Classify a received message."""
    classifier: Classifier = rt.state["classifier"]
    await service.classify_message(uow, classifier, event)


CONSUMERS = (
    Consumer(
        name="classifier",
        topics=(MESSAGE_RECEIVED,),
        handlers={messages_pb2.MessageReceived: on_message_received},
    ),
)
