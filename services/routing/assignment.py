"""The routing decision itself, free of I/O: who among a tenant's agents gets a conversation, and why.

A decision looks at every agent of the tenant, so it works on plain snapshots (`Staff`, `Case`) rather
than on ORM rows, whose attribute access costs a hundred times more; and one round of decisions
(`Round`) evaluates a step's requirement once per kind of conversation, not once per conversation.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from services.routing.models import (
    LIST_ALL,
    PER_REASON,
    TOTAL,
    Agent,
    Conversation,
    Presence,
    Strategy,
    kind_of,
)
from services.routing.policy import DEFAULT_STEPS, PolicyStep, Requirement, describe, holds, reads, speaks
from services.routing.queues import QueueView

_NEVER = datetime.min.replace(tzinfo=UTC)

# An agent's open conversations by (channel, kind): capacity is given per channel, per kind, or both.
Load = Counter[tuple[str, str]]
RUNNERS_UP = 10  # eligible agents listed, best first, when a team is sampled


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
    """The step applied, the agent chosen (None: the conversation waits), why, and the candidates:
    every agent of a team up to `LIST_ALL`, else a sample; `excluded` counts every agent per reason."""

    step: str
    agent: Agent | None
    reason: str
    candidates: list[Candidate]
    considered: int = 0
    excluded: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Staff:
    """An agent as decisions read them: a snapshot of the row, and the row to write back to."""

    id: str
    name: str
    skills: dict[str, int]
    languages: frozenset[str]
    capacity: dict[str, int]
    channels: frozenset[str] | None  # the channels they serve; None: every channel
    available: bool
    last_assigned_at: datetime | None
    row: Agent

    @classmethod
    def of(cls, agent: Agent) -> Staff:
        """The snapshot of an agent."""
        return cls(
            id=agent.id,
            name=agent.name,
            skills=dict(agent.skills),
            languages=frozenset(agent.languages),
            capacity=dict(agent.capacity),
            channels=frozenset(agent.channels) if agent.channels is not None else None,
            available=agent.presence == Presence.available.value,
            last_assigned_at=agent.last_assigned_at,
            row=agent,
        )


@dataclass(slots=True, frozen=True)
class Case:
    """A conversation as decisions read it."""

    id: str
    channel: str
    room: str  # the channel kind it counts against: see kind_of
    language: str
    category: str
    urgency: int
    skills: tuple[str, ...]
    vip: bool
    last_agent_id: str | None
    passed_by: frozenset[str]
    customer: dict[str, Any]

    @classmethod
    def of(cls, conversation: Conversation) -> Case:
        """The snapshot of a conversation."""
        return cls(
            id=conversation.id,
            channel=conversation.channel,
            room=kind_of(conversation.channel, conversation.is_public),
            language=conversation.language,
            category=conversation.category,
            urgency=conversation.urgency,
            skills=tuple(conversation.skills),
            vip=conversation.vip,
            last_agent_id=conversation.last_agent_id,
            passed_by=frozenset(conversation.passed_by),
            customer=conversation.customer,
        )

    def shape(self, facts: Sequence[str]) -> tuple[Any, ...]:
        """The conversation's values of these facts (see policy.reads); the channel always, since
        agents serve some channels only."""
        values: list[Any] = [self.channel]
        for fact in facts:
            if fact.startswith("customer."):
                values.append(repr(self.customer.get(fact.removeprefix("customer."))))
            else:
                values.append(getattr(self, fact))
        return tuple(values)


def _bucket(capacity: dict[str, int], channel: str, kind: str) -> str:
    """The capacity entry a conversation counts against: its channel's, its kind's, or `default`."""
    return channel if channel in capacity else kind if kind in capacity else "default"


def room(agent: Agent | Staff, load: Load, channel: str, kind: str) -> tuple[int, int]:
    """How many of the agent's open conversations count against the entry this one would, and the
    entry's capacity (0 when neither the channel, its kind nor `default` is given)."""
    key = _bucket(agent.capacity, channel, kind)
    used = sum(count for (ch, k), count in load.items() if _bucket(agent.capacity, ch, k) == key)
    return used, agent.capacity.get(key, 0)


