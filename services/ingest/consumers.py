"""Ingest's Kafka handlers: agent replies for the live chat, which ingest delivers over its sockets, and
customers' erasures."""

from __future__ import annotations

from webcare.v1 import customers_pb2, replies_pb2

from services.ingest import erasure
from services.ingest.channels import chat
from services.kit.events import CUSTOMER_EVENTS, REPLY_EVENTS
from services.kit.runtime import Consumer, Runtime
from services.kit.uow import UnitOfWork


async def on_reply_sent(rt: Runtime, uow: UnitOfWork, event: replies_pb2.ReplySent) -> None:
    """Keep a chat reply for the visitor's sockets (replies on other channels are not ingest's)."""
    await chat.store_reply(rt, uow, event)


async def on_export_requested(
    rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerExportRequested
) -> None:
    """Answer a customer's export request with this service's part."""
    await erasure.export(uow, event)


async def on_customer_erased(rt: Runtime, uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Erase what the customer sent and announce their messages' ids."""
    await erasure.erase(uow, event)


CONSUMERS: tuple[Consumer, ...] = (
    Consumer(name="chat-replies", topics=(REPLY_EVENTS,), handlers={replies_pb2.ReplySent: on_reply_sent}),
    Consumer(
        name="erasure",
        topics=(CUSTOMER_EVENTS,),
        handlers={
            customers_pb2.CustomerErased: on_customer_erased,
            customers_pb2.CustomerExportRequested: on_export_requested,
        },
    ),
)
