"""Two routing instances on one PostgreSQL database never over-assign an agent, never assign a
conversation twice, and never leave a conversation waiting next to a free seat.

Two Runtimes of routing, each with its own engine and pool as two processes have, share the routing
database and a broker. Many tasks per instance at once hand them classified messages through the
consumer path (inbox, `take_message`, `assign_waiting`), flip agents' presence and resolve
conversations, as agents' consoles do through the API; all of it races on one tenant's
`assign_waiting`. The sweep is not started: every assignment is the event-driven one.

What must hold, checked in the database and in the events the outboxes published:
- after every committed step, in one consistent snapshot, no agent holds more open (assigned or
  offered) conversations than their capacity;
- every message opened exactly one conversation, and each was assigned at most once, to the agent
  the database names;
- once the instances are idle, every seat is taken while conversations wait, and nothing is left
  for the sweep; in particular an agent coming back while the other instance opens a conversation
  gets it (neither transaction sees the other's change: the tenant lock must order them);
- no step fails: no deadlock, no serialization error, also when an agent's console says "available"
  again while already available and the other instance routes (set_presence takes the tenant lock
  before it updates the agent, as routing does before it locks the agents).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from google.protobuf.message import Message
from sqlalchemy import TextClause, func, text
from sqlmodel import col, select
from webcare.v1 import common_pb2, conversations_pb2, messages_pb2

from services.kit.auth import KeyStore, Principal, Role
from services.kit.bus.base import Record
from services.kit.bus.memory import MemoryBroker, MemoryBus
from services.kit.db import Database
from services.kit.errors import Conflict
from services.kit.events import decode, encode, new_event, now, timestamp
from services.kit.ids import new_id
from services.kit.migrate import upgrade
from services.kit.runtime import Runtime
from services.kit.uow import OutboxRelay
from services.routing import service
from services.routing.config import RoutingSettings
from services.routing.models import AgentIn, Conversation, Presence, Status
from services.routing.repository import AgentRepository
from services.routing.spec import spec as routing_spec

TENANT = "acme"
SUPERVISOR = Principal(tenant_id=TENANT, role=Role.supervisor, key_id="key-supervisor")
ROUTER_GROUP = "webcare-routing-router"
CHANNEL = "x"
OPEN = (Status.assigned.value, Status.offered.value)
WORKERS = 12  # concurrent tasks per instance

Step = Callable[["Instance"], Coroutine[Any, Any, None]]


@dataclass
class Instance:
    """One routing instance: its runtime and the handler its consumer group runs per record."""

    name: str
    runtime: Runtime
    deliver: Callable[[Record], Awaitable[None]]


@dataclass
class Observed:
    """What the steps ran into: failures, and over-assignments seen after a step."""

    errors: list[str] = field(default_factory=list)
    overfull: list[dict[str, tuple[int, int]]] = field(default_factory=list)
    raced_resolves: int = 0  # resolves another step won first (the API answers 409)


@pytest.fixture
async def instances(pg_database_url: str) -> AsyncIterator[tuple[Instance, Instance]]:
    """Two routing instances on the same routing database and one broker; no sweep, no relay timer."""
    settings = RoutingSettings(database_url=pg_database_url, handler_backoff_seconds=0.01)
    spec = routing_spec()
    broker = MemoryBroker()
    started: list[Instance] = []
    for name in ("a", "b"):
        db = Database(settings.database_url_for(spec.name), pool_size=2 * WORKERS)
        if not started:
            await upgrade(spec, db)
        bus = MemoryBus(broker=broker)
        relay = OutboxRelay(service=spec.name, db=db, bus=bus, interval_seconds=3600)
        runtime = Runtime(spec=spec, settings=settings, bus=bus, db=db, keys=KeyStore(), relay=relay)
        runtime.subscribe()
        (subscription,) = [s for s in bus.subscriptions if s.group == ROUTER_GROUP]
        started.append(Instance(name, runtime, subscription.handler))
    yield started[0], started[1]
    for instance in started:
        await instance.runtime.db.close()


def classified(key: str) -> Record:
    """The record classify publishes for a customer's first message in conversation `key`."""
    event = new_event(
        messages_pb2.MessageClassified,
        tenant_id=TENANT,
        message_id=new_id(),
        message=messages_pb2.MessageReceived(
            channel=CHANNEL,
            conversation_key=key,
            external_id=new_id(),
            occurred_at=timestamp(now()),
            is_public=True,
        ),
        language="de",
        category=common_pb2.Category(primary="question"),
        urgency=2,
    )
    return encode(event, source="classify", key=key)


