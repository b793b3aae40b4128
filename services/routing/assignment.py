"""The routing decision itself, free of I/O: who among a tenant's agents gets a conversation, and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from services.routing.models import Agent, Conversation, Presence, Strategy
from services.routing.policy import DEFAULT_STEPS, PolicyStep, failures, speaks
from services.routing.queues import QueueView

_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Candidate:
    """One agent as a decision saw them: eligible, or the reasons they were not."""

    agent_id: str
    name: str
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    why: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The candidate as stored with the decision."""
        return {
            "agent_id": self.agent_id,
            "name": self.name,
            "eligible": self.eligible,
            "reasons": self.reasons,
            "why": self.why,
        }


@dataclass(frozen=True)
class Decision:
    """The step applied, the agent chosen (None: the conversation waits), why, and every candidate."""

    step: str
    agent: Agent | None
    reason: str
    candidates: list[Candidate]


def capacity_for(agent: Agent, channel: str) -> int:
    """How many open conversations of this channel the agent takes at once."""
    return agent.capacity.get(channel, agent.capacity.get("default", 0))


def used_for(agent: Agent, load: Counter[str], channel: str) -> int:
    """How many of the agent's open conversations count against this channel's capacity."""
    if channel in agent.capacity:
        return load[channel]
    return sum(count for ch, count in load.items() if ch not in agent.capacity or ch == "default")


def _coverage(agent: Agent, required: Sequence[str]) -> tuple[int, int]:
    """Sort key for skill fit: fewest required skills missing, then the highest proficiency sum."""
    missing = sum(1 for key in required if key not in agent.skills)
    return missing, -sum(agent.skills.get(key, 0) for key in required)


def load_ratio(agent: Agent, load: Counter[str]) -> float:
    """The share of the agent's total capacity their open conversations take (1.0 without any)."""
    room = sum(agent.capacity.values())
    return sum(load.values()) / room if room > 0 else 1.0


@dataclass
class Fairness:
    """Assignments per agent in each queue's fairness window, counted as a decision round goes on."""

    recent: dict[int, Counter[str]] = field(default_factory=dict)  # window seconds -> agent -> count

    def capped(self, queue: QueueView, agent_id: str) -> bool:
        """Whether the agent reached the queue's cap."""
        if queue.max_assignments is None:
            return False
        return self.recent.get(queue.window_seconds, Counter())[agent_id] >= queue.max_assignments

    def count(self, agent_id: str) -> None:
        """One more assignment for the agent, in every window."""
        for counts in self.recent.values():
            counts[agent_id] += 1


def _reasons(
    agent: Agent,
    conversation: Conversation,
    loads: dict[str, Counter[str]],
    step: PolicyStep,
    queue: QueueView,
    fairness: Fairness,
) -> list[str]:
    reasons: list[str] = []
    if agent.presence != Presence.available.value:
        reasons.append("presence")
    elif used_for(agent, loads.get(agent.id, Counter()), conversation.channel) >= capacity_for(
        agent, conversation.channel
    ):
        reasons.append("capacity")
    if queue.members is not None and agent.id not in queue.members:
        reasons.append("queue")
    if fairness.capped(queue, agent.id):
        reasons.append("fairness_cap")
    reasons.extend(dict.fromkeys(failures(step.requirement, conversation, agent)))
    return reasons


def _rank(
    eligible: list[Agent],
    conversation: Conversation,
    loads: dict[str, Counter[str]],
    queue: QueueView,
    turn_after: str | None,
) -> list[Agent]:
    """Eligible agents best first, by the queue's strategy (see services.routing.queues)."""
    skills = conversation.skills
    if queue.strategy == Strategy.least_busy:
        return sorted(
            eligible,
            key=lambda a: (
                _coverage(a, skills)[0],
                load_ratio(a, loads.get(a.id, Counter())),
                a.last_assigned_at or _NEVER,
                a.id,
            ),
        )
    if queue.strategy == Strategy.round_robin:
        # In id order, starting after the agent the queue gave the last conversation to.
        return sorted(
            eligible,
            key=lambda a: (_coverage(a, skills)[0], turn_after is not None and a.id <= turn_after, a.id),
        )
    return sorted(eligible, key=lambda a: (_coverage(a, skills), a.last_assigned_at or _NEVER, a.id))


