"""Routing's logic: open conversations, assign them to agents, resolve them; manage agents and keys."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from google.protobuf.json_format import MessageToDict
from pydantic import ValidationError
from sqlalchemy import func, update
from sqlmodel import col
from webcare.v1 import api_keys_pb2, conversations_pb2, messages_pb2, replies_pb2

from services.kit.auth import Principal, Role, hash_secret, new_secret
from services.kit.errors import Conflict, NotFound, Unprocessable
from services.kit.events import new_event, now, timestamp, to_datetime
from services.kit.ids import new_id
from services.kit.schemas import cut
from services.kit.uow import UnitOfWork
from services.routing import crm, customers, queues, sla
from services.routing.assignment import Decision, Fairness, Round, back_to
from services.routing.models import (
    DEFAULT_QUEUE,
    Agent,
    AgentIn,
    AgentPatch,
    ApiKey,
    ApiKeyIn,
    Conversation,
    Outcome,
    Presence,
    RoutingDecision,
    RoutingPolicy,
    RoutingQueue,
    Status,
    VipCustomer,
)
from services.routing.policy import (
    DEFAULT_POLICY,
    PolicyStep,
    QueueRule,
    RoutingPolicyIn,
    RoutingPolicyOut,
    active_step,
    queue_for,
)
from services.routing.repository import (
    AgentRepository,
    ApiKeyRepository,
    ConversationRepository,
    QueueRepository,
    RoutingDecisionRepository,
    RoutingPolicyRepository,
    SlaRepository,
)

log = logging.getLogger(__name__)

CRISIS = "crisis"  # a category, and the reason a crisis escalates at once
CUSTOMER = "customer"  # who reopened a conversation by writing again
REOPEN_WITHIN = timedelta(hours=72)
SLA_AT_RISK = "sla_at_risk"  # the reason a conversation escalates when its SLA is at risk


async def create_agent(uow: UnitOfWork, *, tenant_id: str, data: AgentIn) -> Agent:
    """Add an agent; if they start available, waiting conversations go to them at once."""
    moment = now()
    agent = Agent(
        id=new_id(),
        tenant_id=tenant_id,
        name=data.name,
        languages=data.languages,
        skills=data.skills,
        capacity=data.capacity,
        channels=data.channels,
        presence=data.presence.value,
        state=data.state,
        presence_changed_at=moment,
        last_seen_at=moment,
        created_at=moment,
    )
    AgentRepository(uow.session).add(agent)
    await uow.session.flush()
    if agent.presence == Presence.available.value:
        await assign_waiting(uow, tenant_id=tenant_id)
    return agent


async def update_agent(uow: UnitOfWork, *, tenant_id: str, agent_id: str, data: AgentPatch) -> Agent:
    """Change an agent's profile (checked as a new agent's would be), then route what waits: raised
    capacity or a new skill is used at once."""
    await AgentRepository(uow.session).lock_tenant(tenant_id)  # as set_presence: before the agent's row
    agent = await get_agent(uow, tenant_id=tenant_id, agent_id=agent_id)
    current = {
        "name": agent.name,
        "languages": agent.languages,
        "skills": agent.skills,
        "capacity": agent.capacity,
        "channels": agent.channels,
    }
    try:
        merged = AgentIn.model_validate({**current, **data.model_dump(exclude_unset=True)})
    except ValidationError as exc:
        raise Unprocessable(
            "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        ) from exc
    agent.name, agent.languages, agent.skills = merged.name, merged.languages, merged.skills
    agent.capacity, agent.channels = merged.capacity, merged.channels
    uow.session.add(agent)
    await uow.session.flush()
    if agent.presence == Presence.available.value:
        await assign_waiting(uow, tenant_id=tenant_id)
    return agent


async def get_agent(uow: UnitOfWork, *, tenant_id: str, agent_id: str) -> Agent:
    """One agent, or NotFound."""
    agent = await AgentRepository(uow.session).get(tenant_id, agent_id)
    if agent is None:
        raise NotFound(f"no agent {agent_id}")
    return agent


async def list_agents(
    uow: UnitOfWork, *, tenant_id: str, limit: int, cursor: str | None
) -> tuple[Sequence[Agent], str | None]:
    """A page of a tenant's agents and the cursor of the next."""
    rows = await AgentRepository(uow.session).page(tenant_id, limit=limit + 1, after=cursor)
    return cut(rows, limit)


async def list_keys(
    uow: UnitOfWork, *, tenant_id: str, limit: int, cursor: str | None
) -> tuple[Sequence[ApiKey], str | None]:
    """A page of a tenant's API keys and the cursor of the next."""
    rows = await ApiKeyRepository(uow.session).page(tenant_id, limit=limit + 1, after=cursor)
    return cut(rows, limit)


