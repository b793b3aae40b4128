"""Every query of routing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, func, insert, text, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from services.kit.db import any_of
from services.routing.models import (
    Agent,
    ApiKey,
    BusinessCalendarRow,
    Conversation,
    Customer,
    CustomerIdentity,
    CustomerNote,
    Outcome,
    Presence,
    RoutingDecision,
    RoutingPolicy,
    RoutingQueue,
    SlaPolicy,
    Status,
    VipCustomer,
    kind_of,
)


class AgentRepository:
    """Agents of every tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, agent: Agent) -> None:
        """Store a new agent."""
        self.session.add(agent)

    async def get(self, tenant_id: str, agent_id: str) -> Agent | None:
        """One agent of a tenant."""
        agent = await self.session.get(Agent, agent_id)
        return agent if agent is not None and agent.tenant_id == tenant_id else None

    async def page(self, tenant_id: str, *, limit: int, after: str | None) -> Sequence[Agent]:
        """Agents in id order, after a cursor."""
        query = select(Agent).where(Agent.tenant_id == tenant_id).order_by(col(Agent.id)).limit(limit)
        if after:
            query = query.where(Agent.id > after)
        return (await self.session.exec(query)).all()

    async def by_ids(self, tenant_id: str, agent_ids: Sequence[str]) -> Sequence[Agent]:
        """The tenant's agents among these ids."""
        if not agent_ids:
            return []
        conn = await self.session.connection()
        query = select(Agent).where(
            Agent.tenant_id == tenant_id, any_of(cast(ColumnElement[Any], Agent.id), agent_ids, conn.dialect)
        )
        return (await self.session.exec(query)).all()

    async def lock_tenant(self, tenant_id: str) -> None:
        """Serialize routing decisions of one tenant until the transaction ends.

        Without it, a conversation inserted while an agent comes online could be missed by both
        transactions (each sees the other's change only after it commits). SQLite needs nothing:
        its writers are serial already.
        """
        conn = await self.session.connection()
        if conn.dialect.name == "postgresql":
            statement = text("SELECT pg_advisory_xact_lock(hashtext(:key))")
            await conn.execute(statement, {"key": f"routing:{tenant_id}"})

    async def tenants_waiting(self) -> Sequence[str]:
        """Tenants that have waiting conversations."""
        query = select(Conversation.tenant_id).where(Conversation.status == Status.waiting.value).distinct()
        return (await self.session.exec(query)).all()

    async def available_for_update(self, tenant_id: str) -> Sequence[Agent]:
        """Available agents, locked until the transaction ends so that capacity is checked atomically."""
        query = (
            select(Agent)
            .where(Agent.tenant_id == tenant_id, Agent.presence == Presence.available.value)
            .order_by(col(Agent.id))
            .with_for_update()
        )
        return (await self.session.exec(query)).all()

    async def unavailable(self, tenant_id: str) -> Sequence[Agent]:
        """Agents who are away or offline: not locked, since they only appear in explanations."""
        query = (
            select(Agent)
            .where(Agent.tenant_id == tenant_id, Agent.presence != Presence.available.value)
            .order_by(col(Agent.id))
        )
        return (await self.session.exec(query)).all()

    async def load(self, agent_ids: Sequence[str]) -> dict[str, Counter[tuple[str, str]]]:
        """Open conversations per agent, by channel and channel kind."""
        if not agent_ids:
            return {}
        conn = await self.session.connection()
        query = (
            select(Conversation.assignee_id, Conversation.channel, Conversation.is_public, func.count())
            .where(
                any_of(cast(ColumnElement[Any], Conversation.assignee_id), agent_ids, conn.dialect),
                # An offer holds its room until it is answered.
                col(Conversation.status).in_([Status.assigned.value, Status.offered.value]),
            )
            .group_by(col(Conversation.assignee_id), col(Conversation.channel), col(Conversation.is_public))
        )
        loads: dict[str, Counter[tuple[str, str]]] = {agent_id: Counter() for agent_id in agent_ids}
        for agent_id, channel, public, count in (await self.session.exec(query)).all():
            if agent_id is not None:
                loads[agent_id][channel, kind_of(channel, public)] += count
        return loads