def _why(
    winner: Agent,
    conversation: Conversation,
    loads: dict[str, Counter[str]],
    ranked: Sequence[Agent],
    moment: datetime,
    queue: QueueView,
) -> str:
    covered = [f"{key}({winner.skills[key]})" for key in conversation.skills if key in winner.skills]
    missing = [key for key in conversation.skills if key not in winner.skills]
    if speaks(winner, conversation.language) and conversation.language not in ("", "und"):
        covered.append(conversation.language)
    parts = [f"covers {', '.join(covered)}" if covered else "covers no required skill or language"]
    if missing:
        parts.append(f"lacks {', '.join(missing)}")
    load = loads.get(winner.id, Counter())
    channel = conversation.channel
    parts.append(
        f"has capacity ({used_for(winner, load, channel)}/{capacity_for(winner, channel)} on {channel})"
    )
    idle = (
        f"idle {int((moment - winner.last_assigned_at).total_seconds())} s"
        if winner.last_assigned_at is not None
        else "never assigned"
    )
    runner_up = ranked[1] if len(ranked) > 1 else None
    deciding = 2 if queue.strategy == Strategy.longest_idle else 1  # how much of the fit ranks first
    skills = conversation.skills
    if (
        runner_up is not None
        and _coverage(runner_up, skills)[:deciding] != _coverage(winner, skills)[:deciding]
    ):
        rank = f"best skill coverage of {len(ranked)} eligible"
    elif queue.strategy == Strategy.least_busy:
        rank = f"least busy (load {load_ratio(winner, load):.0%}) of {len(ranked)} eligible"
    elif queue.strategy == Strategy.round_robin:
        rank = f"next in turn of {len(ranked)} eligible"
    else:
        rank = f"longest idle of {len(ranked)} eligible"
    return "; ".join([*parts, f"{idle}, {rank} in queue {queue.name}"])


def back_to(
    conversation: Conversation, agent_id: str, available: Sequence[Agent], loads: dict[str, Counter[str]]
) -> Decision | None:
    """The decision to give a reopened conversation back to the agent who held it, or None when they
    are not available or have no room for it now (then the policy routes it as any other)."""
    agent = next((a for a in available if a.id == agent_id), None)
    if agent is None or agent.presence != Presence.available.value:
        return None
    channel = conversation.channel
    used, room = used_for(agent, loads.get(agent.id, Counter()), channel), capacity_for(agent, channel)
    if used >= room:
        return None
    why = f"reopened: back to the agent who held it; has capacity ({used}/{room} on {channel})"
    candidate = Candidate(agent_id=agent.id, name=agent.name, eligible=True, why=why)
    return Decision(step="last agent", agent=agent, reason=why, candidates=[candidate])


def choose(
    conversation: Conversation,
    agents: Sequence[Agent],
    loads: dict[str, Counter[str]],
    *,
    step: PolicyStep = DEFAULT_STEPS[0],
    moment: datetime | None = None,
    queue: QueueView | None = None,
    fairness: Fairness | None = None,
    turn_after: str | None = None,
) -> Decision:
    """Apply one policy step in the conversation's queue: among its available members with capacity,
    under the fairness cap, who meet the step's requirement, pick the one covering the conversation's
    skills best, then by the queue's strategy (longest idle unless configured; `turn_after` is where
    round robin stands); list why everyone else lost. An agent who handed the conversation on gets it
    again only when no one else can take it.
    """
    moment = moment or datetime.now(UTC)
    queue = queue or QueueView()
    fairness = fairness or Fairness()
    reasons = {agent.id: _reasons(agent, conversation, loads, step, queue, fairness) for agent in agents}
    passed = set(conversation.passed_by)
    if passed and any(not reasons[a.id] and a.id not in passed for a in agents):
        for agent in agents:
            if agent.id in passed and not reasons[agent.id]:
                reasons[agent.id] = ["handed_on"]
    ranked = _rank(
        [agent for agent in agents if not reasons[agent.id]], conversation, loads, queue, turn_after
    )
    winner = ranked[0] if ranked else None
    why = _why(winner, conversation, loads, ranked, moment, queue) if winner is not None else ""
    candidates = [
        Candidate(
            agent_id=agent.id,
            name=agent.name,
            eligible=not reasons[agent.id],
            reasons=reasons[agent.id],
            why=why if agent is winner else None,
        )
        for agent in agents
    ]
    return Decision(step=step.name, agent=winner, reason=why, candidates=candidates)