def has_room(agent: Agent | Staff, load: Load, channel: str, kind: str) -> bool:
    """Whether the agent can take another conversation of this channel and kind: under its entry's
    capacity, and under the agent's `total` if one is set."""
    used, capacity = room(agent, load, channel, kind)
    total = agent.capacity.get(TOTAL)
    return used < capacity and (total is None or sum(load.values()) < total)


def capacity_text(agent: Agent | Staff, load: Load, channel: str, kind: str) -> str:
    """The agent's room for a conversation as an explanation shows it: "(1/5 on x, 3/8 in total)"."""
    used, capacity = room(agent, load, channel, kind)
    text = f"({used}/{capacity} on {_bucket(agent.capacity, channel, kind)}"
    if (total := agent.capacity.get(TOTAL)) is not None:
        text += f", {sum(load.values())}/{total} in total"
    return text + ")"


def room_somewhere(agent: Agent | Staff, load: Load) -> bool:
    """Whether the agent has room for a conversation of at least one channel or kind."""
    total = agent.capacity.get(TOTAL)
    if total is not None and sum(load.values()) >= total:
        return False
    used: Counter[str] = Counter()
    for (channel, kind), count in load.items():
        used[_bucket(agent.capacity, channel, kind)] += count
    return any(used[key] < capacity for key, capacity in agent.capacity.items() if key != TOTAL)


def load_ratio(agent: Staff, load: Load) -> float:
    """The share of the agent's capacity their open conversations take: of `total` when set, else of
    the sum of the entries (1.0 without any)."""
    capacity = agent.capacity.get(TOTAL) or sum(v for k, v in agent.capacity.items() if k != TOTAL)
    return sum(load.values()) / capacity if capacity > 0 else 1.0


def _coverage(agent: Staff, required: Sequence[str]) -> tuple[int, int]:
    """Sort key for skill fit: fewest required skills missing, then the highest proficiency sum."""
    missing = sum(1 for key in required if key not in agent.skills)
    return missing, -sum(agent.skills.get(key, 0) for key in required)


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


Failing = dict[str, frozenset[int]]  # reason -> the agents (indices) failing for it, in reading order


@dataclass(frozen=True)
class _Met:
    """How the agents meet one step's requirement for one kind of conversation."""

    ok: frozenset[int]  # indices of the agents who meet it
    failing: Failing

    def reasons_of(self, index: int) -> list[str]:
        """Why one agent does not meet it, in the order the requirement reads (empty: they do)."""
        return [reason for reason, agents in self.failing.items() if index in agents]

    @property
    def counts(self) -> Counter[str]:
        """How many agents fail for each reason."""
        return Counter({reason: len(agents) for reason, agents in self.failing.items()})


