"""Routing's tables and the shapes of its requests and answers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, Index, Text, text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from services.kit.auth import Role
from services.kit.db import UtcDateTime, add_kit_tables

DEFAULT_QUEUE = "default"  # every tenant's queue, whether configured or not
LIST_ALL = 50  # teams up to this size are listed in full in a decision; larger ones are sampled
PER_REASON = 5  # agents listed per reason of exclusion, when a team is sampled


CHANNEL_KINDS = ("private", "public", "email", "chat")  # capacity entries by kind of conversation
TOTAL = "total"  # the capacity entry over every kind together


def kind_of(channel: str, is_public: bool) -> str:
    """The channel kind a conversation counts against: email, chat, public posts or private messages."""
    if channel in ("email", "chat"):
        return channel
    return "public" if is_public else "private"


class Base(SQLModel, registry=registry()):
    """Base of routing's tables."""


class Presence(enum.StrEnum):
    """Whether an agent takes conversations now."""

    available = "available"
    away = "away"
    offline = "offline"


class Status(enum.StrEnum):
    """Where a conversation stands."""

    waiting = "waiting"
    offered = "offered"  # to `assignee_id`, who accepts or rejects it before `offer_expires_at`
    assigned = "assigned"
    resolved = "resolved"


class Agent(Base, table=True):
    """A person who answers customers."""

    __tablename__ = "agents"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    name: str = Field(max_length=200)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    skills: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    capacity: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The channels they serve; None: every channel.
    channels: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    presence: str = Field(default=Presence.offline.value, max_length=16)
    # A tenant's own state within the presence ("Pause", "Schulung", "Backoffice"), for people to read;
    # routing goes by the presence alone.
    state: str | None = Field(default=None, max_length=40)
    presence_changed_at: datetime = Field(sa_type=UtcDateTime)
    # The agent's client was last heard of (a heartbeat or a presence change); an agent not heard of
    # for `agent_heartbeat_timeout_seconds` goes offline by itself.
    last_seen_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_assigned_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)


class Conversation(Base, table=True):
    """An exchange with one customer on one channel, from the first message to its resolution."""

    __tablename__ = "conversations"
    __table_args__ = (
        # At most one open conversation per key: new messages join it.
        Index(
            "uq_conversations_open_key",
            "tenant_id",
            "conversation_key",
            unique=True,
            sqlite_where=text("status != 'resolved'"),
            postgresql_where=text("status != 'resolved'"),
        ),
        Index("ix_conversations_tenant_status", "tenant_id", "status"),
        Index("ix_conversations_tenant_customer", "tenant_id", "customer_id"),
        Index("ix_conversations_tenant_profile", "tenant_id", "profile_id", "opened_at"),
    )

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    conversation_key: str = Field(max_length=512)
    channel: str = Field(max_length=32)
    customer: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    is_public: bool
    language: str = Field(max_length=8)
    category: str = Field(max_length=32)
    urgency: int = 1
    # The union of the skills classify found in its messages, in the order they first appeared.
    skills: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=Status.waiting.value, max_length=16)
    assignee_id: str | None = Field(default=None, max_length=64, index=True)
    message_count: int = 1
    opened_at: datetime = Field(sa_type=UtcDateTime)
    waiting_since: datetime = Field(sa_type=UtcDateTime)
    last_message_at: datetime = Field(sa_type=UtcDateTime)
    assigned_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    first_response_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # When the first response is due by the tenant's SLA policy, and the target that set it (None:
    # no target applies). Fixed at opening: a later policy change does not move a running clock.
    first_response_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    sla_target: str | None = Field(default=None, max_length=64)
    # When it escalates if no first response came (the policy's share of the target), and when and
    # why it did: "crisis" or "sla_at_risk".
    escalate_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    escalated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    escalation_reason: str | None = Field(default=None, max_length=16)
    # Agents who handed it on (transferred it away): routing gives it to them again only when no one
    # else can take it.
    passed_by: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # A reopened conversation goes back to this agent, its last, if they are available at once.
    return_to_agent_id: str | None = Field(default=None, max_length=64)
    reopened_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    offer_expires_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    # Who served the customer's previous conversation (same key), for a policy's "last agent" step.
    last_agent_id: str | None = Field(default=None, max_length=64)
    # The queue it waits in (the tenant's queue rules chose it; escalation or a transfer may move it).
    queue: str = Field(
        default=DEFAULT_QUEUE, max_length=64, sa_column_kwargs={"server_default": DEFAULT_QUEUE}
    )
    # The channel's id of the customer (author.external_id), to find their conversations when a
    # supervisor marks them VIP.
    customer_id: str = Field(default="", max_length=512)
    vip: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    # Queue order: urgency, raised by the policy's VIP boost for VIP customers.
    priority: int = Field(default=1, sa_column_kwargs={"server_default": text("1")})
    # While assigned: when it is taken back and routed again if no reply was sent (the policy's
    # reassign_unanswered_after_seconds; None: never).
    reply_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    # The customer profile (customers.id) the author's identity is linked to; None: not linked.
    profile_id: str | None = Field(default=None, max_length=64)