async def add_agents(instance: Instance, capacities: Sequence[int]) -> dict[str, int]:
    """Available agents with these capacities; their ids and capacities."""
    made: dict[str, int] = {}
    for number, seats in enumerate(capacities):
        data = AgentIn(
            name=f"agent {number}", languages=["de"], capacity={"default": seats}, presence=Presence.available
        )
        async with instance.runtime.unit_of_work() as uow:
            agent = await service.create_agent(uow, tenant_id=TENANT, data=data)
        made[agent.id] = seats
    return made


def message(key: str) -> Step:
    """Deliver the first message of conversation `key` to the instance's consumer."""

    async def step(instance: Instance) -> None:
        await instance.deliver(classified(key))

    return step


def presence(agent_id: str, *states: Presence, console: asyncio.Lock | None = None) -> Step:
    """Set an agent's presence to each state in turn, one API call each, from the agent's console
    (which sends one change at a time)."""

    async def step(instance: Instance) -> None:
        async with console or asyncio.Lock():
            for state in states:
                async with instance.runtime.unit_of_work() as uow:
                    await service.set_presence(uow, principal=SUPERVISOR, agent_id=agent_id, presence=state)

    return step


def resolve(observed: Observed, agent_id: str | None = None) -> Step:
    """Resolve one assigned conversation (of `agent_id`, or anyone's); another step may have won."""

    async def step(instance: Instance) -> None:
        query = select(Conversation.id).where(
            Conversation.tenant_id == TENANT, Conversation.status == Status.assigned.value
        )
        if agent_id is not None:
            query = query.where(Conversation.assignee_id == agent_id)
        async with instance.runtime.db.engine.connect() as conn:
            found = (await conn.execute(query.order_by(func.random()).limit(1))).scalar_one_or_none()
        if found is None:
            return
        try:
            async with instance.runtime.unit_of_work() as uow:
                await service.resolve(uow, principal=SUPERVISOR, conversation_id=found)
        except Conflict:
            observed.raced_resolves += 1

    return step


async def loads(db: Database) -> Counter[str | None]:
    """Open conversations per assignee, in one statement, so in one consistent snapshot."""
    query = (
        select(Conversation.assignee_id, func.count())
        .where(Conversation.tenant_id == TENANT, col(Conversation.status).in_(OPEN))
        .group_by(col(Conversation.assignee_id))
    )
    async with db.engine.connect() as conn:
        return Counter({agent_id: count for agent_id, count in (await conn.execute(query)).all()})


