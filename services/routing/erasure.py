"""A customer's data: exported on request, and erased on request (GDPR art. 15 and 17).

Routing holds the profile with its identities, attributes and notes, and the conversations linked to
it or written by one of its identities, with their routing decisions. What the other services keep
of the customer (ingest: messages and raw deliveries; classify: the redacted texts; reply: the
answers sent and the webhooks about them; reporting: message facts and survey answers) is theirs: an
export request (CustomerExportRequested) asks each of them for its part, which comes back as
CustomerDataExported events and is kept here until `EXPORT_KEEP_DAYS` have passed. The export
document is routing's part, read when asked, with the other services' parts of the newest request.

Erasure deletes the profile, its notes and identities, anonymises its conversations (kept, so
counts and agents' workloads stay right) and removes VIP entries of its identities, all in one
transaction that emits CustomerErased: each other service erases its own data of those identities and
conversations when it consumes the event.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import delete, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import customers_pb2

from services.kit.errors import NotFound
from services.kit.events import new_event, now
from services.kit.exports import Document, merge
from services.kit.ids import new_id
from services.kit.uow import UnitOfWork
from services.routing.customers import CustomerOut, _spellings, profile
from services.routing.models import (
    Conversation,
    ConversationOut,
    Customer,
    CustomerExportPart,
    CustomerExportRow,
    CustomerIdentity,
    CustomerNote,
    RoutingDecision,
    RoutingDecisionOut,
    VipCustomer,
    decision_out,
)

if TYPE_CHECKING:
    from services.kit.runtime import Runtime

log = logging.getLogger(__name__)

ERASED = "erased"  # what an erased customer's conversations name as their author
# The services that answer an export request with their part.
EXPORT_SERVICES = ("ingest", "classify", "reply", "reporting")
EXPORT_KEEP_DAYS = 30  # the collected parts hold personal data: kept as long as needed to fetch them


class ExportedConversation(ConversationOut):
    """A conversation of the customer with its routing decisions."""

    decisions: list[RoutingDecisionOut] = Field(description="oldest first")


class ExportCollection(BaseModel):
    """How far the other services have answered the newest export request."""

    id: str | None = Field(description="the newest export request's id; null when none was made")
    requested_at: datetime | None
    status: Literal["none", "collecting", "complete"]
    waiting_for: list[str] = Field(description="the services whose part has not fully arrived")


class CustomerExport(BaseModel):
    """Everything held about a customer: routing's part as of now, and the other services' parts as
    they answered the newest export request (`POST /v1/customers/{id}/export`)."""

    customer: CustomerOut
    conversations: list[ExportedConversation]
    services: dict[str, Document] = Field(
        default_factory=dict,
        description="per service (ingest, classify, reply, reporting) its records by kind, for the "
        "services whose part has fully arrived",
    )
    collection: ExportCollection
    scope: str = Field(
        default="routing: the profile, its identities, attributes and notes, and its conversations "
        "with their routing decisions, as of now; the other services: what they held when they "
        "answered the export request named in `collection`"
    )


class ExportRequested(BaseModel):
    """The answer to an export request."""

    id: str
    customer_id: str
    requested_at: datetime
    waiting_for: list[str]


class ErasureAccepted(BaseModel):
    """The answer to an erasure request: the id of the CustomerErased event."""

    id: str
    customer_id: str
    conversations: int


class ErasureRepository:
    """The queries of export and erasure."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def conversations(
        self, tenant_id: str, customer_id: str, identities: Sequence[CustomerIdentity]
    ) -> Sequence[Conversation]:
        """The profile's conversations, and those its identities wrote that are linked to no one."""
        authored = [
            (col(Conversation.channel) == i.channel)
            & col(Conversation.customer_id).in_(_spellings(i.channel, i.external_id))
            for i in identities
        ]
        query = (
            select(Conversation)
            .where(
                col(Conversation.tenant_id) == tenant_id,
                or_(col(Conversation.profile_id) == customer_id, *authored),
            )
            .order_by(col(Conversation.opened_at), col(Conversation.id))
        )
        return (await self.session.exec(query)).all()

    async def decisions(self, conversation_ids: Sequence[str]) -> Sequence[RoutingDecision]:
        """The routing decisions of these conversations, oldest first."""
        if not conversation_ids:
            return []
        query = (
            select(RoutingDecision)
            .where(col(RoutingDecision.conversation_id).in_(conversation_ids))
            .order_by(col(RoutingDecision.decided_at), col(RoutingDecision.id))
        )
        return (await self.session.exec(query)).all()

    async def newest_export(self, tenant_id: str, customer_id: str) -> CustomerExportRow | None:
        """The customer's newest export request."""
        query = (
            select(CustomerExportRow)
            .where(
                col(CustomerExportRow.tenant_id) == tenant_id,
                col(CustomerExportRow.customer_id) == customer_id,
            )
            .order_by(col(CustomerExportRow.requested_at).desc(), col(CustomerExportRow.id).desc())
            .limit(1)
        )
        return (await self.session.exec(query)).first()

    async def parts(self, export_id: str) -> Sequence[CustomerExportPart]:
        """The parts that arrived for an export, by service and in order."""
        query = (
            select(CustomerExportPart)
            .where(col(CustomerExportPart.export_id) == export_id)
            .order_by(col(CustomerExportPart.service), col(CustomerExportPart.sequence))
        )
        return (await self.session.exec(query)).all()

    async def export_ids(self, tenant_id: str, customer_id: str) -> list[str]:
        """The ids of a customer's export requests."""
        query = select(col(CustomerExportRow.id)).where(
            col(CustomerExportRow.tenant_id) == tenant_id, col(CustomerExportRow.customer_id) == customer_id
        )
        return list((await self.session.exec(query)).all())

    async def stale_export_ids(self, before: datetime) -> list[str]:
        """The ids of the export requests made before `before`, of every tenant."""
        query = select(col(CustomerExportRow.id)).where(col(CustomerExportRow.requested_at) < before)
        return list((await self.session.exec(query)).all())

    async def delete_exports(self, ids: Sequence[str]) -> None:
        """Delete these export requests with their parts."""
        if ids:
            conn = await self.session.connection()
            await conn.execute(delete(CustomerExportPart).where(col(CustomerExportPart.export_id).in_(ids)))
            await conn.execute(delete(CustomerExportRow).where(col(CustomerExportRow.id).in_(ids)))

    async def delete_profile(self, customer: Customer, identities: Sequence[CustomerIdentity]) -> None:
        """Delete a profile with its notes and identities, and the VIP entries of those identities."""
        conn = await self.session.connection()
        await conn.execute(delete(CustomerNote).where(col(CustomerNote.customer_id) == customer.id))
        await conn.execute(
            delete(CustomerIdentity).where(
                col(CustomerIdentity.tenant_id) == customer.tenant_id,
                col(CustomerIdentity.customer_id) == customer.id,
            )
        )
        for identity in identities:
            await conn.execute(
                delete(VipCustomer).where(
                    col(VipCustomer.tenant_id) == customer.tenant_id,
                    col(VipCustomer.channel) == identity.channel,
                    col(VipCustomer.customer_id).in_(_spellings(identity.channel, identity.external_id)),
                )
            )
        await conn.execute(delete(Customer).where(col(Customer.id) == customer.id))


