"""Classify's Kafka handlers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from webcare.v1 import customers_pb2, messages_pb2

from services.classify import erasure, service
from services.kit.events import CUSTOMER_EVENTS, MESSAGE_RECEIVED
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


async def on_customer_erased(rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Forget when the erased customer last wrote."""
    await erasure.erase_customer(uow, event)


async def on_messages_erased(
    rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerMessagesErased
) -> None:
    """Erase the texts kept of the erased customer's messages."""
    await erasure.erase_messages(uow, event)


async def on_export_requested(
    rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerExportRequested
) -> None:
    """Begin classify's part of a customer's export."""
    await erasure.export_contacts(uow, event)


async def on_data_exported(rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerDataExported) -> None:
    """Answer ingest's part of an export with the classifications of its messages."""
    await erasure.export_messages(uow, event)


CONSUMERS = (
    Consumer(
        name="classifier",
        topics=(MESSAGE_RECEIVED,),
        handlers={messages_pb2.MessageReceived: on_message_received},
        prepare={messages_pb2.MessageReceived: classify_received},
    ),
    Consumer(
        name="erasure",
        topics=(CUSTOMER_EVENTS,),
        handlers={
            customers_pb2.CustomerErased: on_customer_erased,
            customers_pb2.CustomerMessagesErased: on_messages_erased,
            customers_pb2.CustomerExportRequested: on_export_requested,
            customers_pb2.CustomerDataExported: on_data_exported,
        },
    ),
)