def beyond_capacity(load: Counter[str | None], capacity: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Agents (None: no one) holding more open conversations than they may: (held, capacity)."""
    return {
        str(agent_id): (held, capacity.get(agent_id, 0) if agent_id is not None else 0)
        for agent_id, held in load.items()
        if agent_id is None or held > capacity.get(agent_id, 0)
    }


async def run(
    plan: Sequence[Step], pair: tuple[Instance, Instance], capacity: dict[str, int], observed: Observed
) -> None:
    """Run the steps alternately on both instances, WORKERS at once on each; after every step, look
    at the committed state for over-assignment."""
    todo = {instance.name: deque[Step]() for instance in pair}
    for number, step in enumerate(plan):
        todo[pair[number % 2].name].append(step)

    async def worker(instance: Instance) -> None:
        mine = todo[instance.name]
        while mine:
            step = mine.popleft()
            try:
                await step(instance)
            except Exception as exc:  # noqa: BLE001 - every failure is reported by the test
                observed.errors.append(f"{instance.name}: {exc!r}")
            over = beyond_capacity(await loads(instance.runtime.db), capacity)
            if over:
                observed.overfull.append(over)

    await asyncio.gather(*(worker(instance) for instance in pair for _ in range(WORKERS)))


async def conversations(db: Database) -> list[Conversation]:
    """Every conversation of the tenant."""
    async with db.sessions() as session:
        return list((await session.exec(select(Conversation).where(Conversation.tenant_id == TENANT))).all())


async def published(pair: tuple[Instance, Instance]) -> list[Message]:
    """Every event both instances published, once their outboxes are empty."""
    for instance in pair:
        await instance.runtime.relay.flush()
        assert await instance.runtime.relay.pending() == 0
    bus = pair[0].runtime.bus
    assert isinstance(bus, MemoryBus)
    records = [record for parts in bus.broker.logs.values() for part in parts for record in part]
    return [event for event in map(decode, records) if event is not None]


async def left_for_the_sweep(instance: Instance) -> int:
    """How many waiting conversations one more routing pass assigns (event-driven routing: none)."""
    async with instance.runtime.unit_of_work() as uow:
        return await service.assign_waiting(uow, tenant_id=TENANT)


async def test_two_instances_under_heavy_contention_never_over_assign_nor_assign_twice(
    instances: tuple[Instance, Instance],
) -> None:
    a, b = instances
    capacity = await add_agents(a, [1] * 14 + [2] * 6)
    agents = sorted(capacity)
    consoles = {agent: asyncio.Lock() for agent in agents}
    rng = random.Random(7)
    observed = Observed()
    keys = [f"{CHANNEL}:customer-{number}" for number in range(200)]
    plan: list[Step] = []
    for number, key in enumerate(keys):
        plan.append(message(key))
        # An agent steps away and comes back; "available" said again while available is the last
        # test's subject.
        if number % 3 == 0:
            agent = rng.choice(agents)
            plan.append(presence(agent, Presence.away, Presence.available, console=consoles[agent]))
        if number % 2 == 0:
            plan.append(resolve(observed))

    await run(plan, instances, capacity, observed)

    assert observed.errors == []
    assert observed.overfull == []
    assert await loads(b.runtime.db) == Counter(capacity)  # every seat taken, each once
    assert await left_for_the_sweep(b) == 0
    rows = await conversations(a.runtime.db)
    assert sorted(row.conversation_key for row in rows) == sorted(keys)  # one each: none lost
    for row in rows:
        assert (row.status == Status.waiting.value) == (row.assignee_id is None), row
    events = await published(instances)
    opened = Counter(e.conversation_id for e in events if isinstance(e, conversations_pb2.ConversationOpened))
    assert opened == Counter({row.id: 1 for row in rows})
    assigned = [e for e in events if isinstance(e, conversations_pb2.ConversationAssigned)]
    twice = [c for c, times in Counter(e.conversation_id for e in assigned).items() if times > 1]
    assert twice == []
    assert {e.conversation_id: e.agent_id for e in assigned} == {
        row.id: row.assignee_id for row in rows if row.assignee_id is not None
    }
    resolved = {e.conversation_id for e in events if isinstance(e, conversations_pb2.ConversationResolved)}
    assert resolved == {row.id for row in rows if row.status == Status.resolved.value}
    assert len(resolved) > 50  # seats were freed all along, while messages came in
    waiting = [row for row in rows if row.status == Status.waiting.value]
    assert len(waiting) == len(keys) - len(resolved) - sum(capacity.values())


# Locks of this test's database that PostgreSQL holds or waits for right now (not a snapshot).
OPENING_A_CONVERSATION = text(
    "SELECT count(*) FROM pg_locks WHERE relation = 'conversations'::regclass"
    " AND mode = 'RowExclusiveLock' AND granted"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)
WAITING_FOR_THE_TENANT_LOCK = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


async def until_locks_show(db: Database, query: TextClause) -> None:
    """Return once PostgreSQL's lock table shows a lock `query` counts: a transaction got that far."""
    async with asyncio.timeout(10), db.engine.connect() as conn:
        while not (await conn.execute(query)).scalar_one():
            pass


async def test_an_agent_coming_back_while_the_other_instance_opens_a_conversation_gets_it(
    instances: tuple[Instance, Instance],
) -> None:
    a, b = instances
    capacity = await add_agents(a, [1] * 6)
    agents = sorted(capacity)
    for agent in agents:
        await presence(agent, Presence.away)(a)

    for agent in agents:
        # No one is available and no one waits. B has inserted a new conversation and not yet
        # committed when the agent comes back on A: neither sees the other's change before it
        # commits, so the tenant lock must order them for one of the two to assign it.
        arriving = asyncio.create_task(message(f"{CHANNEL}:for-{agent}")(b))
        await until_locks_show(a.runtime.db, OPENING_A_CONVERSATION)
        await presence(agent, Presence.available)(a)
        await arriving

        load = await loads(b.runtime.db)
        waiting = [row.id for row in await conversations(b.runtime.db) if row.status == Status.waiting.value]
        assert (load, waiting) == (Counter([agent]), []), "the conversation waits next to a free agent"
        await presence(agent, Presence.away)(b)
        await resolve(Observed(), agent)(b)


async def test_an_agent_saying_available_again_while_the_other_instance_routes_deadlocks_nothing(
    instances: tuple[Instance, Instance],
) -> None:
    a, b = instances
    (agent,) = await add_agents(a, [1])
    routing_started = asyncio.Event()

    async def routing_on_b() -> None:
        async with b.runtime.unit_of_work() as uow:
            await AgentRepository(uow.session).lock_tenant(TENANT)  # assign_waiting's first step
            routing_started.set()
            await until_locks_show(b.runtime.db, WAITING_FOR_THE_TENANT_LOCK)  # the console's change
            await service.assign_waiting(uow, tenant_id=TENANT)

    async def console_on_a() -> None:  # the agent's console says "available" again
        await routing_started.wait()
        await presence(agent, Presence.available)(a)

    outcomes = await asyncio.gather(routing_on_b(), console_on_a(), return_exceptions=True)

    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    if failures:
        raise failures[0]
    async with a.runtime.unit_of_work() as uow:
        assert (await service.get_agent(uow, tenant_id=TENANT, agent_id=agent)).presence == "available"
