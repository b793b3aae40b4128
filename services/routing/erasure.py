"""A customer's data at routing: exported on request, and erased on request (GDPR art. 15 and 17).

The export covers what routing holds: the profile with its identities, attributes and notes, and the
conversations linked to it or written by one of its identities, with their routing decisions. What
the other services keep of the customer (ingest: the raw deliveries; classify: the redacted texts;
reply: the answers sent; reporting: message facts and survey comments) is theirs and not part of it.

Erasure deletes the profile, its notes and identities, anonymises its conversations (kept, so
counts and agents' workloads stay right) and removes VIP entries of its identities, all in one
transaction that emits CustomerErased: each other service erases its own data of those identities and
conversations when it consumes the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import delete, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import customers_pb2

from services.kit.errors import NotFound
from services.kit.events import new_event
from services.kit.uow import UnitOfWork
from services.routing.customers import CustomerOut, _spellings, profile
from services.routing.models import (
    CandidateOut,
    Conversation,
    ConversationOut,
    Customer,
    CustomerIdentity,
    CustomerNote,
    Outcome,
    RoutingDecision,
    RoutingDecisionOut,
    VipCustomer,
)

ERASED = "erased"  # what an erased customer's conversations name as their author


class ExportedConversation(ConversationOut):
    """A conversation of the customer with its routing decisions."""

    decisions: list[RoutingDecisionOut] = Field(description="oldest first")


class CustomerExport(BaseModel):
    """Everything routing holds about a customer."""

    customer: CustomerOut
    conversations: list[ExportedConversation]
    scope: str = Field(
        default="routing: the profile, its identities, attributes and notes, and its conversations "
        "with their routing decisions; messages, replies and reports are the other services' data"
    )


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


def _decision_out(decision: RoutingDecision) -> RoutingDecisionOut:
    return RoutingDecisionOut(
        decided_at=decision.decided_at,
        step=decision.step,
        outcome=Outcome(decision.outcome),
        agent_id=decision.agent_id,
        queue=decision.queue,
        reason=decision.reason,
        considered=decision.considered,
        excluded=decision.excluded or {},
        candidates=[CandidateOut.model_validate(c) for c in decision.candidates],
    )


async def _customer(uow: UnitOfWork, tenant_id: str, customer_id: str) -> Customer:
    customer = await uow.session.get(Customer, customer_id)
    if customer is None or customer.tenant_id != tenant_id:
        raise NotFound(f"no customer {customer_id}")
    return customer


async def export(uow: UnitOfWork, *, tenant_id: str, customer_id: str) -> CustomerExport:
    """Everything routing holds about a customer as one document, or NotFound."""
    customer = await _customer(uow, tenant_id, customer_id)
    repo = ErasureRepository(uow.session)
    identities = await _identities(uow, customer)
    conversations = await repo.conversations(tenant_id, customer.id, identities)
    decisions: dict[str, list[RoutingDecisionOut]] = {c.id: [] for c in conversations}
    for decision in await repo.decisions([c.id for c in conversations]):
        decisions[decision.conversation_id].append(_decision_out(decision))
    return CustomerExport(
        customer=await profile(uow, tenant_id=tenant_id, customer_id=customer.id),
        conversations=[
            ExportedConversation.model_validate(
                {**c.model_dump(), "public": c.is_public, "decisions": decisions[c.id]}
            )
            for c in conversations
        ],
    )


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
    """Delete a profile, anonymise its conversations and announce CustomerErased, or NotFound."""
    customer = await _customer(uow, tenant_id, customer_id)
    repo = ErasureRepository(uow.session)
    identities = await _identities(uow, customer)
    conversations = await repo.conversations(tenant_id, customer.id, identities)
    keys = list(dict.fromkeys(c.conversation_key for c in conversations))
    for conversation in conversations:
        _anonymise(conversation)
        uow.session.add(conversation)
    await uow.session.flush()
    await repo.delete_profile(customer, identities)
    fields: dict[str, Any] = {
        "customer_id": customer.id,
        "identities": [
            customers_pb2.Identity(channel=i.channel, external_id=spelling)
            for i in identities
            for spelling in _spellings(i.channel, i.external_id)
        ],
        "conversation_ids": [c.id for c in conversations],
        "conversation_keys": keys,
    }
    event = new_event(customers_pb2.CustomerErased, tenant_id=tenant_id, **fields)
    uow.emit(event, key=customer.id)
    return ErasureAccepted(id=event.event_id, customer_id=customer.id, conversations=len(conversations))