class Round:
    """Decisions over one tenant's agents in one transaction.

    Snapshots are taken once; each step's requirement is evaluated once per kind of conversation;
    who has room per channel and who reached a fairness cap are kept as sets, updated as agents are
    given conversations. A decision then intersects sets and ranks only the eligible agents, and
    works out the reasons of just the agents it lists.
    """

    def __init__(
        self,
        agents: Sequence[Agent],
        loads: dict[str, Load],
        *,
        fairness: Fairness | None = None,
    ) -> None:
        self.staff = [Staff.of(agent) for agent in agents]
        self.loads = loads
        self.fairness = fairness or Fairness()
        self._index = {staff.id: index for index, staff in enumerate(self.staff)}
        self._available = frozenset(i for i, staff in enumerate(self.staff) if staff.available)
        self._everyone = frozenset(range(len(self.staff)))
        # Agents by skill, longest idle first, and load ratios: kept up to date as agents are given work.
        skilled: dict[str, set[int]] = {}
        for index, staff in enumerate(self.staff):
            for key in staff.skills:
                skilled.setdefault(key, set()).add(index)
        self._skilled = {key: frozenset(indices) for key, indices in skilled.items()}
        self._idle = sorted(
            range(len(self.staff)), key=lambda i: (self.staff[i].last_assigned_at or _NEVER, self.staff[i].id)
        )
        self._ratios: dict[int, float] = {}
        speakers: dict[str, set[int]] = {}
        for index, staff in enumerate(self.staff):
            for code in staff.languages:
                speakers.setdefault(code, set()).add(index)
        self._speakers = {code: frozenset(indices) for code, indices in speakers.items()}
        self._serves: dict[str, frozenset[int]] = {}  # channel -> agents who serve it
        self._absent = self._everyone - self._available
        self._reads: dict[str, tuple[str, ...]] = {}  # step -> what its requirement reads
        self._met: dict[tuple[str, tuple[Any, ...]], _Met] = {}  # (step, conversation shape) -> who meets it
        self._free: dict[tuple[str, str], set[int]] = {}  # (channel, kind) -> agents with room
        self._members: dict[frozenset[str], frozenset[int]] = {}
        self._capped: dict[tuple[int, int], set[int]] = {}  # (window, cap) -> agents at the cap

    def _load(self, staff: Staff) -> Load:
        return self.loads.setdefault(staff.id, Counter())

    def _has_room(self, index: int, place: tuple[str, str]) -> bool:
        staff = self.staff[index]
        return has_room(staff, self._load(staff), *place)

    def _requirement(self, step: PolicyStep, case: Case) -> _Met:
        facts = self._reads.get(step.name)
        if facts is None:
            facts = self._reads[step.name] = reads(step.requirement)
        key = (step.name, case.shape(facts))
        met = self._met.get(key)
        if met is None:
            failing: Failing = {}
            elsewhere = self._everyone - self._serving(case.channel)
            if elsewhere:
                failing["channel"] = elsewhere
            _merge(failing, self._failing(step.requirement, case))
            met = _Met(ok=self._everyone.difference(*failing.values()), failing=failing)
            self._met[key] = met
        return met

    def _serving(self, channel: str) -> frozenset[int]:
        serving = self._serves.get(channel)
        if serving is None:
            serving = frozenset(
                i for i, s in enumerate(self.staff) if s.channels is None or channel in s.channels
            )
            self._serves[channel] = serving
        return serving

    def _failing(self, requirement: Requirement, case: Case) -> Failing:
        """Who fails a requirement for this conversation, and why: `policy.failures` for every agent at
        once, on sets (so its reasons come out alike, in the same order)."""
        everyone = self._everyone
        if "all" in requirement:
            found: Failing = {}
            for item in requirement["all"]:
                _merge(found, self._failing(item, case))
            return found
        if "any" in requirement:
            parts = [self._failing(item, case) for item in requirement["any"]]
            held = frozenset().union(*(everyone.difference(*part.values()) for part in parts))
            failing_all = everyone - held
            found = {}
            for part in parts:
                _merge(found, {reason: agents & failing_all for reason, agents in part.items()})
            unexplained = failing_all.difference(*found.values())
            if unexplained:
                found[f"requirement: {describe(requirement)}"] = unexplained
            return {reason: agents for reason, agents in found.items() if agents}
        if "not" in requirement:
            inner = self._failing(requirement["not"], case)
            held = everyone.difference(*inner.values())
            return {f"requirement: {describe(requirement)}": held} if held else {}
        if "skills" in requirement or "skill" in requirement:
            level = requirement.get("min_proficiency", 1)
            keys = case.skills if "skills" in requirement else (requirement["skill"],)
            found = {}
            for key in keys:
                able = frozenset(i for i in self._skilled.get(key, ()) if self.staff[i].skills[key] >= level)
                if able != everyone:
                    found[f"skill:{key}"] = everyone - able
            return found
        if "language" in requirement:
            code = requirement["language"]
            if code == "conversation" and case.language in ("", "und"):
                return {}
            speakers = self._speakers.get(case.language if code == "conversation" else code, frozenset())
            return {"language": everyone - speakers} if speakers != everyone else {}
        if "last_agent" in requirement:
            if case.last_agent_id is None:
                return {}
            last = (
                frozenset([self._index[case.last_agent_id]])
                if case.last_agent_id in self._index
                else frozenset()
            )
            return {f"requirement: {describe(requirement)}": everyone - last} if last != everyone else {}
        # The rest read the conversation alone: everyone meets them, or no one.
        return {} if holds(requirement, case) else {f"requirement: {describe(requirement)}": everyone}

    def _free_for(self, place: tuple[str, str]) -> set[int]:
        free = self._free.get(place)
        if free is None:
            free = {i for i in self._available if self._has_room(i, place)}
            self._free[place] = free
        return free

    def _members_of(self, queue: QueueView) -> frozenset[int] | None:
        if queue.members is None:
            return None
        members = self._members.get(queue.members)
        if members is None:
            members = frozenset(self._index[a] for a in queue.members if a in self._index)
            self._members[queue.members] = members
        return members

    def _capped_in(self, queue: QueueView) -> set[int]:
        if queue.max_assignments is None:
            return set()
        key = (queue.window_seconds, queue.max_assignments)
        capped = self._capped.get(key)
        if capped is None:
            capped = {self._index[a] for a in self._index if self.fairness.capped(queue, a)}
            self._capped[key] = capped
        return capped

    def decide(
        self,
        conversation: Conversation,
        *,
        step: PolicyStep = DEFAULT_STEPS[0],
        moment: datetime | None = None,
        queue: QueueView | None = None,
        turn_after: str | None = None,
    ) -> Decision:
        """Apply one policy step in the conversation's queue: among its available members with capacity,
        under the fairness cap, who meet the step's requirement, pick the one covering the conversation's
        skills best, then by the queue's strategy (longest idle unless configured; `turn_after` is where
        round robin stands). An agent who handed the conversation on gets it again only when no one
        else can take it."""
        moment = moment or datetime.now(UTC)
        queue = queue or QueueView()
        case = Case.of(conversation)
        met = self._requirement(step, case)
        free = self._free_for((case.channel, case.room))
        members = self._members_of(queue)
        capped = self._capped_in(queue)
        eligible = set(met.ok & free)
        if members is not None:
            eligible &= members
        eligible -= capped
        handed: set[int] = set()
        if case.passed_by:
            passed = {self._index[a] for a in case.passed_by if a in self._index}
            if eligible - passed:
                handed = eligible & passed
                eligible -= passed
        ranked = self._rank(eligible, case, queue, turn_after)
        winner = ranked[0] if ranked else None
        why = _why(winner, case, self.loads, ranked, len(eligible), moment, queue) if winner else ""
        groups = {
            "presence": self._absent,
            "capacity": self._available - free,
            "queue": self._everyone - members if members is not None else frozenset(),
            "fairness_cap": capped,
            "handed_on": handed,
        }
        excluded = Counter({reason: len(group) for reason, group in groups.items() if group})
        excluded.update(met.counts)

        def reasons_of(index: int) -> list[str]:
            found = [reason for reason in ("presence", "capacity") if index in groups[reason]]
            found += [reason for reason in ("queue", "fairness_cap") if index in groups[reason]]
            return found + met.reasons_of(index) + (["handed_on"] if index in handed else [])

        if len(self.staff) <= LIST_ALL:
            listed = list(range(len(self.staff)))
        else:  # the best eligible, then a few agents of each reason of exclusion
            seen: set[int] = set(eligible)  # each agent sampled under their first reason only
            shown: set[int] = set()
            for group in [*groups.values(), self._everyone - met.ok]:
                shown.update(heapq.nsmallest(PER_REASON, group - seen))
                seen |= group
            listed = [self._index[a.id] for a in ranked] + sorted(shown)
        candidates = [
            Candidate(
                agent_id=self.staff[i].id,
                name=self.staff[i].name,
                eligible=i in eligible,
                reasons=[] if i in eligible else reasons_of(i),
                why=why if winner is not None and self.staff[i] is winner else None,
            )
            for i in listed
        ]
        return Decision(
            step=step.name,
            agent=winner.row if winner else None,
            reason=why,
            candidates=candidates,
            considered=len(self.staff),
            excluded=dict(excluded),
        )

    def _rank(self, eligible: set[int], case: Case, queue: QueueView, turn_after: str | None) -> list[Staff]:
        """The best eligible agents, best first (at most `RUNNERS_UP`): those with the fewest of the
        conversation's skills missing, by the queue's strategy (longest idle: the highest proficiency
        first, then idle time); then, if they are fewer, other eligible agents by idle time."""
        tier = self._best_fit(eligible, case.skills)
        staff = self.staff
        if queue.strategy == Strategy.least_busy:
            ratio = self._ratio
            top = heapq.nsmallest(
                RUNNERS_UP, tier, key=lambda i: (ratio(i), staff[i].last_assigned_at or _NEVER, staff[i].id)
            )
        elif queue.strategy == Strategy.round_robin:  # in id order, after the queue's last agent
            ordered = sorted(tier)  # agents are in id order
            turn = next(
                (p for p, i in enumerate(ordered) if turn_after is None or staff[i].id > turn_after), 0
            )
            top = (ordered[turn:] + ordered[:turn])[:RUNNERS_UP]
        elif tier is not eligible:  # some have the skills: the highest proficiency, then idle time
            skills = case.skills
            top = heapq.nsmallest(
                RUNNERS_UP,
                tier,
                key=lambda i: (
                    -sum(staff[i].skills.get(key, 0) for key in skills),
                    staff[i].last_assigned_at or _NEVER,
                    staff[i].id,
                ),
            )
        else:
            top = self._idlest(tier, RUNNERS_UP)
        if len(top) < RUNNERS_UP and len(tier) < len(eligible):
            top += self._idlest(eligible - tier, RUNNERS_UP - len(top))
        return [staff[i] for i in top]

    def _best_fit(self, eligible: set[int], skills: Sequence[str]) -> set[int]:
        """The eligible agents missing the fewest of these skills (`eligible` itself when there are no
        skills or nobody has any)."""
        if not skills:
            return eligible
        has: Counter[int] = Counter()
        for key in skills:
            has.update(self._skilled.get(key, frozenset()) & eligible)
        if not has:
            return eligible
        best = max(has.values())
        return {i for i, count in has.items() if count == best}

    def _idlest(self, among: set[int], count: int) -> list[int]:
        """Up to `count` of these agents, longest idle first."""
        found: list[int] = []
        for index in self._idle:
            if index in among:
                found.append(index)
                if len(found) == count:
                    break
        return found

    def _ratio(self, index: int) -> float:
        ratio = self._ratios.get(index)
        if ratio is None:
            ratio = self._ratios[index] = load_ratio(self.staff[index], self._load(self.staff[index]))
        return ratio

    def anyone_free(self) -> bool:
        """Whether any available agent has room for another conversation of some channel or kind."""
        return any(room_somewhere(self.staff[i], self._load(self.staff[i])) for i in self._available)

    def give(self, agent: Agent, conversation: Conversation, moment: datetime) -> None:
        """Count a conversation given to an agent: their load, their idle time, the fairness cap."""
        agent.last_assigned_at = moment
        self.fairness.count(agent.id)
        index = self._index.get(agent.id)
        if index is None:
            place = conversation.channel, kind_of(conversation.channel, conversation.is_public)
            self.loads.setdefault(agent.id, Counter())[place] += 1
            return
        staff = self.staff[index]
        self._load(staff)[conversation.channel, kind_of(conversation.channel, conversation.is_public)] += 1
        staff.last_assigned_at = moment
        self._idle.remove(index)  # the most recently given work: the last in idle order
        self._idle.append(index)
        self._ratios.pop(index, None)
        for place, free in self._free.items():
            if index in free and not self._has_room(index, place):
                free.discard(index)
        for (window, cap), capped in self._capped.items():
            if self.fairness.recent.get(window, Counter())[agent.id] >= cap:
                capped.add(index)