async def _own_agent(uow: UnitOfWork, principal: Principal, agent_id: str) -> Agent:
    """An agent the caller may act for: agents themselves, supervisors anyone of the tenant."""
    if not principal.may_act_as(Role.supervisor) and principal.agent_id != agent_id:
        raise NotFound(f"no agent {agent_id}")
    return await get_agent(uow, tenant_id=principal.tenant_id, agent_id=agent_id)


async def set_presence(
    uow: UnitOfWork, *, principal: Principal, agent_id: str, presence: Presence, state: str | None = None
) -> Agent:
    """Change an agent's presence and custom state: agents their own, supervisors anyone's; serve the
    queue if available."""
    # The tenant's routing lock first, as routing takes it before it locks available agents: updating
    # the agent's row first deadlocks with a routing transaction of another instance.
    await AgentRepository(uow.session).lock_tenant(principal.tenant_id)
    agent = await _own_agent(uow, principal, agent_id)
    moment = now()
    agent.state = state
    if agent.presence != presence.value:
        agent.presence = presence.value
        agent.presence_changed_at = moment
    agent.last_seen_at = moment
    uow.session.add(agent)
    await uow.session.flush()
    if presence == Presence.available:
        await assign_waiting(uow, tenant_id=principal.tenant_id)
    return agent


async def heartbeat(uow: UnitOfWork, *, principal: Principal, agent_id: str) -> Agent:
    """The agent's client is still there: keep the presence alive (an expired one stays offline, and
    the answer says so, until the client sets it again)."""
    agent = await _own_agent(uow, principal, agent_id)
    agent.last_seen_at = now()
    uow.session.add(agent)
    await uow.session.flush()
    return agent


async def expire_presence(uow: UnitOfWork, *, quiet_for: timedelta, at: datetime | None = None) -> list[str]:
    """Set offline every agent of any tenant not heard of for `quiet_for`; their ids.

    One UPDATE, so a heartbeat that commits first keeps its agent (the condition is checked again
    under the row lock) and two replicas sweeping at once do it once.
    """
    moment = at or now()
    heard = func.coalesce(col(Agent.last_seen_at), col(Agent.presence_changed_at))
    statement = (
        update(Agent)
        .where(col(Agent.presence) != Presence.offline.value, heard < moment - quiet_for)
        .values(presence=Presence.offline.value, state=None, presence_changed_at=moment)
        .returning(col(Agent.id), col(Agent.tenant_id))
    )
    conn = await uow.session.connection()
    expired = (await conn.execute(statement)).all()
    for agent_id, tenant_id in expired:
        log.info("agent %s of %s sent no heartbeat for %s and is offline now", agent_id, tenant_id, quiet_for)
    gone = [agent_id for agent_id, _ in expired]
    if gone:  # what was offered to them goes to someone else (the sweep routes it next)
        for conversation in await ConversationRepository(uow.session).offers_for_update(agent_ids=gone):
            pass_on(conversation)
            uow.session.add(conversation)
    return gone


