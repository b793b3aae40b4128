"""The routing decision itself, free of I/O: who among the available agents gets a conversation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from services.routing.models import Agent, Conversation

_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Decision:
    """The agent chosen for a conversation, and why."""

    agent: Agent
    reason: str


def capacity_for(agent: Agent, channel: str) -> int:
    """How many open conversations of this channel the agent takes at once."""
    return agent.capacity.get(channel, agent.capacity.get("default", 0))


def used_for(agent: Agent, load: Counter[str], channel: str) -> int:
    """How many of the agent's open conversations count against this channel's capacity."""
    if channel in agent.capacity:
        return load[channel]
    return sum(count for ch, count in load.items() if ch not in agent.capacity or ch == "default")


def speaks(agent: Agent, language: str) -> bool:
    """Whether the agent can answer in the conversation's language (unknown language: everyone)."""
    return language in ("", "und") or language in agent.languages


def choose(
    conversation: Conversation, agents: Sequence[Agent], loads: dict[str, Counter[str]]
) -> Decision | None:
    """The longest-idle available agent who speaks the language and has free capacity, or None."""
    eligible = [
        agent
        for agent in agents
        if speaks(agent, conversation.language)
        and used_for(agent, loads.get(agent.id, Counter()), conversation.channel)
        < capacity_for(agent, conversation.channel)
    ]
    if not eligible:
        return None
    winner = min(eligible, key=lambda a: (a.last_assigned_at or _NEVER, a.id))
    load = loads.get(winner.id, Counter())
    reason = (
        f"speaks {conversation.language}, has capacity "
        f"({used_for(winner, load, conversation.channel)}/{capacity_for(winner, conversation.channel)} "
        f"on {conversation.channel}), longest idle of {len(eligible)} eligible"
    )
    return Decision(agent=winner, reason=reason)