async def _customer(uow: UnitOfWork, tenant_id: str, customer_id: str) -> Customer:
    customer = await uow.session.get(Customer, customer_id)
    if customer is None or customer.tenant_id != tenant_id:
        raise NotFound(f"no customer {customer_id}")
    return customer


def _collected(
    request: CustomerExportRow | None, parts: Sequence[CustomerExportPart]
) -> tuple[dict[str, Document], ExportCollection]:
    """The services' parts whose every event arrived, and how far the collection is."""
    if request is None:
        return {}, ExportCollection(id=None, requested_at=None, status="none", waiting_for=[])
    by_service: dict[str, list[CustomerExportPart]] = {}
    for part in parts:
        by_service.setdefault(part.service, []).append(part)
    complete: dict[str, Document] = {}
    for service, events in by_service.items():
        ends = [e.sequence for e in events if e.last]
        if ends and len(events) == ends[0] + 1:  # numbered from 0 without gaps up to the last
            complete[service] = merge(e.document for e in events)
    waiting = [service for service in EXPORT_SERVICES if service not in complete]
    status: Literal["collecting", "complete"] = "collecting" if waiting else "complete"
    collection = ExportCollection(
        id=request.id, requested_at=request.requested_at, status=status, waiting_for=waiting
    )
    return complete, collection


async def export(uow: UnitOfWork, *, tenant_id: str, customer_id: str) -> CustomerExport:
    """Everything held about a customer as one document, or NotFound: routing's part as of now and
    the other services' parts of the newest export request."""
    customer = await _customer(uow, tenant_id, customer_id)
    repo = ErasureRepository(uow.session)
    identities = await _identities(uow, customer)
    conversations = await repo.conversations(tenant_id, customer.id, identities)
    decisions: dict[str, list[RoutingDecisionOut]] = {c.id: [] for c in conversations}
    for decision in await repo.decisions([c.id for c in conversations]):
        decisions[decision.conversation_id].append(decision_out(decision))
    request = await repo.newest_export(tenant_id, customer.id)
    services, collection = _collected(request, await repo.parts(request.id) if request else [])
    return CustomerExport(
        customer=await profile(uow, tenant_id=tenant_id, customer_id=customer.id),
        conversations=[
            ExportedConversation.model_validate(
                {**c.model_dump(), "public": c.is_public, "decisions": decisions[c.id]}
            )
            for c in conversations
        ],
        services=services,
        collection=collection,
    )