class Strategy(enum.StrEnum):
    """How a queue picks among the eligible agents with the best skill fit."""

    longest_idle = "longest_idle"
    least_busy = "least_busy"
    round_robin = "round_robin"


class RoutingQueue(Base, table=True):
    """A tenant's named queue: who serves it, how agents are picked, and the fairness cap."""

    __tablename__ = "queues"

    tenant_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(primary_key=True, max_length=64)
    strategy: str = Field(default=Strategy.longest_idle.value, max_length=16)
    # Agent ids who serve the queue; None: every agent of the tenant.
    members: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    max_assignments: int | None = None  # per agent per fairness window; None: no cap
    fairness_window_seconds: int = 3600
    # Round robin: the agent the queue assigned last; the next in id order comes next.
    last_agent_id: str | None = Field(default=None, max_length=64)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class VipCustomer(Base, table=True):
    """A customer the tenant marked VIP (by hand or from its CRM): their conversations go first."""

    __tablename__ = "vip_customers"
    __table_args__ = (Index("uq_vip_customers_key", "tenant_id", "channel", "customer_id", unique=True),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    channel: str = Field(max_length=32)
    customer_id: str = Field(max_length=512)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(sa_type=UtcDateTime)


class Customer(Base, table=True):
    """A customer's profile across channels: the CRM's id, a name and free attributes."""

    __tablename__ = "customers"
    # The CRM's id is unique per tenant when set (NULLs never collide).
    __table_args__ = (Index("uq_customers_external", "tenant_id", "external_id", unique=True),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    external_id: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=200)
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class CustomerIdentity(Base, table=True):
    """One channel's id of a customer (normalised: phone numbers in E.164, e-mail in lower case)."""

    __tablename__ = "customer_identities"

    tenant_id: str = Field(primary_key=True, max_length=64)
    channel: str = Field(primary_key=True, max_length=32)
    external_id: str = Field(primary_key=True, max_length=512)
    customer_id: str = Field(max_length=64, index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)


class CrmConnector(Base, table=True):
    """Where routing looks customers up when their conversation opens (see crm.py): the tenant's CRM
    API, its token (encrypted at rest) and how long to wait and to remember."""

    __tablename__ = "crm_connectors"

    tenant_id: str = Field(primary_key=True, max_length=64)
    base_url: str = Field(max_length=2048)
    token: str = ""  # one Fernet token (kit.secrets)
    timeout_ms: int = 300
    cache_seconds: int = 300
    updated_at: datetime = Field(sa_type=UtcDateTime)


class CustomerNote(Base, table=True):
    """An agent's note on a customer."""

    __tablename__ = "customer_notes"

    id: str = Field(primary_key=True, max_length=64)
    customer_id: str = Field(max_length=64, index=True)
    author: str = Field(max_length=64)
    text: str = Field(max_length=5000)
    created_at: datetime = Field(sa_type=UtcDateTime)


class CustomerExportRow(Base, table=True):
    """A request for a copy of everything held about a customer; the services answer with parts."""

    __tablename__ = "customer_exports"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    customer_id: str = Field(max_length=64, index=True)
    requested_by: str = Field(max_length=64)
    requested_at: datetime = Field(sa_type=UtcDateTime, index=True)


class CustomerExportPart(Base, table=True):
    """One event of a service's part of an export: a JSON document (see kit/exports.py)."""

    __tablename__ = "customer_export_parts"

    export_id: str = Field(primary_key=True, max_length=64)
    service: str = Field(primary_key=True, max_length=32)
    sequence: int = Field(primary_key=True)
    last: bool = False
    document: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(sa_type=UtcDateTime)


class ApiKey(Base, table=True):
    """An API key of a tenant; only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    agent_id: str | None = Field(default=None, max_length=64)
    secret_sha256: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Outcome(enum.StrEnum):
    """What a routing attempt came to."""

    assigned = "assigned"
    offered = "offered"
    waiting = "waiting"
    taken_back = "taken_back"  # from its agent, who sent no reply in time


class RoutingPolicy(Base, table=True):
    """A tenant's own routing policy; tenants without one get the default."""

    __tablename__ = "routing_policies"

    tenant_id: str = Field(primary_key=True, max_length=64)
    steps: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    auto_accept: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})
    offer_timeout_seconds: int = Field(default=60, sa_column_kwargs={"server_default": text("60")})
    vip_priority_boost: int = Field(default=2, sa_column_kwargs={"server_default": text("2")})
    reassign_unanswered_after_seconds: int | None = None
    queue_rules: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    escalation_queue: str | None = Field(default=None, max_length=64)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class BusinessCalendarRow(Base, table=True):
    """A tenant's business calendar: opening hours in a time zone, and holidays."""

    __tablename__ = "calendars"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    name: str = Field(max_length=200)
    timezone: str = Field(max_length=64)
    week: dict[str, list[list[str]]] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    holidays: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class SlaPolicy(Base, table=True):
    """A tenant's own first-response targets; tenants without one get the default."""

    __tablename__ = "sla_policies"

    tenant_id: str = Field(primary_key=True, max_length=64)
    targets: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    calendar_id: str | None = Field(default=None, max_length=64)
    escalate_at: float | None = None  # share of a target; None: only crises escalate
    updated_at: datetime = Field(sa_type=UtcDateTime)