def _why(
    winner: Staff,
    case: Case,
    loads: dict[str, Load],
    ranked: Sequence[Staff],
    eligible: int,
    moment: datetime,
    queue: QueueView,
) -> str:
    covered = [f"{key}({winner.skills[key]})" for key in case.skills if key in winner.skills]
    missing = [key for key in case.skills if key not in winner.skills]
    if speaks(winner, case.language) and case.language not in ("", "und"):
        covered.append(case.language)
    parts = [f"covers {', '.join(covered)}" if covered else "covers no required skill or language"]
    if missing:
        parts.append(f"lacks {', '.join(missing)}")
    load = loads.get(winner.id, Counter())
    parts.append(f"has capacity {capacity_text(winner, load, case.channel, case.room)}")
    idle = (
        f"idle {int((moment - winner.last_assigned_at).total_seconds())} s"
        if winner.last_assigned_at is not None
        else "never assigned"
    )
    runner_up = ranked[1] if len(ranked) > 1 else None
    deciding = 2 if queue.strategy == Strategy.longest_idle else 1  # how much of the fit ranks first
    skills = case.skills
    if (
        runner_up is not None
        and _coverage(runner_up, skills)[:deciding] != _coverage(winner, skills)[:deciding]
    ):
        rank = f"best skill coverage of {eligible} eligible"
    elif queue.strategy == Strategy.least_busy:
        rank = f"least busy (load {load_ratio(winner, load):.0%}) of {eligible} eligible"
    elif queue.strategy == Strategy.round_robin:
        rank = f"next in turn of {eligible} eligible"
    else:
        rank = f"longest idle of {eligible} eligible"
    return "; ".join([*parts, f"{idle}, {rank} in queue {queue.name}"])