async def take_message(
    uow: UnitOfWork, event: messages_pb2.MessageClassified, *, reopen_within: timedelta = REOPEN_WITHIN
) -> Conversation:
    """Open a conversation for a classified message, or add the message to the open one (reopening
    one resolved within `reopen_within`); then route."""
    message = event.message
    repo = ConversationRepository(uow.session)
    conversation = await repo.open_by_key(event.tenant_id, message.conversation_key)
    reopened = False
    if conversation is None and reopen_within > timedelta(0):
        conversation = await repo.resolved_by_key(
            event.tenant_id, message.conversation_key, since=now() - reopen_within
        )
        if conversation is not None:
            reopen_now(uow, conversation, by=CUSTOMER)
            reopened = True
    sent_at = (
        to_datetime(message.sent_at) if message.HasField("sent_at") else to_datetime(message.occurred_at)
    )
    if conversation is not None:
        conversation.message_count += 1
        conversation.last_message_at = max(conversation.last_message_at, sent_at)
        policy = await policy_of(uow, event.tenant_id)
        conversation.urgency = max(conversation.urgency, event.urgency)
        queues.prioritise(conversation, policy.vip_priority_boost)
        # A new list, not an in-place append: the JSON column only notices reassignment.
        conversation.skills = list(dict.fromkeys([*conversation.skills, *event.skills]))
        if event.category.primary == CRISIS and conversation.escalated_at is None:
            _escalate(uow, conversation, CRISIS, policy)
        uow.session.add(conversation)
        uow.emit(
            new_event(
                conversations_pb2.ConversationMessageAdded,
                tenant_id=event.tenant_id,
                conversation_id=conversation.id,
                message_id=event.message_id,
                message_external_id=message.external_id,
                sent_at=timestamp(sent_at),
                community_member=message.community_member,
            ),
            key=conversation.id,
        )
        if reopened:
            await uow.session.flush()
            await assign_waiting(uow, tenant_id=event.tenant_id)
        return conversation
    conversation = Conversation(
        id=new_id(),
        tenant_id=event.tenant_id,
        conversation_key=message.conversation_key,
        channel=message.channel,
        customer=MessageToDict(message.author, preserving_proto_field_name=True),
        is_public=message.is_public,
        language=event.language,
        category=event.category.primary,
        urgency=event.urgency,
        skills=list(dict.fromkeys(event.skills)),
        status=Status.waiting.value,
        opened_at=sent_at,
        waiting_since=now(),
        last_message_at=sent_at,
        customer_id=message.author.external_id,
    )
    conversation.profile_id = await customers.link_author(
        uow,
        tenant_id=event.tenant_id,
        channel=message.channel,
        external_id=message.author.external_id,
        name=message.author.name or message.author.handle,
    )
    conversation.urgency = await customers.raised_urgency(uow, conversation=conversation)
    policy = await policy_of(uow, event.tenant_id)
    conversation.vip = await queues.is_vip(uow, event.tenant_id, message.channel, message.author.external_id)
    if isinstance(found := uow.prepared.get(event.event_id), crm.CrmCustomer):  # the author's CRM record
        await crm.enrich(uow, conversation, found)
    queues.prioritise(conversation, policy.vip_priority_boost)
    conversation.queue = queue_for(policy, conversation)
    conversation.last_agent_id = await repo.last_agent_for(
        event.tenant_id, message.conversation_key
    ) or await customers.last_agent(uow, tenant_id=event.tenant_id, customer_id=conversation.profile_id)
    deadline = (await sla.clock(uow, event.tenant_id)).deadline(conversation)
    conversation.first_response_due_at, conversation.sla_target = deadline.due, deadline.target
    conversation.escalate_at = deadline.escalate_at
    repo.add(conversation)
    uow.emit(_opened(conversation, event), key=conversation.id)
    if event.category.primary == CRISIS:
        _escalate(uow, conversation, CRISIS, policy)
    await uow.session.flush()
    await assign_waiting(uow, tenant_id=event.tenant_id)
    return conversation


def reopen_now(uow: UnitOfWork, conversation: Conversation, *, by: str) -> None:
    """Open a resolved conversation again: it waits, and goes back to its last agent if they are
    available at once (`assign_waiting` decides; the caller runs it)."""
    moment = now()
    last_agent = conversation.assignee_id
    conversation.status = Status.waiting.value
    conversation.resolved_at = None
    conversation.reopened_at = conversation.waiting_since = moment
    conversation.return_to_agent_id = last_agent
    conversation.assignee_id = None
    uow.session.add(conversation)
    uow.emit(
        new_event(
            conversations_pb2.ConversationReopened,
            tenant_id=conversation.tenant_id,
            conversation_id=conversation.id,
            last_agent_id=last_agent or "",
            reopened_by=by,
        ),
        key=conversation.id,
    )


def _escalate(uow: UnitOfWork, conversation: Conversation, reason: str, policy: RoutingPolicyIn) -> None:
    conversation.escalated_at = now()
    conversation.escalation_reason = reason
    if policy.escalation_queue is not None and conversation.status == Status.waiting.value:
        conversation.queue = policy.escalation_queue
    uow.emit(
        _escalated(
            conversation.tenant_id,
            conversation.id,
            reason,
            conversation.first_response_due_at,
            conversation.assignee_id,
        ),
        key=conversation.id,
    )


def _escalated(
    tenant_id: str, conversation_id: str, reason: str, due: datetime | None, agent_id: str | None
) -> conversations_pb2.ConversationEscalated:
    return new_event(
        conversations_pb2.ConversationEscalated,
        tenant_id=tenant_id,
        conversation_id=conversation_id,
        reason=reason,
        first_response_due_at=timestamp(due) if due else None,
        agent_id=agent_id or "",
    )


