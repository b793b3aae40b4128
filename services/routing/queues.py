"""Named queues and VIP customers.

Every tenant has the queue `default`; more are configured by name. A queue says who serves it (its
members, or everyone), how an agent is picked among the eligible ones with the best skill fit
(longest idle, least busy, round robin) and a fairness cap on assignments per agent per window. The
routing policy's queue rules put new conversations in queues; escalation may move them to the
policy's escalation queue, and transfers to any queue.

VIP customers (marked by a supervisor, or by the CRM through the same API) go first: their urgency
is raised by the policy's VIP boost in the queue order, and a policy may route them by `{"vip": true}`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.kit.errors import Conflict, NotFound, Unprocessable
from services.kit.events import now
from services.kit.ids import new_id
from services.kit.schemas import cut
from services.kit.uow import UnitOfWork
from services.routing.models import DEFAULT_QUEUE, Conversation, RoutingQueue, Strategy, VipCustomer
from services.routing.policy import QUEUE_NAME
from services.routing.repository import (
    AgentRepository,
    QueueRepository,
    RoutingPolicyRepository,
    VipRepository,
)

MAX_QUEUES = 200  # per tenant
MAX_WINDOW_SECONDS = 7 * 24 * 3600


class QueueIn(BaseModel):
    """A queue's configuration."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "strategy": "least_busy",
                    "members": ["0193…", "0194…"],
                    "max_assignments_per_agent": 20,
                    "fairness_window_seconds": 3600,
                }
            ]
        },
    )

    strategy: Strategy = Field(
        default=Strategy.longest_idle,
        description="among eligible agents with the best skill fit: the longest idle, the least busy by "
        "load ratio (open conversations / capacity), or the next in turn (round robin)",
    )
    members: list[str] | None = Field(
        default=None, max_length=5000, description="the agents who serve the queue; null: every agent"
    )
    max_assignments_per_agent: int | None = Field(
        default=None, ge=1, le=10_000, description="fairness cap: conversations per agent per window"
    )
    fairness_window_seconds: int = Field(default=3600, ge=60, le=MAX_WINDOW_SECONDS)


class QueueOut(QueueIn):
    """A queue as the API shows it."""

    name: str
    configured: bool = Field(description="false for `default` while the tenant has not configured it")
    waiting: int = Field(description="conversations waiting in it now")
    updated_at: datetime | None


@dataclass(frozen=True)
class QueueView:
    """A queue as a routing decision needs it."""

    name: str = DEFAULT_QUEUE
    strategy: Strategy = Strategy.longest_idle
    members: frozenset[str] | None = None
    max_assignments: int | None = None
    window_seconds: int = 3600

    @classmethod
    def of(cls, row: RoutingQueue) -> QueueView:
        """The view of a configured queue."""
        return cls(
            name=row.name,
            strategy=Strategy(row.strategy),
            members=frozenset(row.members) if row.members is not None else None,
            max_assignments=row.max_assignments,
            window_seconds=row.fairness_window_seconds,
        )


def _out(name: str, row: RoutingQueue | None, waiting: int) -> QueueOut:
    if row is None:
        return QueueOut(name=name, configured=False, waiting=waiting, updated_at=None)
    return QueueOut(
        name=row.name,
        strategy=Strategy(row.strategy),
        members=row.members,
        max_assignments_per_agent=row.max_assignments,
        fairness_window_seconds=row.fairness_window_seconds,
        configured=True,
        waiting=waiting,
        updated_at=row.updated_at,
    )


def _check_name(name: str) -> None:
    import re

    if not re.fullmatch(QUEUE_NAME, name):
        raise Unprocessable(
            "a queue name is 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit",
            code="invalid_queue_name",
        )


async def known_queues(uow: UnitOfWork, tenant_id: str) -> set[str]:
    """The names a conversation may wait in: the default and the configured ones."""
    return {DEFAULT_QUEUE, *(row.name for row in await QueueRepository(uow.session).all(tenant_id))}


async def require_queue(uow: UnitOfWork, tenant_id: str, name: str) -> None:
    """Unprocessable unless the queue exists."""
    if name != DEFAULT_QUEUE and await QueueRepository(uow.session).get(tenant_id, name) is None:
        raise Unprocessable(
            f"no queue {name!r}: configure it with PUT /v1/queues/{name}", code="unknown_queue"
        )


async def list_queues(uow: UnitOfWork, *, tenant_id: str) -> list[QueueOut]:
    """Every queue of the tenant, `default` among them, by name."""
    repo = QueueRepository(uow.session)
    rows = {row.name: row for row in await repo.all(tenant_id)}
    waiting = await repo.waiting(tenant_id)
    names = sorted({DEFAULT_QUEUE, *rows})
    return [_out(name, rows.get(name), waiting.get(name, 0)) for name in names]


async def get_queue(uow: UnitOfWork, *, tenant_id: str, name: str) -> QueueOut:
    """One queue; `default` always exists."""
    repo = QueueRepository(uow.session)
    row = await repo.get(tenant_id, name)
    if row is None and name != DEFAULT_QUEUE:
        raise NotFound(f"no queue {name}")
    return _out(name, row, (await repo.waiting(tenant_id)).get(name, 0))