def back_to(
    conversation: Conversation, agent_id: str, available: Sequence[Agent], loads: dict[str, Load]
) -> Decision | None:
    """The decision to give a reopened conversation back to the agent who held it, or None when they
    are not available or have no room for it now (then the policy routes it as any other)."""
    agent = next((a for a in available if a.id == agent_id), None)
    if agent is None or agent.presence != Presence.available.value:
        return None
    channel, kind = conversation.channel, kind_of(conversation.channel, conversation.is_public)
    load = loads.get(agent.id, Counter())
    if (agent.channels is not None and channel not in agent.channels) or not has_room(
        agent, load, channel, kind
    ):
        return None
    why = f"reopened: back to the agent who held it; has capacity {capacity_text(agent, load, channel, kind)}"
    candidate = Candidate(agent_id=agent.id, name=agent.name, eligible=True, why=why)
    return Decision(step="last agent", agent=agent, reason=why, candidates=[candidate], considered=1)


def choose(
    conversation: Conversation,
    agents: Sequence[Agent],
    loads: dict[str, Load],
    *,
    step: PolicyStep = DEFAULT_STEPS[0],
    moment: datetime | None = None,
    queue: QueueView | None = None,
    fairness: Fairness | None = None,
    turn_after: str | None = None,
) -> Decision:
    """One decision on its own (a round of one): see `Round.decide`."""
    return Round(agents, loads, fairness=fairness).decide(
        conversation, step=step, moment=moment, queue=queue, turn_after=turn_after
    )


def _merge(into: Failing, more: Failing) -> None:
    """Add more reasons to a failing map, keeping the order reasons first appear in."""
    for reason, agents in more.items():
        into[reason] = into[reason] | agents if reason in into else agents