async def escalate_at_risk(uow: UnitOfWork, *, at: datetime | None = None) -> list[str]:
    """Escalate every open conversation of any tenant whose escalation time passed without a first
    response; their ids. One UPDATE, so two sweeping replicas escalate each conversation once."""
    moment = at or now()
    statement = (
        update(Conversation)
        .where(
            col(Conversation.escalate_at) <= moment,
            col(Conversation.escalated_at).is_(None),
            col(Conversation.first_response_at).is_(None),
            col(Conversation.status) != Status.resolved.value,
        )
        .values(escalated_at=moment, escalation_reason=SLA_AT_RISK)
        .returning(
            col(Conversation.id),
            col(Conversation.tenant_id),
            col(Conversation.first_response_due_at),
            col(Conversation.assignee_id),
        )
    )
    conn = await uow.session.connection()
    rows = (await conn.execute(statement)).all()
    for conversation_id, tenant_id, due, agent_id in rows:
        uow.emit(_escalated(tenant_id, conversation_id, SLA_AT_RISK, due, agent_id), key=conversation_id)
    by_tenant: dict[str, list[str]] = {}
    for conversation_id, tenant_id, _, _ in rows:
        by_tenant.setdefault(tenant_id, []).append(conversation_id)
    for tenant_id, ids in by_tenant.items():  # those still waiting move to the escalation queue
        target = (await policy_of(uow, tenant_id)).escalation_queue
        if target is not None:
            await conn.execute(
                update(Conversation)
                .where(col(Conversation.id).in_(ids), col(Conversation.status) == Status.waiting.value)
                .values(queue=target)
            )
    return [row[0] for row in rows]


def _opened(
    conversation: Conversation, event: messages_pb2.MessageClassified
) -> conversations_pb2.ConversationOpened:
    return new_event(
        conversations_pb2.ConversationOpened,
        tenant_id=conversation.tenant_id,
        conversation_id=conversation.id,
        conversation_key=conversation.conversation_key,
        channel=conversation.channel,
        customer=event.message.author,
        is_public=conversation.is_public,
        language=conversation.language,
        category=conversation.category,
        first_message_id=event.message_id,
        first_message_at=timestamp(conversation.opened_at),
        urgency=conversation.urgency,
        channel_account_id=event.message.channel_account_id,
        first_message_external_id=event.message.external_id,
        first_response_due_at=(
            timestamp(conversation.first_response_due_at) if conversation.first_response_due_at else None
        ),
        sla_target=conversation.sla_target or "",
        subject=event.message.subject,
        queue=conversation.queue or "",
        proactive=event.message.proactive,
    )


BATCH = 200  # waiting conversations locked and judged at a time at the head of the queue
DEEP_BATCH = 1000  # the same when judging down the whole queue


async def assign_waiting(uow: UnitOfWork, *, tenant_id: str, depth: int | None = BATCH) -> int:
    """Give waiting conversations to agents by the tenant's routing policy; return how many were assigned.

    Conversations are judged in queue order, `BATCH` at a time, down to `depth` of them (None: the
    whole queue, `DEEP_BATCH` at a time, as the sweep does, so a conversation deep in the queue that a
    free specialist could take is not held up by those before it); judging stops early once no agent
    has room left.
    Each conversation is judged by its policy's active step (the first whose cumulative expiry since it
    started waiting has not passed), so calling this again later widens the search by itself. Every
    hand-out is recorded, a conversation still waiting when its step or outcome changed. The tenant's
    routing is serialized and its available agents locked, so two routing instances never fill one
    agent twice.
    """
    agents_repo = AgentRepository(uow.session)
    conversations = ConversationRepository(uow.session)
    await agents_repo.lock_tenant(tenant_id)
    available = await agents_repo.available_for_update(tenant_id)
    size = BATCH if depth is not None else DEEP_BATCH
    waiting = await conversations.waiting_for_update(tenant_id, limit=min(size, depth or size))
    if not waiting:
        return 0
    # Unavailable agents cannot win; they are read only so that explanations name everyone.
    agents = sorted([*available, *await agents_repo.unavailable(tenant_id)], key=lambda a: a.id)
    loads = await agents_repo.load([a.id for a in available])
    policy = await policy_of(uow, tenant_id)
    lanes = await queues.views(uow, tenant_id)
    fairness = await _fairness(uow, tenant_id, lanes.values(), [a.id for a in available])
    routing = _Routing(
        uow=uow,
        policy=policy,
        lanes=lanes,
        configured={row.name: row for row in await QueueRepository(uow.session).all(tenant_id)},
        round=Round(agents, loads, fairness=fairness),
        available=available,
    )
    assigned, judged, skipped = 0, 0, 0
    while waiting:
        given = await routing.batch(waiting)
        assigned, judged = assigned + given, judged + len(waiting)
        skipped += len(waiting) - given  # still waiting: the next batch starts after them
        if len(waiting) < size or (depth is not None and judged >= depth) or not routing.round.anyone_free():
            break
        await uow.session.flush()
        waiting = await conversations.waiting_for_update(
            tenant_id, limit=min(size, depth - judged if depth is not None else size), offset=skipped
        )
    await uow.session.flush()
    return assigned