class ConversationRepository:
    """Conversations of every tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, conversation: Conversation) -> None:
        """Store a new conversation."""
        self.session.add(conversation)

    async def get(
        self, tenant_id: str, conversation_id: str, *, for_update: bool = False
    ) -> Conversation | None:
        """One conversation of a tenant."""
        query = select(Conversation).where(
            Conversation.id == conversation_id, Conversation.tenant_id == tenant_id
        )
        if for_update:
            query = query.with_for_update()
        return (await self.session.exec(query)).first()

    async def open_by_key(self, tenant_id: str, key: str) -> Conversation | None:
        """The open conversation with this key, if any."""
        query = select(Conversation).where(
            Conversation.tenant_id == tenant_id,
            Conversation.conversation_key == key,
            Conversation.status != Status.resolved.value,
        )
        return (await self.session.exec(query)).first()

    async def offers_for_update(
        self, *, expired_by: datetime | None = None, agent_ids: Sequence[str] = ()
    ) -> Sequence[Conversation]:
        """Offered conversations, locked (others' locks skipped): those expired by a time, or those
        offered to these agents."""
        query = select(Conversation).where(Conversation.status == Status.offered.value)
        if expired_by is not None:
            query = query.where(col(Conversation.offer_expires_at) <= expired_by)
        if agent_ids:
            query = query.where(col(Conversation.assignee_id).in_(agent_ids))
        return (await self.session.exec(query.with_for_update(skip_locked=True))).all()

    async def unanswered_for_update(self, *, by: datetime) -> Sequence[Conversation]:
        """Assigned conversations of any tenant whose reply was due by a time, locked (others' locks
        skipped)."""
        query = select(Conversation).where(
            Conversation.status == Status.assigned.value, col(Conversation.reply_due_at) <= by
        )
        return (await self.session.exec(query.with_for_update(skip_locked=True))).all()

    async def last_agent_for(self, tenant_id: str, key: str) -> str | None:
        """Who held the most recently resolved conversation with this key, if anyone did."""
        query = (
            select(Conversation.assignee_id)
            .where(
                Conversation.tenant_id == tenant_id,
                Conversation.conversation_key == key,
                Conversation.status == Status.resolved.value,
                col(Conversation.assignee_id).is_not(None),
            )
            .order_by(col(Conversation.resolved_at).desc())
            .limit(1)
        )
        return (await self.session.exec(query)).first()

    async def resolved_by_key(self, tenant_id: str, key: str, *, since: datetime) -> Conversation | None:
        """The conversation with this key resolved most recently, if that was at or after `since`."""
        query = (
            select(Conversation)
            .where(
                Conversation.tenant_id == tenant_id,
                Conversation.conversation_key == key,
                Conversation.status == Status.resolved.value,
                col(Conversation.resolved_at) >= since,
            )
            .order_by(col(Conversation.resolved_at).desc())
            .limit(1)
            .with_for_update()
        )
        return (await self.session.exec(query)).first()

    async def waiting_for_update(
        self, tenant_id: str, *, limit: int = 200, offset: int = 0
    ) -> Sequence[Conversation]:
        """Waiting conversations in queue order (after the first `offset`), locked for assignment."""
        query = self._queue(tenant_id).offset(offset).limit(limit).with_for_update(skip_locked=True)
        return (await self.session.exec(query)).all()

    async def queue(self, tenant_id: str, name: str, *, limit: int) -> Sequence[Conversation]:
        """A queue's waiting conversations in queue order, as a supervisor sees them (not locked)."""
        query = self._queue(tenant_id).where(Conversation.queue == name).limit(limit)
        return (await self.session.exec(query)).all()

    @staticmethod
    def _queue(tenant_id: str) -> SelectOfScalar[Conversation]:
        # Queue order: escalated, priority (urgency, VIPs boosted), the earliest SLA breach (none last), age.
        return (
            select(Conversation)
            .where(Conversation.tenant_id == tenant_id, Conversation.status == Status.waiting.value)
            .order_by(
                col(Conversation.escalated_at).is_(None),  # escalated ones first
                col(Conversation.priority).desc(),
                col(Conversation.first_response_due_at).asc().nulls_last(),
                col(Conversation.waiting_since),
                col(Conversation.id),
            )
        )

    async def page(
        self,
        tenant_id: str,
        *,
        status: str | None,
        assignee_id: str | None,
        limit: int,
        after: str | None,
    ) -> Sequence[Conversation]:
        """Conversations in id order (oldest first), filtered, after a cursor."""
        query = select(Conversation).where(Conversation.tenant_id == tenant_id)
        if status:
            query = query.where(Conversation.status == status)
        if assignee_id:
            query = query.where(Conversation.assignee_id == assignee_id)
        if after:
            query = query.where(Conversation.id > after)
        return (await self.session.exec(query.order_by(col(Conversation.id)).limit(limit))).all()


class ApiKeyRepository:
    """API keys of every tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, key: ApiKey) -> None:
        """Store a new key."""
        self.session.add(key)

    async def get(self, tenant_id: str, key_id: str) -> ApiKey | None:
        """One key of a tenant."""
        key = await self.session.get(ApiKey, key_id)
        return key if key is not None and key.tenant_id == tenant_id else None

    async def page(self, tenant_id: str, *, limit: int, after: str | None) -> Sequence[ApiKey]:
        """Keys in id order, after a cursor."""
        query = select(ApiKey).where(ApiKey.tenant_id == tenant_id).order_by(col(ApiKey.id)).limit(limit)
        if after:
            query = query.where(ApiKey.id > after)
        return (await self.session.exec(query)).all()


class RoutingPolicyRepository:
    """Tenants' own routing policies."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str) -> RoutingPolicy | None:
        """The tenant's policy, if it set one."""
        return await self.session.get(RoutingPolicy, tenant_id)

    def add(self, policy: RoutingPolicy) -> None:
        """Store a new or changed policy."""
        self.session.add(policy)


class SlaRepository:
    """Tenants' SLA policies and business calendars."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def policy(self, tenant_id: str) -> SlaPolicy | None:
        """The tenant's SLA policy, if it set one."""
        return await self.session.get(SlaPolicy, tenant_id)

    async def calendar(self, tenant_id: str, calendar_id: str) -> BusinessCalendarRow | None:
        """One calendar of a tenant."""
        row = await self.session.get(BusinessCalendarRow, calendar_id)
        return row if row is not None and row.tenant_id == tenant_id else None

    async def calendars(
        self, tenant_id: str, *, limit: int, after: str | None
    ) -> Sequence[BusinessCalendarRow]:
        """A page of a tenant's calendars, by id."""
        query = select(BusinessCalendarRow).where(BusinessCalendarRow.tenant_id == tenant_id)
        if after is not None:
            query = query.where(col(BusinessCalendarRow.id) > after)
        return (await self.session.exec(query.order_by(col(BusinessCalendarRow.id)).limit(limit))).all()

    def add(self, row: SlaPolicy | BusinessCalendarRow) -> None:
        """Store a new or changed policy or calendar."""
        self.session.add(row)

    async def delete(self, row: BusinessCalendarRow) -> None:
        """Remove a calendar."""
        await self.session.delete(row)


class RoutingDecisionRepository:
    """Recorded routing decisions."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, decision: RoutingDecision) -> None:
        """Record a decision."""
        self.session.add(decision)

    async def add_all(self, rows: Sequence[dict[str, Any]]) -> None:
        """Record decisions in one statement (rows of the table's columns)."""
        if rows:
            conn = await self.session.connection()
            await conn.execute(
                insert(RoutingDecision.metadata.tables[RoutingDecision.__tablename__]), list(rows)
            )

    async def latest(self, conversation_ids: Sequence[str]) -> dict[str, RoutingDecision]:
        """The last decision of each of these conversations that has one.

        Rows are written only when a conversation's step or outcome changes, so each has a handful.
        """
        if not conversation_ids:
            return {}
        query = (
            select(RoutingDecision)
            .where(col(RoutingDecision.conversation_id).in_(conversation_ids))
            .order_by(col(RoutingDecision.decided_at), col(RoutingDecision.id))
        )
        return {row.conversation_id: row for row in (await self.session.exec(query)).all()}

    async def of_conversation(self, tenant_id: str, conversation_id: str) -> Sequence[RoutingDecision]:
        """A conversation's decisions, oldest first."""
        query = (
            select(RoutingDecision)
            .where(RoutingDecision.tenant_id == tenant_id, RoutingDecision.conversation_id == conversation_id)
            .order_by(col(RoutingDecision.decided_at), col(RoutingDecision.id))
        )
        return (await self.session.exec(query)).all()


class QueueRepository:
    """Tenants' configured queues (the default queue exists without a row)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, name: str) -> RoutingQueue | None:
        """One configured queue."""
        return await self.session.get(RoutingQueue, (tenant_id, name))

    async def all(self, tenant_id: str) -> Sequence[RoutingQueue]:
        """A tenant's configured queues by name."""
        query = (
            select(RoutingQueue).where(RoutingQueue.tenant_id == tenant_id).order_by(col(RoutingQueue.name))
        )
        return (await self.session.exec(query)).all()

    def add(self, queue: RoutingQueue) -> None:
        """Store a new or changed queue."""
        self.session.add(queue)

    async def delete(self, queue: RoutingQueue) -> None:
        """Remove a queue's configuration."""
        await self.session.delete(queue)

    async def waiting(self, tenant_id: str) -> dict[str, int]:
        """How many conversations wait in each queue that has any."""
        query = (
            select(Conversation.queue, func.count())
            .where(Conversation.tenant_id == tenant_id, Conversation.status == Status.waiting.value)
            .group_by(col(Conversation.queue))
        )
        return {name: count for name, count in (await self.session.exec(query)).all()}

    async def open_in(self, tenant_id: str, name: str) -> int:
        """How many open conversations are in a queue."""
        query = select(func.count()).where(
            Conversation.tenant_id == tenant_id,
            Conversation.queue == name,
            Conversation.status != Status.resolved.value,
        )
        return (await self.session.exec(query)).one()

    async def recent_assignments(
        self, tenant_id: str, agent_ids: Sequence[str], *, since: datetime
    ) -> Counter[str]:
        """How many conversations each agent was given (assigned or offered) since a time."""
        query = (
            select(RoutingDecision.agent_id, func.count())
            .where(
                RoutingDecision.tenant_id == tenant_id,
                col(RoutingDecision.decided_at) >= since,
                col(RoutingDecision.outcome).in_([Outcome.assigned.value, Outcome.offered.value]),
                col(RoutingDecision.agent_id).in_(agent_ids),
            )
            .group_by(col(RoutingDecision.agent_id))
        )
        return Counter(
            {agent_id: count for agent_id, count in (await self.session.exec(query)).all() if agent_id}
        )


class VipRepository:
    """Tenants' VIP customers."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, channel: str, customer_id: str) -> VipCustomer | None:
        """The VIP entry of one customer, if there is one."""
        query = select(VipCustomer).where(
            VipCustomer.tenant_id == tenant_id,
            VipCustomer.channel == channel,
            VipCustomer.customer_id == customer_id,
        )
        return (await self.session.exec(query)).first()

    async def page(self, tenant_id: str, *, limit: int, after: str | None) -> Sequence[VipCustomer]:
        """VIP entries in id order, after a cursor."""
        query = select(VipCustomer).where(VipCustomer.tenant_id == tenant_id)
        if after:
            query = query.where(VipCustomer.id > after)
        return (await self.session.exec(query.order_by(col(VipCustomer.id)).limit(limit))).all()

    def add(self, row: VipCustomer) -> None:
        """Store a new or changed entry."""
        self.session.add(row)

    async def delete(self, row: VipCustomer) -> None:
        """Remove an entry."""
        await self.session.delete(row)

    async def open_conversations(
        self, tenant_id: str, channel: str, customer_id: str
    ) -> Sequence[Conversation]:
        """The customer's open conversations on that channel, locked."""
        query = select(Conversation).where(
            Conversation.tenant_id == tenant_id,
            Conversation.channel == channel,
            Conversation.customer_id == customer_id,
            Conversation.status != Status.resolved.value,
        )
        return (await self.session.exec(query.with_for_update())).all()


class CustomerRepository:
    """Customer profiles, their identities and notes, and the conversations linked to them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Customer | CustomerIdentity | CustomerNote) -> None:
        """Store a new or changed profile, identity or note."""
        self.session.add(row)

    async def delete(self, row: CustomerIdentity) -> None:
        """Remove an identity."""
        await self.session.delete(row)

    async def get(self, tenant_id: str, customer_id: str) -> Customer | None:
        """One profile of a tenant."""
        query = select(Customer).where(Customer.tenant_id == tenant_id, Customer.id == customer_id)
        return (await self.session.exec(query)).first()

    async def by_external_id(self, tenant_id: str, external_id: str) -> Customer | None:
        """The profile with this CRM id, if any."""
        query = select(Customer).where(Customer.tenant_id == tenant_id, Customer.external_id == external_id)
        return (await self.session.exec(query)).first()

    async def identity(self, tenant_id: str, channel: str, external_id: str) -> CustomerIdentity | None:
        """The identity with this (normalised) channel id, if any."""
        query = select(CustomerIdentity).where(
            CustomerIdentity.tenant_id == tenant_id,
            CustomerIdentity.channel == channel,
            CustomerIdentity.external_id == external_id,
        )
        return (await self.session.exec(query)).first()

    async def identities(self, tenant_id: str, customer_id: str) -> Sequence[CustomerIdentity]:
        """A profile's identities by channel and id."""
        query = select(CustomerIdentity).where(
            CustomerIdentity.tenant_id == tenant_id, CustomerIdentity.customer_id == customer_id
        )
        order = (col(CustomerIdentity.channel), col(CustomerIdentity.external_id))
        return (await self.session.exec(query.order_by(*order))).all()

    async def notes(self, customer_id: str) -> Sequence[CustomerNote]:
        """A profile's notes, newest first."""
        query = select(CustomerNote).where(CustomerNote.customer_id == customer_id)
        order = (col(CustomerNote.created_at).desc(), col(CustomerNote.id).desc())
        return (await self.session.exec(query.order_by(*order))).all()

    async def link_conversations(
        self,
        tenant_id: str,
        *,
        channel: str,
        authors: Sequence[str],
        case_insensitive: bool,
        current: str | None,
        customer_id: str | None,
        resolved_only: bool = False,
    ) -> None:
        """Point the conversations of an author (any of these spellings of their channel id) that point
        at `current` (None: at no profile) at a profile (None: at none); `resolved_only`: leave open
        ones, whose rows routing may hold locked, alone."""
        author = col(Conversation.customer_id)
        profile = col(Conversation.profile_id)
        statement = update(Conversation).where(
            col(Conversation.tenant_id) == tenant_id,
            col(Conversation.channel) == channel,
            (func.lower(author) if case_insensitive else author).in_(authors),
            profile.is_(None) if current is None else profile == current,
        )
        if resolved_only:
            statement = statement.where(col(Conversation.status) == Status.resolved.value)
        conn = await self.session.connection()
        await conn.execute(statement.values(profile_id=customer_id))

    async def history(self, tenant_id: str, customer_id: str, *, limit: int) -> Sequence[Conversation]:
        """A profile's conversations on every channel, newest first."""
        query = (
            select(Conversation)
            .where(Conversation.tenant_id == tenant_id, Conversation.profile_id == customer_id)
            .order_by(col(Conversation.opened_at).desc(), col(Conversation.id).desc())
            .limit(limit)
        )
        return (await self.session.exec(query)).all()

    async def contacts_since(self, tenant_id: str, customer_id: str, *, since: datetime) -> dict[str, int]:
        """A profile's conversations opened since a time, counted by category."""
        query = (
            select(Conversation.category, func.count())
            .where(
                Conversation.tenant_id == tenant_id,
                Conversation.profile_id == customer_id,
                col(Conversation.opened_at) >= since,
            )
            .group_by(col(Conversation.category))
        )
        return {category: count for category, count in (await self.session.exec(query)).all()}

    async def last_agent(self, tenant_id: str, customer_id: str) -> str | None:
        """Who held the profile's most recently resolved conversation on any channel, if anyone did."""
        query = (
            select(Conversation.assignee_id)
            .where(
                Conversation.tenant_id == tenant_id,
                Conversation.profile_id == customer_id,
                Conversation.status == Status.resolved.value,
                col(Conversation.assignee_id).is_not(None),
            )
            .order_by(col(Conversation.resolved_at).desc())
            .limit(1)
        )
        return (await self.session.exec(query)).first()