class RoutingDecision(Base, table=True):
    """One routing attempt of a conversation whose step or outcome changed: who was eligible and why."""

    __tablename__ = "routing_decisions"
    # The fairness cap counts each agent's recent assignments.
    __table_args__ = (Index("ix_routing_decisions_tenant_decided", "tenant_id", "decided_at"),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    conversation_id: str = Field(max_length=64, index=True)
    decided_at: datetime = Field(sa_type=UtcDateTime)
    step: str = Field(max_length=64)
    outcome: str = Field(max_length=16)
    agent_id: str | None = Field(default=None, max_length=64)
    candidates: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    queue: str = Field(
        default=DEFAULT_QUEUE, max_length=64, sa_column_kwargs={"server_default": DEFAULT_QUEUE}
    )
    # The winner's reason to win, or why the conversation was taken back.
    reason: str = Field(default="", max_length=2000)
    # How many agents the decision looked at, and how many were excluded for each reason (a large
    # team's candidates are a sample: the best eligible and a few per reason).
    considered: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    excluded: dict[str, int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


metadata = Base.metadata
add_kit_tables(metadata)


class AgentIn(BaseModel):
    """A new agent."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Anna",
                    "languages": ["de", "en"],
                    "skills": {"billing": 7},
                    "channels": ["x", "facebook", "whatsapp", "email"],
                    "capacity": {"private": 4, "public": 6, "email": 8, "total": 10},
                }
            ]
        },
    )

    name: str = PydanticField(min_length=1, max_length=200)
    languages: list[str] = PydanticField(min_length=1, max_length=20, description="ISO 639-1 codes")
    skills: dict[str, int] = PydanticField(default_factory=dict, description="skill -> proficiency 1..10")
    capacity: dict[str, int] = PydanticField(
        default_factory=lambda: {"default": 5},
        description="open conversations at once: per channel kind (private, public, email, chat), per "
        "channel (x, facebook, …; before its kind), `default` for the rest, and `total` over all",
    )
    channels: list[str] | None = PydanticField(
        default=None, max_length=50, description="the channels the agent serves; null: every channel"
    )
    presence: Presence = Presence.offline
    state: str | None = PydanticField(
        default=None, min_length=1, max_length=40, description="a custom state within the presence"
    )

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        for code in value:
            if len(code) != 2 or not code.isalpha():
                raise ValueError(f"{code!r} is not an ISO 639-1 language code")
        return sorted({code.lower() for code in value})

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: dict[str, int]) -> dict[str, int]:
        for skill, level in value.items():
            if not 1 <= level <= 10:
                raise ValueError(f"proficiency of {skill!r} must be 1..10")
        return value

    @field_validator("capacity")
    @classmethod
    def _capacity(cls, value: dict[str, int]) -> dict[str, int]:
        for kind, count in value.items():
            if not 0 <= count <= 100:
                raise ValueError(f"capacity for {kind!r} must be 0..100")
        return value

    @field_validator("channels")
    @classmethod
    def _channels(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        for channel in value:
            if not 1 <= len(channel) <= 32:
                raise ValueError(f"{channel!r} is not a channel name")
        return sorted(set(value))


class AgentPatch(BaseModel):
    """Changes to an agent: the fields given replace the agent's (checked as for a new agent)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"capacity": {"private": 6, "public": 6, "total": 10}}]},
    )

    name: str | None = None
    languages: list[str] | None = None
    skills: dict[str, int] | None = None
    capacity: dict[str, int] | None = None
    channels: list[str] | None = None


class AgentOut(BaseModel):
    """An agent as the API shows it."""

    id: str
    name: str
    languages: list[str]
    skills: dict[str, int]
    capacity: dict[str, int]
    channels: list[str] | None = PydanticField(default=None, description="the channels served; null: all")
    presence: Presence
    state: str | None = PydanticField(default=None, description="a custom state within the presence")
    presence_changed_at: datetime
    last_seen_at: datetime | None = PydanticField(
        default=None, description="when the agent's client last sent a heartbeat or set the presence"
    )


class PresenceIn(BaseModel):
    """A presence change."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"presence": "available"}, {"presence": "away", "state": "Schulung"}]
        },
    )

    presence: Presence
    state: str | None = PydanticField(
        default=None,
        min_length=1,
        max_length=40,
        description="a custom state within the presence, e.g. Pause, Schulung, Backoffice (routing goes by "
        "the presence)",
    )


class ConversationOut(BaseModel):
    """A conversation as the API shows it."""

    id: str
    conversation_key: str
    channel: str
    customer: dict[str, Any]
    public: bool
    language: str
    category: str
    urgency: int
    skills: list[str]
    status: Status
    assignee_id: str | None
    message_count: int
    opened_at: datetime
    assigned_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    first_response_due_at: datetime | None = PydanticField(
        default=None, description="when the first response is due by the SLA policy (null: no target)"
    )
    sla_target: str | None = PydanticField(default=None, description="the SLA target that applies")
    escalated_at: datetime | None = PydanticField(default=None, description="when it was escalated")
    escalation_reason: str | None = PydanticField(default=None, description='"crisis" or "sla_at_risk"')
    reopened_at: datetime | None = PydanticField(default=None, description="when it was last reopened")
    offer_expires_at: datetime | None = PydanticField(
        default=None, description="while offered: when the offer goes to someone else unless accepted"
    )
    last_agent_id: str | None = PydanticField(
        default=None, description="who served the customer's previous conversation"
    )
    queue: str = PydanticField(default=DEFAULT_QUEUE, description="the queue it waits or waited in")
    vip: bool = PydanticField(default=False, description="the customer is on the tenant's VIP list")
    priority: int = PydanticField(default=1, description="queue order: urgency plus the VIP boost")
    reply_due_at: datetime | None = PydanticField(
        default=None, description="while assigned: taken back and routed again unless a reply is sent by then"
    )


class ApiKeyIn(BaseModel):
    """A new API key."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Anna's console", "role": "agent", "agent_id": "0193..."}]},
    )

    name: str = PydanticField(min_length=1, max_length=200)
    role: Role
    agent_id: str | None = PydanticField(default=None, description="required for the agent role")


