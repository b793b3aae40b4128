"""Routing decisions and assignments per second through one routing instance on PostgreSQL.

Run with `make bench-routing` (starts PostgreSQL when needed). One tenant with `--agents` agents
(default 1,000: one to three languages, two to six of 30 skills, capacity 10 each, all available)
and `--conversations` waiting conversations (default 10,000: mostly German and English, zero to
two skills, urgency 1 to 5, waiting for up to an hour) in a database of its own. The routing
service's own `assign_waiting` then runs in units of work until nothing more can be assigned, twice,
each time on a fresh database: as the sweep drains a backlog (the whole queue per unit of work, 1,000
conversations at a time), and as the event-driven path does (the head of the queue, 200 per unit of
work). Every assignment is written with its decision and its `ConversationAssigned` event, and
committed; the run checks that no agent ended over capacity and that every assignment was published.

The last line printed is JSON: `decision_p99_ms` (and p50, max) is one routing decision, i.e. one
conversation judged against every agent of the tenant (`Round.decide`); `assignments_per_s` is
conversations assigned per second of wall time of the whole loop, commits included; both for the
backlog, and `head_decision_p99_ms`, `head_assignments_per_s` for the event-driven path. No contact
center engine publishes such figures, so there is no baseline to run beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

import asyncpg
from benchkit import percentile
from sqlalchemy import func, insert, select, text
from sqlmodel import col
from webcare.v1 import conversations_pb2

from services.kit.auth import KeyStore
from services.kit.bus.memory import MemoryBus
from services.kit.db import Database, outbox
from services.kit.events import CONVERSATION_EVENTS, decode, now
from services.kit.ids import new_id
from services.kit.migrate import upgrade
from services.kit.runtime import Runtime
from services.kit.uow import OutboxRelay
from services.routing import assignment, service
from services.routing.config import RoutingSettings
from services.routing.models import Agent, Conversation, Status
from services.routing.spec import spec as routing_spec

TENANT = "bench"
SKILLS = [f"skill-{number:02d}" for number in range(30)]
LANGUAGES = ["de", "en", "fr", "it", "tr"]
CHANNELS = [("x", True), ("facebook", True), ("facebook", False), ("whatsapp", False), ("email", False)]
CAPACITY = 10


def log(message: str) -> None:
    print(f"bench-routing: {message}", file=sys.stderr, flush=True)


def agents(count: int, rng: random.Random) -> list[dict[str, Any]]:
    moment = now()
    rows = []
    for number in range(count):
        languages = sorted({rng.choice(["de", "de", "en"]), *rng.sample(LANGUAGES, rng.randint(0, 2))})
        rows.append(
            {
                "id": new_id(),
                "tenant_id": TENANT,
                "name": f"Agent {number}",
                "languages": languages,
                "skills": {key: rng.randint(1, 10) for key in rng.sample(SKILLS, rng.randint(2, 6))},
                "capacity": {"default": CAPACITY},
                "presence": "available",
                "presence_changed_at": moment,
                "last_seen_at": moment,
                "created_at": moment,
            }
        )
    return rows


def conversations(count: int, rng: random.Random) -> list[dict[str, Any]]:
    moment = now()
    rows = []
    for number in range(count):
        channel, public = rng.choice(CHANNELS)
        urgency = rng.choice([1, 2, 2, 2, 3, 3, 4, 5])
        opened = moment - timedelta(seconds=rng.randint(0, 3600))
        rows.append(
            {
                "id": new_id(),
                "tenant_id": TENANT,
                "conversation_key": f"{channel}:{number}",
                "channel": channel,
                "customer": {"external_id": f"customer-{number}"},
                "customer_id": f"customer-{number}",
                "is_public": public,
                "language": rng.choice(["de", "de", "de", "en", "en", "fr"]),
                "category": rng.choice(["question", "complaint", "question", "lead"]),
                "urgency": urgency,
                "priority": urgency,
                "skills": rng.sample(SKILLS, rng.randint(0, 2)),
                "status": Status.waiting.value,
                "opened_at": opened,
                "waiting_since": opened,
                "last_message_at": opened,
                "first_response_due_at": opened + timedelta(minutes=30 if not public else 60),
                "passed_by": [],
            }
        )
    return rows


def timed(durations: list[float]) -> Callable[..., Any]:
    """Round.decide, recording how long each decision takes."""
    decide = assignment.Round.decide

    @wraps(decide)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter_ns()
        try:
            return decide(*args, **kwargs)
        finally:
            durations.append((time.perf_counter_ns() - started) / 1e6)

    return wrapper


async def run(
    database_url: str, agent_count: int, conversation_count: int, depth: int | None
) -> dict[str, Any]:
    rng = random.Random(7)
    settings = RoutingSettings(database_url=database_url)
    spec = routing_spec()
    db = Database(settings.database_url_for(spec.name))
    try:
        await upgrade(spec, db)
        bus = MemoryBus()
        relay = OutboxRelay(service=spec.name, db=db, bus=bus, interval_seconds=3600)
        runtime = Runtime(spec=spec, settings=settings, bus=bus, db=db, keys=KeyStore(), relay=relay)
        async with db.engine.begin() as conn:
            await conn.execute(insert(Agent.__table__), agents(agent_count, rng))  # type: ignore[attr-defined]
            rows = conversations(conversation_count, rng)
            for start in range(0, len(rows), 1000):
                await conn.execute(insert(Conversation.__table__), rows[start : start + 1000])  # type: ignore[attr-defined]
            await conn.execute(text("ANALYZE"))
        log(f"seeded {agent_count} agents, {conversation_count} waiting conversations")

        durations: list[float] = []
        decide = assignment.Round.decide
        assignment.Round.decide = timed(durations)  # type: ignore[method-assign]
        assigned, calls = 0, 0
        started = time.perf_counter()
        while True:
            async with runtime.unit_of_work() as uow:
                given = await service.assign_waiting(uow, tenant_id=TENANT, depth=depth)
            calls += 1
            assigned += given
            if given == 0:
                break
        seconds = time.perf_counter() - started
        assignment.Round.decide = decide  # type: ignore[method-assign]
        log(f"{assigned} assigned in {seconds:.2f} s over {calls} units of work, {len(durations)} decisions")

        async with db.engine.connect() as conn:
            over = (
                await conn.execute(
                    select(col(Conversation.assignee_id), func.count())
                    .where(
                        col(Conversation.tenant_id) == TENANT,
                        col(Conversation.status) == Status.assigned.value,
                    )
                    .group_by(col(Conversation.assignee_id))
                    .having(func.count() > CAPACITY)
                )
            ).all()
            holders = dict(
                (
                    await conn.execute(
                        select(col(Conversation.id), col(Conversation.assignee_id)).where(
                            col(Conversation.tenant_id) == TENANT,
                            col(Conversation.status) == Status.assigned.value,
                        )
                    )
                ).all()
            )
            waiting_in_outbox = (await conn.execute(select(func.count()).select_from(outbox))).scalar_one()
        await relay.flush()  # what the commits left in the outbox, if anything
        published = [decode(r) for part in bus.broker.partitions(CONVERSATION_EVENTS) for r in part]
        announced = [
            (event.conversation_id, event.agent_id)
            for event in published
            if isinstance(event, conversations_pb2.ConversationAssigned)
        ]
        log(
            f"{len(announced)} ConversationAssigned published"
            f" ({waiting_in_outbox} left in the outbox after the loop)"
        )
        # Every conversation assigned: one holder in the database, announced once, to that holder.
        unheld = [key for key, agent in holders.items() if agent is None]
        if over or unheld or len(holders) != assigned or sorted(announced) != sorted(holders.items()):
            raise SystemExit(
                f"wrong: over capacity {over}, without an assignee {len(unheld)}, assigned {assigned},"
                f" rows {len(holders)}, events {len(announced)}"
                f" ({len(set(announced) ^ set(holders.items()))} differ)"
            )
        return {
            "decision_p99_ms": round(percentile(durations, 0.99), 3),
            "assignments_per_s": round(assigned / seconds, 1),
            "decision_p50_ms": round(statistics.median(durations), 3),
            "decision_max_ms": round(max(durations), 3),
            "decisions": len(durations),
            "assigned": assigned,
            "agents": agent_count,
            "waiting": conversation_count,
            "seconds": round(seconds, 2),
            "units_of_work": calls,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "goal_met": percentile(durations, 0.99) <= 5.0 and assigned / seconds >= 1000,
        }
    finally:
        await db.close()


async def fresh_run(
    admin_url: str, agent_count: int, conversation_count: int, depth: int | None
) -> dict[str, Any]:
    """One run on a database of its own, dropped afterwards."""
    name = f"bench_routing_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        return await run(f"{base}/{name}", agent_count, conversation_count, depth)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--conversations", type=int, default=10000)
    args = parser.parse_args()
    admin_url = os.environ["WEBCARE_TEST_PG_URL"]
    log("backlog: the whole queue per unit of work, as the sweep routes it")
    backlog = await fresh_run(admin_url, args.agents, args.conversations, None)
    log(f"backlog: {json.dumps(backlog)}")
    log("head: 200 at the head of the queue per unit of work, as an event routes it")
    head = await fresh_run(admin_url, args.agents, args.conversations, service.BATCH)
    log(f"head: {json.dumps(head)}")
    figures = {
        **backlog,
        "head_decision_p99_ms": head["decision_p99_ms"],
        "head_assignments_per_s": head["assignments_per_s"],
        "head_decision_p50_ms": head["decision_p50_ms"],
        "head_units_of_work": head["units_of_work"],
        "goal_met": backlog["goal_met"],
    }
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