@dataclass
class _Routing:
    """What one call of `assign_waiting` routes with."""

    uow: UnitOfWork
    policy: RoutingPolicyIn
    lanes: dict[str, queues.QueueView]
    configured: dict[str, RoutingQueue]
    round: Round
    available: Sequence[Agent]

    async def batch(self, waiting: Sequence[Conversation]) -> int:
        """Route a batch of waiting conversations in queue order; how many were given to an agent."""
        offer = not self.policy.auto_accept
        outcome = Outcome.offered if offer else Outcome.assigned
        records: list[dict[str, Any]] = []
        still: list[tuple[Conversation, Decision, datetime]] = []
        for conversation in waiting:
            moment = now()
            decision = self.decide(conversation, moment)
            if decision.agent is None:
                still.append((conversation, decision, moment))
                continue
            records.append(
                _record(conversation, decision, outcome, moment)
            )  # every hand-out: fairness counts them
            self.give(conversation, decision, moment, offer=offer)
        # A conversation still waiting is recorded only when its step changed, so the sweep does not
        # write a row every few seconds.
        last = await RoutingDecisionRepository(self.uow.session).latest([c.id for c, _, _ in still])
        for conversation, decision, moment in still:
            previous = last.get(conversation.id)
            if previous is None or (previous.step, previous.outcome) != (
                decision.step,
                Outcome.waiting.value,
            ):
                records.append(_record(conversation, decision, Outcome.waiting, moment))
        await RoutingDecisionRepository(self.uow.session).add_all(records)
        return len(waiting) - len(still)

    def decide(self, conversation: Conversation, moment: datetime) -> Decision:
        """The decision for one conversation: back to its last agent when reopened, else the policy's."""
        if conversation.return_to_agent_id is not None:  # reopened: its last agent, if free at once
            decision = back_to(
                conversation, conversation.return_to_agent_id, self.available, self.round.loads
            )
            conversation.return_to_agent_id = None
            if decision is not None:
                return decision
        row = self.configured.get(conversation.queue)
        return self.round.decide(
            conversation,
            step=active_step(self.policy.steps, conversation.waiting_since, moment),
            moment=moment,
            queue=self.lanes.get(conversation.queue) or queues.QueueView(name=conversation.queue),
            turn_after=row.last_agent_id if row is not None else None,
        )

    def give(self, conversation: Conversation, decision: Decision, moment: datetime, *, offer: bool) -> None:
        """Assign or offer the conversation to the decision's agent, and announce it."""
        agent = decision.agent
        assert agent is not None
        uow = self.uow
        conversation.assignee_id = agent.id
        self.round.give(agent, conversation, moment)
        if (row := self.configured.get(conversation.queue)) is not None:
            row.last_agent_id = agent.id
            uow.session.add(row)
        uow.session.add(agent)
        if offer:
            expires = moment + timedelta(seconds=self.policy.offer_timeout_seconds)
            conversation.status, conversation.offer_expires_at = Status.offered.value, expires
            uow.emit(
                new_event(
                    conversations_pb2.ConversationOffered,
                    tenant_id=conversation.tenant_id,
                    conversation_id=conversation.id,
                    agent_id=agent.id,
                    reason=decision.reason,
                    expires_at=timestamp(expires),
                    waited_since=timestamp(conversation.waiting_since),
                ),
                key=conversation.id,
            )
        else:
            mark_assigned(uow, conversation, reason=decision.reason, at=moment, policy=self.policy)
        uow.session.add(conversation)


async def _fairness(
    uow: UnitOfWork, tenant_id: str, lanes: Iterable[queues.QueueView], agent_ids: Sequence[str]
) -> Fairness:
    """Each capped queue's window of recent assignments, per agent."""
    windows = {lane.window_seconds for lane in lanes if lane.max_assignments is not None}
    repo = QueueRepository(uow.session)
    moment = now()
    return Fairness(
        recent={
            window: await repo.recent_assignments(
                tenant_id, agent_ids, since=moment - timedelta(seconds=window)
            )
            for window in windows
        }
    )


