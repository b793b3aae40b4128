"""Conversations changing hands: transfers to an agent or back to the queue, and reopenings."""

from __future__ import annotations

from collections import Counter
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from webcare.v1 import conversations_pb2

from services.kit.auth import Principal, Role
from services.kit.errors import Conflict, NotFound, Unprocessable
from services.kit.events import new_event, now
from services.kit.uow import UnitOfWork
from services.routing.assignment import capacity_for, used_for
from services.routing.models import Conversation, Presence, Status
from services.routing.repository import AgentRepository, ConversationRepository
from services.routing.service import assign_waiting, mark_assigned, pass_on, reopen_now

DEFAULT_QUEUE = "default"  # a tenant's one queue, for now


class TransferIn(BaseModel):
    """Where a conversation goes: to an agent, or back to a queue; with a note for whoever takes it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"to_agent_id": "0193…", "note": "Rechnungsfrage, Kunde wartet seit gestern"},
                {"to_queue": "default", "note": "needs a technician"},
            ]
        },
    )

    to_agent_id: str | None = Field(default=None, max_length=64)
    to_queue: Literal["default"] | None = None
    note: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.to_agent_id is None) == (self.to_queue is None):
            raise ValueError("give either to_agent_id or to_queue")
        return self


async def _held(uow: UnitOfWork, principal: Principal, conversation_id: str) -> Conversation:
    """A conversation, locked, that the caller may hand on: supervisors any, agents the one they hold
    (or, resolved, held last)."""
    conversation = await ConversationRepository(uow.session).get(
        principal.tenant_id, conversation_id, for_update=True
    )
    allowed = conversation is not None and (
        principal.may_act_as(Role.supervisor) or conversation.assignee_id == principal.agent_id
    )
    if conversation is None or not allowed:
        raise NotFound(f"no conversation {conversation_id}")
    return conversation


async def transfer(
    uow: UnitOfWork, *, principal: Principal, conversation_id: str, data: TransferIn
) -> Conversation:
    """Hand a conversation to an agent who can take it now, or back to the queue, where routing gives
    it to someone else than the agent who handed it on (unless no one else can take it)."""
    conversation = await _held(uow, principal, conversation_id)
    if conversation.status == Status.resolved.value:
        raise Conflict("the conversation is resolved; reopen it first")
    if conversation.status == Status.offered.value:
        raise Conflict("the conversation is offered to an agent; wait for the answer")
    from_agent = conversation.assignee_id
    by = principal.agent_id or principal.key_id
    pass_on(conversation)
    if data.to_agent_id is not None:
        await _to_agent(uow, conversation, data.to_agent_id, holder=from_agent, by=by, note=data.note)
    else:
        conversation.waiting_since = now()  # the policy's steps start again; the SLA clock does not
    uow.session.add(conversation)
    uow.emit(
        new_event(
            conversations_pb2.ConversationTransferred,
            tenant_id=conversation.tenant_id,
            conversation_id=conversation.id,
            from_agent_id=from_agent or "",
            to_agent_id=data.to_agent_id or "",
            to_queue=data.to_queue or "",
            note=data.note,
            transferred_by=by,
        ),
        key=conversation.id,
    )
    await uow.session.flush()
    await assign_waiting(uow, tenant_id=conversation.tenant_id)  # the queue, and capacity freed
    return conversation


async def _to_agent(
    uow: UnitOfWork, conversation: Conversation, agent_id: str, *, holder: str | None, by: str, note: str
) -> None:
    agents = AgentRepository(uow.session)
    await agents.lock_tenant(conversation.tenant_id)  # capacity is checked as assignment checks it
    agent = await agents.get(conversation.tenant_id, agent_id)
    if agent is None:
        raise Unprocessable(f"no agent {agent_id}", code="unknown_agent")
    if agent.id == holder:
        raise Conflict("the agent holds the conversation already")
    if agent.presence != Presence.available.value:
        raise Conflict(f"{agent.name} is {agent.presence}; transfer to the queue instead")
    load = (await agents.load([agent.id])).get(agent.id, Counter())
    if used_for(agent, load, conversation.channel) >= capacity_for(agent, conversation.channel):
        raise Conflict(f"{agent.name} has no capacity for another {conversation.channel} conversation")
    moment = now()
    conversation.assignee_id = agent.id
    agent.last_assigned_at = moment
    uow.session.add(agent)
    mark_assigned(uow, conversation, reason=f"transferred by {by}" + (f": {note}" if note else ""), at=moment)


async def reopen(uow: UnitOfWork, *, principal: Principal, conversation_id: str) -> Conversation:
    """Open a resolved conversation again; it goes back to its last agent if they are available."""
    conversation = await _held(uow, principal, conversation_id)
    if conversation.status != Status.resolved.value:
        raise Conflict("the conversation is open")
    repo = ConversationRepository(uow.session)
    current = await repo.open_by_key(conversation.tenant_id, conversation.conversation_key)
    if current is not None:
        raise Conflict(f"the customer's conversation {current.id} is open; continue there")
    reopen_now(uow, conversation, by=principal.agent_id or principal.key_id)
    await uow.session.flush()
    await assign_waiting(uow, tenant_id=conversation.tenant_id)
    return conversation


async def _offered_to(uow: UnitOfWork, principal: Principal, conversation_id: str) -> Conversation:
    """A conversation offered to the calling agent, locked."""
    conversation = await ConversationRepository(uow.session).get(
        principal.tenant_id, conversation_id, for_update=True
    )
    if conversation is None or principal.agent_id is None or conversation.assignee_id != principal.agent_id:
        raise NotFound(f"no conversation {conversation_id} for you")
    if conversation.status != Status.offered.value:
        raise Conflict("the conversation is not offered to you (any more)")
    return conversation


async def accept(uow: UnitOfWork, *, principal: Principal, conversation_id: str) -> Conversation:
    """The agent takes the conversation offered to them."""
    conversation = await _offered_to(uow, principal, conversation_id)
    moment = now()
    if conversation.offer_expires_at is not None and conversation.offer_expires_at <= moment:
        raise Conflict("the offer expired; it goes to someone else")
    mark_assigned(uow, conversation, reason="accepted the offer", at=moment)
    uow.session.add(conversation)
    await uow.session.flush()
    return conversation


async def reject(uow: UnitOfWork, *, principal: Principal, conversation_id: str) -> Conversation:
    """The agent declines the conversation offered to them: it is offered to someone else, and to
    them again only when no one else can take it."""
    conversation = await _offered_to(uow, principal, conversation_id)
    pass_on(conversation)
    uow.session.add(conversation)
    await uow.session.flush()
    await assign_waiting(uow, tenant_id=conversation.tenant_id)
    return conversation