def _subject_fields(
    customer: Customer, identities: Sequence[CustomerIdentity], conversations: Sequence[Conversation]
) -> dict[str, Any]:
    """Who an export or erasure is about, as the events name it: the identities in every spelling
    the channels use, the conversations and their keys."""
    return {
        "customer_id": customer.id,
        "identities": [
            customers_pb2.Identity(channel=i.channel, external_id=spelling)
            for i in identities
            for spelling in _spellings(i.channel, i.external_id)
        ],
        "conversation_ids": [c.id for c in conversations],
        "conversation_keys": list(dict.fromkeys(c.conversation_key for c in conversations)),
    }


async def request_export(
    uow: UnitOfWork, *, tenant_id: str, customer_id: str, requested_by: str
) -> ExportRequested:
    """Ask every service for its part of the customer's data (CustomerExportRequested), or NotFound."""
    customer = await _customer(uow, tenant_id, customer_id)
    identities = await _identities(uow, customer)
    conversations = await ErasureRepository(uow.session).conversations(tenant_id, customer.id, identities)
    row = CustomerExportRow(
        id=new_id(),
        tenant_id=tenant_id,
        customer_id=customer.id,
        requested_by=requested_by,
        requested_at=now(),
    )
    uow.session.add(row)
    fields = _subject_fields(customer, identities, conversations)
    uow.emit(
        new_event(customers_pb2.CustomerExportRequested, tenant_id=tenant_id, export_id=row.id, **fields),
        key=customer.id,
    )
    return ExportRequested(
        id=row.id, customer_id=customer.id, requested_at=row.requested_at, waiting_for=list(EXPORT_SERVICES)
    )


async def record_part(uow: UnitOfWork, event: customers_pb2.CustomerDataExported) -> None:
    """Keep one event of a service's part of an export. A part of an export that is gone (the
    customer was erased, or its time was up) is not kept: it would hold personal data nobody asked
    for any more."""
    request = await uow.session.get(CustomerExportRow, event.export_id)
    if request is None or request.tenant_id != event.tenant_id:
        log.info("export %s is gone; its part from %s is not kept", event.export_id, event.service)
        return
    if await uow.session.get(CustomerExportPart, (event.export_id, event.service, event.sequence)):
        return
    uow.session.add(
        CustomerExportPart(
            export_id=event.export_id,
            service=event.service,
            sequence=event.sequence,
            last=event.last,
            document=event.document,
            received_at=now(),
        )
    )


async def prune_exports(rt: Runtime, moment: datetime) -> int:
    """Delete the export requests and their parts older than `EXPORT_KEEP_DAYS`."""
    async with rt.unit_of_work() as uow:
        repo = ErasureRepository(uow.session)
        ids = await repo.stale_export_ids(moment - timedelta(days=EXPORT_KEEP_DAYS))
        await repo.delete_exports(ids)
    return len(ids)


async def _identities(uow: UnitOfWork, customer: Customer) -> Sequence[CustomerIdentity]:
    query = select(CustomerIdentity).where(
        col(CustomerIdentity.tenant_id) == customer.tenant_id,
        col(CustomerIdentity.customer_id) == customer.id,
    )
    return (await uow.session.exec(query)).all()


def _anonymise(conversation: Conversation) -> None:
    conversation.customer = {}
    conversation.customer_id = ERASED
    conversation.conversation_key = f"{ERASED}:{conversation.id}"
    conversation.profile_id = None
    conversation.vip = False


async def erase(uow: UnitOfWork, *, tenant_id: str, customer_id: str) -> ErasureAccepted:
    """Delete a profile and its collected exports, anonymise its conversations and announce
    CustomerErased, or NotFound."""
    customer = await _customer(uow, tenant_id, customer_id)
    repo = ErasureRepository(uow.session)
    identities = await _identities(uow, customer)
    conversations = await repo.conversations(tenant_id, customer.id, identities)
    fields = _subject_fields(customer, identities, conversations)
    for conversation in conversations:
        _anonymise(conversation)
        uow.session.add(conversation)
    await uow.session.flush()
    await repo.delete_exports(await repo.export_ids(tenant_id, customer.id))
    await repo.delete_profile(customer, identities)
    event = new_event(customers_pb2.CustomerErased, tenant_id=tenant_id, **fields)
    uow.emit(event, key=customer.id)
    return ErasureAccepted(id=event.event_id, customer_id=customer.id, conversations=len(conversations))