def mark_assigned(
    uow: UnitOfWork, conversation: Conversation, *, reason: str, at: datetime, policy: RoutingPolicyIn
) -> None:
    """The conversation's `assignee_id` holds it now: say so, and start the policy's reply clock."""
    conversation.status = Status.assigned.value
    conversation.assigned_at = at
    conversation.offer_expires_at = None
    within = policy.reassign_unanswered_after_seconds
    conversation.reply_due_at = at + timedelta(seconds=within) if within is not None else None
    uow.emit(
        new_event(
            conversations_pb2.ConversationAssigned,
            tenant_id=conversation.tenant_id,
            conversation_id=conversation.id,
            agent_id=conversation.assignee_id or "",
            reason=reason,
            waited_since=timestamp(conversation.waiting_since),
        ),
        key=conversation.id,
    )


def pass_on(conversation: Conversation) -> None:
    """Put a conversation back in the queue, away from the agent who held it or had it offered: they
    get it again only when no one else can take it."""
    agent_id = conversation.assignee_id
    if agent_id is not None and agent_id not in conversation.passed_by:
        conversation.passed_by = [*conversation.passed_by, agent_id]  # a new list: JSON notices
    conversation.status = Status.waiting.value
    conversation.assignee_id = None
    conversation.offer_expires_at = conversation.reply_due_at = None


async def expire_offers(uow: UnitOfWork, *, at: datetime | None = None) -> set[str]:
    """Put back in the queue every offer not answered in time; the tenants concerned."""
    moment = at or now()
    expired = await ConversationRepository(uow.session).offers_for_update(expired_by=moment)
    for conversation in expired:
        log.info("offer of %s to %s timed out", conversation.id, conversation.assignee_id)
        pass_on(conversation)
        uow.session.add(conversation)
    return {conversation.tenant_id for conversation in expired}


def _record(
    conversation: Conversation, decision: Decision, outcome: Outcome, moment: datetime
) -> dict[str, Any]:
    """A decision's row (written in bulk: a decision per conversation routed is many rows)."""
    return dict(
        id=new_id(),
        tenant_id=conversation.tenant_id,
        conversation_id=conversation.id,
        decided_at=moment,
        step=decision.step,
        outcome=outcome.value,
        agent_id=decision.agent.id if decision.agent is not None else None,
        candidates=[candidate.as_json() for candidate in decision.candidates],
        queue=conversation.queue,
        reason=decision.reason,
        considered=decision.considered,
        excluded=decision.excluded,
    )


def _policy_in(policy: RoutingPolicy) -> RoutingPolicyIn:
    return RoutingPolicyIn(
        steps=[PolicyStep.model_validate(step) for step in policy.steps],
        auto_accept=policy.auto_accept,
        offer_timeout_seconds=policy.offer_timeout_seconds,
        vip_priority_boost=policy.vip_priority_boost,
        reassign_unanswered_after_seconds=policy.reassign_unanswered_after_seconds,
        queue_rules=[QueueRule.model_validate(rule) for rule in policy.queue_rules or []],
        escalation_queue=policy.escalation_queue,
    )


async def policy_of(uow: UnitOfWork, tenant_id: str) -> RoutingPolicyIn:
    """The routing policy that applies to the tenant: its own, or the default."""
    policy = await RoutingPolicyRepository(uow.session).get(tenant_id)
    if policy is None:
        return DEFAULT_POLICY
    try:
        return _policy_in(policy)
    except ValidationError as exc:  # stored under older rules: route by the default, never strand
        log.error("routing policy of %s no longer valid, the default applies: %s", tenant_id, exc)
        return DEFAULT_POLICY


async def get_policy(uow: UnitOfWork, *, tenant_id: str) -> RoutingPolicyOut:
    """The tenant's routing policy, or the default one if it set none."""
    policy = await RoutingPolicyRepository(uow.session).get(tenant_id)
    if policy is None:
        return RoutingPolicyOut(**DEFAULT_POLICY.model_dump(), is_default=True, updated_at=None)
    return RoutingPolicyOut(
        steps=policy.steps,
        auto_accept=policy.auto_accept,
        offer_timeout_seconds=policy.offer_timeout_seconds,
        vip_priority_boost=policy.vip_priority_boost,
        reassign_unanswered_after_seconds=policy.reassign_unanswered_after_seconds,
        queue_rules=policy.queue_rules or [],
        escalation_queue=policy.escalation_queue,
        is_default=False,
        updated_at=policy.updated_at,
    )


