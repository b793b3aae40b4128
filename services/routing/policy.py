"""Routing policies: ordered steps (a bullseye) whose requirements widen as a conversation waits.

A requirement is a small JSON expression: `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}` and the
leaves `{"skills": "required", "min_proficiency": n}`, `{"skill": k, "min_proficiency": n}`,
`{"language": "conversation" | code}`, `{"channel": c}`, `{"category": c}`, `{"min_urgency": n}`,
`{"vip": true}` (the customer is on the tenant's VIP list), `{"customer": attribute, "equals": v}` and
`{"customer": attribute, "at_least": n}` (the customer's attributes: handle, name, follower_count, and
what a CRM adds), and `{"last_agent": true}` (the agent who served the customer's previous
conversation; anyone, for a customer nobody served before).

A queue rule's condition (`when`) is a requirement of the conversation alone: all, any, not, channel,
category, min_urgency, vip and customer.
This module validates and evaluates them; it does no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from pydantic import Field as PydanticField

from services.routing.models import DEFAULT_QUEUE, Agent, Conversation

Requirement = dict[str, Any]


class Staffed(Protocol):
    """What a requirement reads of an agent (an Agent row, or a decision's snapshot of one)."""

    @property
    def id(self) -> str: ...
    @property
    def skills(self) -> Mapping[str, int]: ...
    @property
    def languages(self) -> Collection[str]: ...


class Facts(Protocol):
    """What a requirement reads of a conversation (a Conversation row, or a decision's snapshot)."""

    @property
    def channel(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def urgency(self) -> int: ...
    @property
    def skills(self) -> Sequence[str]: ...
    @property
    def vip(self) -> bool: ...
    @property
    def last_agent_id(self) -> str | None: ...
    @property
    def customer(self) -> Mapping[str, Any]: ...


# Conditions on the conversation alone never look at an agent: they are evaluated against nobody.
_NOBODY = Agent(id="", tenant_id="", name="", presence_changed_at=datetime.min, created_at=datetime.min)

# Deep nesting says nothing a flatter expression could not, and bounds the recursion below.
_MAX_DEPTH = 8
_MAX_EXPIRY_SECONDS = 30 * 24 * 3600
_KINDS = "all, any, not, skills, skill, language, channel, category, min_urgency, vip, customer or last_agent"
# Leaves that look at the conversation only, so a queue rule can use them before any agent is in view.
_CONVERSATION_LEAVES = frozenset(
    {"all", "any", "not", "channel", "category", "min_urgency", "vip", "customer"}
)
QUEUE_NAME = r"^[a-z0-9][a-z0-9_-]{0,63}$"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_proficiency(value: dict[str, Any], path: str) -> None:
    level = value.get("min_proficiency", 1)
    if not _is_int(level) or not 1 <= level <= 10:
        raise ValueError(f"{path}.min_proficiency must be an integer 1..10")


def _check_text(value: Any, path: str) -> None:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise ValueError(f"{path} must be a non-empty string of at most 64 characters")


def validate_requirement(value: Any, path: str = "requirement", depth: int = 0) -> None:
    """Raise ValueError naming the offending part if `value` is not a well-formed requirement."""
    if depth > _MAX_DEPTH:
        raise ValueError(f"{path} nests deeper than {_MAX_DEPTH} levels")
    if not isinstance(value, dict):
        raise ValueError(f"{path} must be an object")
    keys = set(value)
    if keys in ({"all"}, {"any"}):
        (op,) = keys
        items = value[op]
        if not isinstance(items, list):
            raise ValueError(f"{path}.{op} must be a list")
        for index, item in enumerate(items):
            validate_requirement(item, f"{path}.{op}[{index}]", depth + 1)
    elif keys == {"not"}:
        validate_requirement(value["not"], f"{path}.not", depth + 1)
    elif keys in ({"skills"}, {"skills", "min_proficiency"}):
        if value["skills"] != "required":
            raise ValueError(f'{path}.skills must be "required"')
        _check_proficiency(value, path)
    elif keys in ({"skill"}, {"skill", "min_proficiency"}):
        _check_text(value["skill"], f"{path}.skill")
        _check_proficiency(value, path)
    elif keys == {"language"}:
        code = value["language"]
        if code != "conversation" and not (isinstance(code, str) and len(code) == 2 and code.isalpha()):
            raise ValueError(f'{path}.language must be "conversation" or an ISO 639-1 code')
    elif keys in ({"channel"}, {"category"}):
        (key,) = keys
        _check_text(value[key], f"{path}.{key}")
    elif keys in ({"customer", "equals"}, {"customer", "at_least"}):
        _check_text(value["customer"], f"{path}.customer")
        if "equals" in value and not isinstance(value["equals"], str | int | bool):
            raise ValueError(f"{path}.equals must be a string, a number or a boolean")
        if "at_least" in value and (
            isinstance(value["at_least"], bool) or not isinstance(value["at_least"], int | float)
        ):
            raise ValueError(f"{path}.at_least must be a number")
    elif keys in ({"last_agent"}, {"vip"}):
        (key,) = keys
        if value[key] is not True:
            raise ValueError(f"{path}.{key} must be true")
    elif keys == {"min_urgency"}:
        if not _is_int(value["min_urgency"]) or not 1 <= value["min_urgency"] <= 5:
            raise ValueError(f"{path}.min_urgency must be an integer 1..5")
    else:
        raise ValueError(f"{path} has unknown or mixed keys {sorted(keys)}: expected one of {_KINDS}")


def validate_condition(value: Any, path: str = "when") -> None:
    """Raise ValueError unless `value` is a requirement that looks at the conversation alone."""
    validate_requirement(value, path)

    def leaves(node: Requirement) -> list[str]:
        key = next(iter(node)) if len(node) == 1 else "customer" if "customer" in node else "skills"
        if key in ("all", "any"):
            return [leaf for item in node[key] for leaf in leaves(item)]
        if key == "not":
            return leaves(node["not"])
        return [key]

    for leaf in leaves(value):
        if leaf not in _CONVERSATION_LEAVES:
            raise ValueError(
                f"{path} may only test the conversation (channel, category, min_urgency, vip, customer), "
                f"not {leaf}"
            )


class QueueRule(BaseModel):
    """Conversations that match `when` as they open wait in `queue`; the first matching rule wins."""

    model_config = ConfigDict(extra="forbid")

    when: Requirement
    queue: str = PydanticField(pattern=QUEUE_NAME)

    @field_validator("when")
    @classmethod
    def _when(cls, value: Requirement) -> Requirement:
        validate_condition(value)
        return value


class PolicyStep(BaseModel):
    """One ring of the bullseye: who may take the conversation, and for how long this holds."""

    model_config = ConfigDict(extra="forbid")

    name: str = PydanticField(min_length=1, max_length=64)
    requirement: Requirement
    expires_after_seconds: int | None = PydanticField(
        default=None, ge=0, le=_MAX_EXPIRY_SECONDS, description="null on the last step: never"
    )

    @field_validator("requirement")
    @classmethod
    def _requirement(cls, value: Requirement) -> Requirement:
        validate_requirement(value)
        return value


class RoutingPolicyIn(BaseModel):
    """A tenant's routing policy: steps tried in order, each until its expiry passes."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "steps": [
                        {
                            "name": "experts",
                            "requirement": {
                                "all": [
                                    {"skills": "required", "min_proficiency": 5},
                                    {"language": "conversation"},
                                ]
                            },
                            "expires_after_seconds": 120,
                        },
                        {"name": "anyone", "requirement": {"all": []}, "expires_after_seconds": None},
                    ]
                }
            ]
        },
    )

    steps: list[PolicyStep] = PydanticField(min_length=1, max_length=20)
    auto_accept: bool = PydanticField(
        default=True,
        description="assign at once (true), or offer each conversation to the chosen agent, who "
        "accepts or rejects it within offer_timeout_seconds (false)",
    )
    offer_timeout_seconds: int = PydanticField(
        default=60, ge=10, le=3600, description="how long an offer waits for the agent's answer"
    )
    vip_priority_boost: int = PydanticField(
        default=2, ge=0, le=5, description="added to a VIP customer's urgency for the queue order"
    )
    reassign_unanswered_after_seconds: int | None = PydanticField(
        default=None,
        ge=60,
        le=_MAX_EXPIRY_SECONDS,
        description="an assigned conversation without a reply for this long is taken back and routed "
        "again, to someone else if anyone can take it (null: never)",
    )
    queue_rules: list[QueueRule] = PydanticField(
        default_factory=list,
        max_length=50,
        description="which queue a new conversation waits in: the first rule whose `when` matches; "
        "none matches: `default`",
    )
    escalation_queue: str | None = PydanticField(
        default=None,
        pattern=QUEUE_NAME,
        description="a waiting conversation that escalates (a crisis, or its SLA at risk) moves here",
    )

    @model_validator(mode="after")
    def _expiries(self) -> RoutingPolicyIn:
        names = [step.name for step in self.steps]
        if len(set(names)) != len(names):
            raise ValueError("step names must be unique")
        for index, step in enumerate(self.steps[:-1]):
            if step.expires_after_seconds is None:
                raise ValueError(
                    f"step {index} ({step.name!r}) is not the last, so it needs expires_after_seconds"
                )
        if self.steps[-1].expires_after_seconds is not None:
            raise ValueError("the last step never expires: give it expires_after_seconds null")
        return self


class RoutingPolicyOut(RoutingPolicyIn):
    """A tenant's routing policy as the API shows it; `is_default` when the tenant has set none."""

    model_config = ConfigDict(extra="forbid")

    is_default: bool
    updated_at: datetime | None


DEFAULT_STEPS: tuple[PolicyStep, ...] = (
    PolicyStep(name="language", requirement={"language": "conversation"}, expires_after_seconds=600),
    # The last ring takes anyone with capacity, so no conversation is stranded by the default.
    PolicyStep(name="anyone", requirement={"all": []}, expires_after_seconds=None),
)

# Auto-accept, so a new tenant's conversations reach agents without an answer from them.
DEFAULT_POLICY = RoutingPolicyIn(steps=list(DEFAULT_STEPS))


def active_step(steps: Sequence[PolicyStep], waiting_since: datetime, moment: datetime) -> PolicyStep:
    """The first step whose cumulative expiry since `waiting_since` has not passed at `moment`."""
    deadline = waiting_since
    for step in steps:
        if step.expires_after_seconds is None:
            return step
        deadline += timedelta(seconds=step.expires_after_seconds)
        if moment < deadline:
            return step
    return steps[-1]


def speaks(agent: Staffed, language: str) -> bool:
    """Whether the agent can answer in the conversation's language (unknown language: everyone)."""
    return language in ("", "und") or language in agent.languages


def describe(requirement: Requirement) -> str:
    """A requirement as explanations name it: `billing>=5`, `any(language=de, vip)`."""
    if "customer" in requirement:
        if "equals" in requirement:
            return f"customer.{requirement['customer']}={requirement['equals']}"
        return f"customer.{requirement['customer']}>={requirement['at_least']}"
    key = next(k for k in requirement if k != "min_proficiency")
    if key in ("all", "any"):
        return f"{key}({', '.join(describe(r) for r in requirement[key])})"
    if key == "not":
        return f"not {describe(requirement['not'])}"
    if key == "skills":
        return f"required skills>={requirement.get('min_proficiency', 1)}"
    if key == "skill":
        return f"{requirement['skill']}>={requirement.get('min_proficiency', 1)}"
    if key == "min_urgency":
        return f"urgency>={requirement['min_urgency']}"
    if key in ("last_agent", "vip"):
        return key.replace("_", " ")
    return f"{key}={requirement[key]}"


def failures(requirement: Requirement, conversation: Facts, agent: Staffed) -> list[str]:
    """Why the agent fails the requirement for this conversation: empty when it holds.

    Skill and language leaves say `skill:<key>` and `language`; other failed leaves `requirement: <leaf>`.
    """
    if "all" in requirement:
        return [reason for item in requirement["all"] for reason in failures(item, conversation, agent)]
    if "any" in requirement:
        found = [failures(item, conversation, agent) for item in requirement["any"]]
        if any(not reasons for reasons in found):
            return []
        return [reason for reasons in found for reason in reasons] or [
            f"requirement: {describe(requirement)}"
        ]
    if "not" in requirement:
        held = not failures(requirement["not"], conversation, agent)
        return [f"requirement: {describe(requirement)}"] if held else []
    if "skills" in requirement:
        level = requirement.get("min_proficiency", 1)
        return [f"skill:{key}" for key in conversation.skills if agent.skills.get(key, 0) < level]
    if "skill" in requirement:
        level = requirement.get("min_proficiency", 1)
        key = requirement["skill"]
        return [] if agent.skills.get(key, 0) >= level else [f"skill:{key}"]
    if "language" in requirement:
        code = requirement["language"]
        ok = speaks(agent, conversation.language) if code == "conversation" else code in agent.languages
        return [] if ok else ["language"]
    if "channel" in requirement:
        ok = conversation.channel == requirement["channel"]
    elif "category" in requirement:
        ok = conversation.category == requirement["category"]
    elif "vip" in requirement:
        ok = conversation.vip
    elif "customer" in requirement:
        ok = _customer_holds(requirement, conversation.customer.get(requirement["customer"]))
    elif "last_agent" in requirement:
        # A customer nobody served before has no last agent to wait for: everyone passes.
        ok = conversation.last_agent_id is None or agent.id == conversation.last_agent_id
    else:
        ok = conversation.urgency >= requirement["min_urgency"]
    return [] if ok else [f"requirement: {describe(requirement)}"]


def _customer_holds(leaf: Requirement, value: Any) -> bool:
    if "equals" in leaf:
        return value == leaf["equals"] or (isinstance(value, str) and value == str(leaf["equals"]))
    try:  # numbers may come as strings (protobuf's JSON writes 64-bit integers so)
        return value is not None and not isinstance(value, bool) and float(value) >= leaf["at_least"]
    except (TypeError, ValueError):
        return False


_READS = {"channel": "channel", "category": "category", "min_urgency": "urgency", "vip": "vip"}


def reads(requirement: Requirement) -> tuple[str, ...]:
    """What a requirement reads of the conversation, in a stable order: fact names (skills, language,
    channel, category, urgency, vip, last_agent_id) and `customer.<attribute>`. Conversations alike
    in these meet the same agents, so a decision round evaluates the requirement once for them."""
    found: set[str] = set()

    def walk(node: Requirement) -> None:
        if "customer" in node:
            found.add(f"customer.{node['customer']}")
        elif "all" in node or "any" in node:
            for item in node["all"] if "all" in node else node["any"]:
                walk(item)
        elif "not" in node:
            walk(node["not"])
        elif "skills" in node:
            found.add("skills")
        elif node.get("language") == "conversation":
            found.add("language")
        elif "last_agent" in node:
            found.add("last_agent_id")
        else:
            found.update(fact for key, fact in _READS.items() if key in node)

    walk(requirement)
    return tuple(sorted(found))


def holds(condition: Requirement, conversation: Facts) -> bool:
    """Whether a condition on the conversation alone (see `validate_condition`) holds for it."""
    return not failures(condition, conversation, _NOBODY)


def queue_for(policy: RoutingPolicyIn, conversation: Conversation) -> str:
    """The queue a new conversation waits in: the first matching rule's, else the default."""
    return next((rule.queue for rule in policy.queue_rules if holds(rule.when, conversation)), DEFAULT_QUEUE)
