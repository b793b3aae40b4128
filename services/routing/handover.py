"""Conversations changing hands: transfers to an agent or back to the queue, and reopenings."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from webcare.v1 import conversations_pb2

from services.kit.auth import Principal, Role
from services.kit.errors import Conflict, NotFound, Unprocessable
from services.kit.events import new_event, now
from services.kit.ids import new_id
from services.kit.uow import UnitOfWork
from services.routing.assignment import has_room
from services.routing.models import Conversation, Outcome, Presence, RoutingDecision, Status, kind_of
from services.routing.policy import QUEUE_NAME
from services.routing.queues import require_queue
from services.routing.repository import AgentRepository, ConversationRepository, RoutingDecisionRepository
from services.routing.service import assign_waiting, mark_assigned, pass_on, policy_of, reopen_now

log = logging.getLogger(__name__)

ROUTING = "routing"  # who takes back a conversation left without a reply
TAKEN_BACK = "taken back"  # the step of that decision
TRANSFER = "transfer"  # the step of a decision to hand a conversation to a named agent


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
    to_queue: str | None = Field(default=None, pattern=QUEUE_NAME)
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
    if data.to_queue is not None:
        await require_queue(uow, principal.tenant_id, data.to_queue)
    pass_on(conversation)
    if data.to_agent_id is not None:
        await _to_agent(uow, conversation, data.to_agent_id, holder=from_agent, by=by, note=data.note)
    else:
        conversation.queue = data.to_queue or conversation.queue
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
    if agent.channels is not None and conversation.channel not in agent.channels:
        raise Conflict(f"{agent.name} does not serve {conversation.channel}")
    load = (await agents.load([agent.id])).get(agent.id, Counter())
    if not has_room(agent, load, conversation.channel, kind_of(conversation.channel, conversation.is_public)):
        raise Conflict(f"{agent.name} has no capacity for another {conversation.channel} conversation")
    moment = now()
    conversation.assignee_id = agent.id
    agent.last_assigned_at = moment
    uow.session.add(agent)
    reason = f"transferred by {by}" + (f": {note}" if note else "")
    mark_assigned(uow, conversation, reason=reason, at=moment, policy=await policy_of(uow, agent.tenant_id))
    RoutingDecisionRepository(uow.session).add(  # a person's decision, explained like routing's
        RoutingDecision(
            id=new_id(),
            tenant_id=conversation.tenant_id,
            conversation_id=conversation.id,
            decided_at=moment,
            step=TRANSFER,
            outcome=Outcome.assigned.value,
            agent_id=agent.id,
            candidates=[
                {"agent_id": agent.id, "name": agent.name, "eligible": True, "reasons": [], "why": reason}
            ],
            queue=conversation.queue,
            reason=reason,
            considered=1,
        )
    )


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
    policy = await policy_of(uow, conversation.tenant_id)
    mark_assigned(uow, conversation, reason="accepted the offer", at=moment, policy=policy)
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


async def take_back_unanswered(uow: UnitOfWork, *, at: datetime | None = None) -> set[str]:
    """Take back every assigned conversation of any tenant whose reply clock ran out without a reply,
    and put it in its queue again, where it goes to someone else if anyone can take it; the tenants
    concerned (the caller routes them next). Each is recorded as a decision and announced as a
    transfer to the queue, by routing."""
    moment = at or now()
    decisions = RoutingDecisionRepository(uow.session)
    overdue = await ConversationRepository(uow.session).unanswered_for_update(by=moment)
    for conversation in overdue:
        agent_id = conversation.assignee_id
        held = int((moment - (conversation.assigned_at or moment)).total_seconds())
        note = f"no reply within {held} s of the assignment"
        log.info("conversation %s taken back from %s: %s", conversation.id, agent_id, note)
        pass_on(conversation)
        conversation.waiting_since = moment  # the policy's steps start again; the SLA clock does not
        uow.session.add(conversation)
        decisions.add(
            RoutingDecision(
                id=new_id(),
                tenant_id=conversation.tenant_id,
                conversation_id=conversation.id,
                decided_at=moment,
                step=TAKEN_BACK,
                outcome=Outcome.taken_back.value,
                agent_id=agent_id,
                candidates=[],
                queue=conversation.queue,
                reason=note,
            )
        )
        uow.emit(
            new_event(
                conversations_pb2.ConversationTransferred,
                tenant_id=conversation.tenant_id,
                conversation_id=conversation.id,
                from_agent_id=agent_id or "",
                to_queue=conversation.queue,
                note=note,
                transferred_by=ROUTING,
            ),
            key=conversation.id,
        )
    return {conversation.tenant_id for conversation in overdue}