async def set_policy(uow: UnitOfWork, *, tenant_id: str, data: RoutingPolicyIn) -> RoutingPolicyOut:
    """Replace the tenant's routing policy, then route what waits under it. Applies to conversations
    from now on; queue rules and the reply clock do not move conversations already open."""
    named = [rule.queue for rule in data.queue_rules] + [data.escalation_queue or DEFAULT_QUEUE]
    known = await queues.known_queues(uow, tenant_id)
    if unknown := sorted(set(named) - known):
        raise Unprocessable(
            f"no queue {', '.join(unknown)}: configure it with PUT /v1/queues/{unknown[0]}",
            code="unknown_queue",
        )
    repo = RoutingPolicyRepository(uow.session)
    policy = await repo.get(tenant_id) or RoutingPolicy(tenant_id=tenant_id, updated_at=now())
    policy.steps = [step.model_dump() for step in data.steps]
    policy.auto_accept = data.auto_accept
    policy.offer_timeout_seconds = data.offer_timeout_seconds
    policy.vip_priority_boost = data.vip_priority_boost
    policy.reassign_unanswered_after_seconds = data.reassign_unanswered_after_seconds
    policy.queue_rules = [rule.model_dump() for rule in data.queue_rules]
    policy.escalation_queue = data.escalation_queue
    policy.updated_at = now()
    repo.add(policy)
    await uow.session.flush()
    await assign_waiting(uow, tenant_id=tenant_id)
    return RoutingPolicyOut(**data.model_dump(), is_default=False, updated_at=policy.updated_at)


async def get_conversation(uow: UnitOfWork, *, principal: Principal, conversation_id: str) -> Conversation:
    """One conversation: supervisors see any of the tenant, agents their own."""
    conversation = await ConversationRepository(uow.session).get(principal.tenant_id, conversation_id)
    if conversation is None or not _may_handle(principal, conversation):
        raise NotFound(f"no conversation {conversation_id}")
    return conversation


async def routing_decisions(
    uow: UnitOfWork, *, principal: Principal, conversation_id: str
) -> Sequence[RoutingDecision]:
    """How a conversation was routed, oldest first: supervisors see any, agents their own."""
    conversation = await ConversationRepository(uow.session).get(principal.tenant_id, conversation_id)
    if conversation is None or not _may_handle(principal, conversation):
        raise NotFound(f"no conversation {conversation_id}")
    return await RoutingDecisionRepository(uow.session).of_conversation(principal.tenant_id, conversation_id)


async def tenants_waiting(uow: UnitOfWork) -> Sequence[str]:
    """Tenants with conversations waiting for an agent."""
    return await AgentRepository(uow.session).tenants_waiting()


async def record_reply(uow: UnitOfWork, event: replies_pb2.ReplySent) -> None:
    """Note the conversation's first answer; any answer stops the clock that would take it back."""
    conversation = await ConversationRepository(uow.session).get(event.tenant_id, event.conversation_id)
    if conversation is None:
        return
    if conversation.first_response_at is None:
        conversation.first_response_at = answered = to_datetime(event.occurred_at)
        first = await _first_responded(uow, conversation, answered=answered, agent_id=event.agent_id)
        uow.emit(first, key=conversation.id)
    conversation.reply_due_at = None
    uow.session.add(conversation)


async def _first_responded(
    uow: UnitOfWork, conversation: Conversation, *, answered: datetime, agent_id: str
) -> conversations_pb2.ConversationFirstResponded:
    """The stopped response clock: the time from the first message to the first answer, and the part
    of it in the opening hours of the calendar the tenant's SLA policy counts in now (all of it
    around the clock). An answer stamped before the message (clock skew) took no time."""
    start = conversation.opened_at
    elapsed = max(timedelta(0), answered - start)
    business, calendar_id = elapsed, ""
    calendar = (await sla.clock(uow, conversation.tenant_id)).calendar
    if calendar is not None:
        business = calendar.between(start, answered)
        policy = await SlaRepository(uow.session).policy(conversation.tenant_id)  # the clock's, cached
        calendar_id = policy.calendar_id if policy is not None and policy.calendar_id else ""
    return new_event(
        conversations_pb2.ConversationFirstResponded,
        tenant_id=conversation.tenant_id,
        conversation_id=conversation.id,
        first_message_at=timestamp(start),
        responded_at=timestamp(answered),
        elapsed_seconds=elapsed.total_seconds(),
        business_seconds=business.total_seconds(),
        calendar_id=calendar_id,
        agent_id=agent_id,
    )