async def put_queue(uow: UnitOfWork, *, tenant_id: str, name: str, data: QueueIn) -> QueueOut:
    """Create or replace a queue's configuration (the caller routes what waits under it next)."""
    _check_name(name)
    repo = QueueRepository(uow.session)
    row = await repo.get(tenant_id, name)
    if row is None:
        if len(await repo.all(tenant_id)) >= MAX_QUEUES:
            raise Conflict(f"a tenant has at most {MAX_QUEUES} queues")
        row = RoutingQueue(tenant_id=tenant_id, name=name, updated_at=now())
    if data.members is not None:
        members = list(dict.fromkeys(data.members))
        known = {agent.id for agent in await AgentRepository(uow.session).by_ids(tenant_id, members)}
        unknown = [agent_id for agent_id in members if agent_id not in known]
        if unknown:
            raise Unprocessable(f"no agents {', '.join(unknown[:10])}", code="unknown_agent")
        row.members = members
    else:
        row.members = None
    row.strategy = data.strategy.value
    row.max_assignments = data.max_assignments_per_agent
    row.fairness_window_seconds = data.fairness_window_seconds
    row.updated_at = now()
    repo.add(row)
    await uow.session.flush()
    return _out(name, row, (await repo.waiting(tenant_id)).get(name, 0))


async def delete_queue(uow: UnitOfWork, *, tenant_id: str, name: str) -> None:
    """Remove a queue: 409 for `default`, for a queue the routing policy names, or one not empty."""
    if name == DEFAULT_QUEUE:
        raise Conflict("every tenant has the default queue; PUT it to change it")
    repo = QueueRepository(uow.session)
    row = await repo.get(tenant_id, name)
    if row is None:
        raise NotFound(f"no queue {name}")
    policy = await RoutingPolicyRepository(uow.session).get(tenant_id)
    if policy is not None and name in {
        policy.escalation_queue,
        *(r["queue"] for r in policy.queue_rules or []),
    }:
        raise Conflict(f"the routing policy sends conversations to {name}; change the policy first")
    if (count := await repo.open_in(tenant_id, name)) > 0:
        raise Conflict(f"{count} open conversations are in {name}; transfer them first")
    await repo.delete(row)


async def views(uow: UnitOfWork, tenant_id: str) -> dict[str, QueueView]:
    """Every configured queue as decisions see it (an unconfigured default is `QueueView()`)."""
    return {row.name: QueueView.of(row) for row in await QueueRepository(uow.session).all(tenant_id)}


class VipIn(BaseModel):
    """A customer to mark VIP, by the channel's id of them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"channel": "x", "customer_id": "783214", "note": "Key account"}]},
    )

    channel: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")
    customer_id: str = Field(min_length=1, max_length=512, description="the channel's id of the person")
    note: str = Field(default="", max_length=500)


class VipOut(VipIn):
    """A VIP entry as the API shows it."""

    id: str
    created_at: datetime


def vip_out(row: VipCustomer) -> VipOut:
    """The API's view of an entry."""
    return VipOut(
        id=row.id, channel=row.channel, customer_id=row.customer_id, note=row.note, created_at=row.created_at
    )


def prioritise(conversation: Conversation, boost: int) -> None:
    """Set the conversation's queue priority: its urgency, plus the boost for a VIP."""
    conversation.priority = conversation.urgency + (boost if conversation.vip else 0)


async def _reflag(uow: UnitOfWork, row: VipCustomer, *, vip: bool, boost: int) -> None:
    tenant_id, channel, customer_id = row.tenant_id, row.channel, row.customer_id
    for conversation in await VipRepository(uow.session).open_conversations(tenant_id, channel, customer_id):
        conversation.vip = vip
        prioritise(conversation, boost)
        uow.session.add(conversation)


async def put_vip(uow: UnitOfWork, *, tenant_id: str, data: VipIn, boost: int) -> tuple[VipCustomer, bool]:
    """Mark a customer VIP (again: the note is replaced); their open conversations move up at once by
    `boost`. Whether the entry is new."""
    repo = VipRepository(uow.session)
    row = await repo.get(tenant_id, data.channel, data.customer_id)
    created = row is None
    if row is None:
        row = VipCustomer(
            id=new_id(),
            tenant_id=tenant_id,
            channel=data.channel,
            customer_id=data.customer_id,
            created_at=now(),
        )
    row.note = data.note
    repo.add(row)
    await _reflag(uow, row, vip=True, boost=boost)
    return row, created


async def list_vips(
    uow: UnitOfWork, *, tenant_id: str, limit: int, cursor: str | None
) -> tuple[Sequence[VipCustomer], str | None]:
    """A page of the tenant's VIP customers."""
    return cut(await VipRepository(uow.session).page(tenant_id, limit=limit + 1, after=cursor), limit)


async def delete_vip(uow: UnitOfWork, *, tenant_id: str, vip_id: str, boost: int) -> None:
    """Unmark a customer; their open conversations lose the boost."""
    repo = VipRepository(uow.session)
    row = await uow.session.get(VipCustomer, vip_id)
    if row is None or row.tenant_id != tenant_id:
        raise NotFound(f"no VIP entry {vip_id}")
    await repo.delete(row)
    await _reflag(uow, row, vip=False, boost=boost)


async def is_vip(uow: UnitOfWork, tenant_id: str, channel: str, customer_id: str) -> bool:
    """Whether the customer is on the tenant's VIP list."""
    return (
        bool(customer_id)
        and await VipRepository(uow.session).get(tenant_id, channel, customer_id) is not None
    )