class ApiKeyOut(BaseModel):
    """An API key as the API shows it; `key` only in the answer that created it."""

    id: str
    name: str
    role: Role
    agent_id: str | None
    created_at: datetime
    revoked_at: datetime | None
    key: str | None = None


class CandidateOut(BaseModel):
    """An agent considered in a routing decision: eligible or not, and why."""

    agent_id: str
    name: str
    eligible: bool
    reasons: list[str] = PydanticField(
        description="why not: presence, capacity, queue (not a member), fairness_cap, handed_on, language, "
        "skill:<key>, requirement: <leaf>"
    )
    why: str | None = PydanticField(default=None, description="the winner's reason to win")


class RoutingDecisionOut(BaseModel):
    """A recorded routing decision."""

    decided_at: datetime
    step: str
    outcome: Outcome
    agent_id: str | None
    queue: str = PydanticField(default=DEFAULT_QUEUE, description="the queue it was routed in")
    reason: str = PydanticField(default="", description="why the winner won, or why it was taken back")
    considered: int = PydanticField(default=0, description="how many agents the decision looked at")
    excluded: dict[str, int] = PydanticField(
        default_factory=dict, description="how many agents were excluded for each reason"
    )
    candidates: list[CandidateOut] = PydanticField(
        description=f"every agent when the team has at most {LIST_ALL}; otherwise the best eligible "
        f"agents and up to {PER_REASON} per reason of exclusion"
    )


class ConversationRoutingOut(BaseModel):
    """How a conversation was routed, oldest decision first."""

    conversation_id: str
    decisions: list[RoutingDecisionOut]


def decision_out(decision: RoutingDecision) -> RoutingDecisionOut:
    """The API's view of a routing decision."""
    return RoutingDecisionOut(
        decided_at=decision.decided_at,
        step=decision.step,
        outcome=Outcome(decision.outcome),
        agent_id=decision.agent_id,
        queue=decision.queue,
        reason=decision.reason,
        considered=decision.considered,
        excluded=decision.excluded or {},
        candidates=[CandidateOut.model_validate(c) for c in decision.candidates],
    )