async def list_conversations(
    uow: UnitOfWork,
    *,
    principal: Principal,
    status: Status | None,
    assignee: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[Conversation], str | None]:
    """A page of conversations: agents see their own, supervisors everyone's."""
    assignee_id = assignee
    if assignee == "me":
        if principal.agent_id is None:
            raise Unprocessable("assignee=me needs an agent's key; give an agent id instead")
        assignee_id = principal.agent_id
    if not principal.may_act_as(Role.supervisor):
        if principal.agent_id is None or assignee_id not in (None, principal.agent_id):
            raise NotFound("agents see their own conversations: use ?assignee=me")
        assignee_id = principal.agent_id
    rows = await ConversationRepository(uow.session).page(
        principal.tenant_id,
        status=status.value if status else None,
        assignee_id=assignee_id,
        limit=limit + 1,
        after=cursor,
    )
    return cut(rows, limit)


async def resolve(uow: UnitOfWork, *, principal: Principal, conversation_id: str) -> Conversation:
    """Close a conversation and hand the freed capacity to whoever waits."""
    repo = ConversationRepository(uow.session)
    conversation = await repo.get(principal.tenant_id, conversation_id, for_update=True)
    if conversation is None or not _may_handle(principal, conversation):
        raise NotFound(f"no conversation {conversation_id}")
    if conversation.status == Status.resolved.value:
        raise Conflict("the conversation is already resolved")
    conversation.status = Status.resolved.value
    conversation.resolved_at = now()
    conversation.reply_due_at = None
    uow.session.add(conversation)
    uow.emit(
        new_event(
            conversations_pb2.ConversationResolved,
            tenant_id=principal.tenant_id,
            conversation_id=conversation.id,
            agent_id=conversation.assignee_id or "",
            resolved_by=principal.agent_id or principal.key_id,
        ),
        key=conversation.id,
    )
    await uow.session.flush()
    await assign_waiting(uow, tenant_id=principal.tenant_id)
    return conversation


def _may_handle(principal: Principal, conversation: Conversation) -> bool:
    return principal.may_act_as(Role.supervisor) or conversation.assignee_id == principal.agent_id


async def issue_key(uow: UnitOfWork, *, tenant_id: str, data: ApiKeyIn) -> tuple[ApiKey, str]:
    """Create an API key and announce it to every service; return the row and the secret."""
    if data.role == Role.agent:
        if data.agent_id is None:
            raise Unprocessable("an agent key needs agent_id")
        await get_agent(uow, tenant_id=tenant_id, agent_id=data.agent_id)
    elif data.agent_id is not None:
        raise Unprocessable("only agent keys carry agent_id")
    secret = new_secret()
    key = ApiKey(
        id=new_id(),
        tenant_id=tenant_id,
        name=data.name,
        role=data.role.value,
        agent_id=data.agent_id,
        secret_sha256=hash_secret(secret),
        created_at=now(),
    )
    ApiKeyRepository(uow.session).add(key)
    uow.emit(
        new_event(
            api_keys_pb2.ApiKeyIssued,
            tenant_id=tenant_id,
            key_id=key.id,
            secret_sha256=key.secret_sha256,
            role=key.role,
            agent_id=key.agent_id or "",
            name=key.name,
        ),
        key=key.id,
    )
    return key, secret


async def revoke_key(uow: UnitOfWork, *, tenant_id: str, key_id: str) -> ApiKey:
    """Revoke a key everywhere."""
    key = await ApiKeyRepository(uow.session).get(tenant_id, key_id)
    if key is None:
        raise NotFound(f"no API key {key_id}")
    if key.revoked_at is None:
        key.revoked_at = now()
        uow.session.add(key)
        uow.emit(new_event(api_keys_pb2.ApiKeyRevoked, tenant_id=tenant_id, key_id=key.id), key=key.id)
    return key


async def configure_queue(
    uow: UnitOfWork, *, tenant_id: str, name: str, data: queues.QueueIn
) -> queues.QueueOut:
    """Create or replace a queue, then route what waits under it."""
    await queues.put_queue(uow, tenant_id=tenant_id, name=name, data=data)
    await assign_waiting(uow, tenant_id=tenant_id)
    return await queues.get_queue(uow, tenant_id=tenant_id, name=name)


async def mark_vip(uow: UnitOfWork, *, tenant_id: str, data: queues.VipIn) -> tuple[VipCustomer, bool]:
    """Mark a customer VIP by the policy's boost; whether the entry is new."""
    boost = (await policy_of(uow, tenant_id)).vip_priority_boost
    return await queues.put_vip(uow, tenant_id=tenant_id, data=data, boost=boost)


async def unmark_vip(uow: UnitOfWork, *, tenant_id: str, vip_id: str) -> None:
    """Take a customer off the VIP list."""
    boost = (await policy_of(uow, tenant_id)).vip_priority_boost
    await queues.delete_vip(uow, tenant_id=tenant_id, vip_id=vip_id, boost=boost)
