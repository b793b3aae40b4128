"""Reporting's read models and report shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, Index, text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from services.kit.db import UtcDateTime, add_kit_tables


class Base(SQLModel, registry=registry()):
    """Base of reporting's tables."""


class MessageFact(Base, table=True):
    """One received message, with what classify made of it (either event may come first)."""

    __tablename__ = "message_facts"
    __table_args__ = (Index("ix_message_facts_tenant_received", "tenant_id", "received_at"),)

    message_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    channel: str = Field(max_length=32)
    received_at: datetime = Field(sa_type=UtcDateTime)
    channel_account_id: str = Field(default="", max_length=64)
    conversation_key: str = Field(default="", max_length=512)
    is_public: bool = False
    proactive: bool = False
    lead: bool = False
    community_member: bool = False
    author_id: str = Field(default="", max_length=256)
    author_handle: str = Field(default="", max_length=256)
    classified: bool = False
    language: str = Field(default="", max_length=8)
    category: str = Field(default="", max_length=32)
    sentiment: str = Field(default="", max_length=16)
    sentiment_score: float | None = None
    topics: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The text with private data replaced (classify's redacted preview), for the lead list and the
    # frequent questions; at most PREVIEW characters.
    preview: str = ""


class MessageRollup(Base, table=True):
    """Messages counted per day (UTC) and per value of every filter, kept in step with the message
    facts so that reports over millions of messages add up some ten thousand rows."""

    __tablename__ = "message_rollups"

    tenant_id: str = Field(primary_key=True, max_length=64)
    day: datetime = Field(primary_key=True, sa_type=UtcDateTime)  # midnight UTC
    channel: str = Field(primary_key=True, max_length=32)
    channel_account_id: str = Field(primary_key=True, max_length=64)
    category: str = Field(primary_key=True, max_length=32)
    sentiment: str = Field(primary_key=True, max_length=16)
    language: str = Field(primary_key=True, max_length=8)
    proactive: bool = Field(primary_key=True)
    messages: int = 0
    classified: int = 0
    negative: int = 0
    sentiment_sum: float = 0.0


class ConversationFact(Base, table=True):
    """One conversation's milestones, from conversation and reply events in whatever order they come."""

    __tablename__ = "conversation_facts"
    __table_args__ = (
        Index("ix_conversation_facts_tenant_opened", "tenant_id", "opened_at"),
        # The backlog (open, unanswered) and the targets not yet due, read now rather than rolled up.
        Index(
            "ix_conversation_facts_waiting",
            "tenant_id",
            "opened_at",
            "channel",
            postgresql_where=text("resolved_at IS NULL AND first_response_at IS NULL"),
            sqlite_where=text("resolved_at IS NULL AND first_response_at IS NULL"),
        ),
        Index(
            "ix_conversation_facts_unanswered_due",
            "tenant_id",
            "first_response_due_at",
            postgresql_where=text("first_response_at IS NULL"),
            sqlite_where=text("first_response_at IS NULL"),
        ),
    )

    conversation_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    channel: str | None = Field(default=None, max_length=32)
    opened_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    first_response_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    channel_account_id: str = Field(default="", max_length=64)
    queue: str = Field(default="", max_length=64)
    category: str = Field(default="", max_length=32)
    language: str = Field(default="", max_length=8)
    is_public: bool = False
    proactive: bool = False
    agent_id: str = Field(default="", max_length=64)  # who holds it (or held it last)
    first_response_agent_id: str = Field(default="", max_length=64)
    first_response_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The first response's time in the business hours of the tenant's SLA calendar, as routing counted
    # it (ConversationFirstResponded); None for conversations answered before routing reported it.
    first_response_business_seconds: float | None = None
    escalated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The first message of another customer in the thread before any agent answered.
    community_answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    transfers: int = 0
    reopenings: int = 0


class ConversationRollup(Base, table=True):
    """The conversations opened per day (UTC) and channel: counts and summed durations, kept in step
    with the conversation facts like the message rollup."""

    __tablename__ = "conversation_rollups"

    tenant_id: str = Field(primary_key=True, max_length=64)
    day: datetime = Field(primary_key=True, sa_type=UtcDateTime)  # of opened_at, midnight UTC
    channel: str = Field(primary_key=True, max_length=32)
    opened: int = 0
    answerable: int = 0
    answered: int = 0
    wait_sum: float = 0.0
    business_timed: int = 0  # answered with a first-response time in business hours
    business_sum: float = 0.0
    resolved: int = 0
    resolution_sum: float = 0.0
    sla_met: int = 0
    sla_answered: int = 0  # with a target, answered
    sla_unanswered: int = 0  # with a target, not answered (measured once the target passed)


class ConversationDuration(Base, table=True):
    """How many of a day's conversations took about so long (first response, in business hours,
    resolution): a histogram of logarithmic buckets whose midpoints are within 1% of every duration
    in them, from which the summary's median and p90 are read."""

    __tablename__ = "conversation_durations"

    tenant_id: str = Field(primary_key=True, max_length=64)
    day: datetime = Field(primary_key=True, sa_type=UtcDateTime)
    channel: str = Field(primary_key=True, max_length=32)
    measure: str = Field(primary_key=True, max_length=16)  # "wait", "business", "resolution"
    bucket: int = Field(primary_key=True)
    conversations: int = 0


class AgentReplyFact(Base, table=True):
    """One sent reply, for the agents' figures: who, when, and the negative words the checks found."""

    __tablename__ = "agent_reply_facts"
    __table_args__ = (Index("ix_agent_reply_facts_tenant_sent", "tenant_id", "sent_at"),)

    reply_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    agent_id: str = Field(max_length=64)
    conversation_id: str = Field(max_length=64)
    channel: str = Field(max_length=32)
    sent_at: datetime = Field(sa_type=UtcDateTime)
    negative_words: int = 0


class ReviewFact(Base, table=True):
    """A supervisor's scorecard of a reply."""

    __tablename__ = "review_facts"

    review_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    agent_id: str = Field(max_length=64)
    reviewed_at: datetime = Field(sa_type=UtcDateTime)
    product_knowledge: int
    wording: int
    empathy: int
    guideline_kept: bool


class ErasedSubject(Base, table=True):
    """A conversation key or an author of an erased customer, as a SHA-256 digest with the tenant: the
    message facts folded of them later (a rebuild from the topics, an event still under way at the
    erasure) are kept without what names the customer. Not a read model: a rebuild keeps it."""

    __tablename__ = "erased_subjects"

    digest: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    erased_at: datetime = Field(sa_type=UtcDateTime)


class SurveyAnswer(Base, table=True):
    """A customer's answer to a CSAT (1..5) or NPS (0..10) survey."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        Index("ix_survey_answers_tenant_answered", "tenant_id", "answered_at"),
        Index("uq_survey_answers_external", "tenant_id", "external_id", unique=True),
    )

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    external_id: str = Field(max_length=200)  # the survey tool's id, so a retry is not counted twice
    kind: str = Field(max_length=8)
    score: int
    conversation_id: str = Field(default="", max_length=64)
    agent_id: str = Field(default="", max_length=64)
    channel: str = Field(default="", max_length=32)
    comment: str = ""
    answered_at: datetime = Field(sa_type=UtcDateTime)


class PublicShare(Base, table=True):
    """What a tenant shows the public: its current response time per channel, when it opts in."""

    __tablename__ = "public_shares"

    tenant_id: str = Field(primary_key=True, max_length=64)
    response_time: bool = False
    updated_at: datetime = Field(sa_type=UtcDateTime)


metadata = Base.metadata
add_kit_tables(metadata)


class Seconds(BaseModel):
    """A duration distribution in seconds; null when nothing was measured."""

    mean: float | None = None
    median: float | None
    p90: float | None


class Share(BaseModel):
    """One value's count and share of the whole."""

    key: str
    count: int
    share: float


class DayTrend(BaseModel):
    """One day's messages and their mood."""

    day: date
    messages: int
    negative_share: float | None
    mean_sentiment: float | None


class Summary(BaseModel):
    """The headline KPIs of a tenant in a period."""

    messages_received: int
    conversations_opened: int
    conversations_answerable: int = PydanticField(description="opened, not spam")
    conversations_answered: int
    conversations_resolved: int
    response_rate: float | None = PydanticField(description="answered ÷ answerable")
    first_response_seconds: Seconds = PydanticField(
        description="from the first message to the first response; in business hours only with "
        "business_hours=true. The mean is exact; the median and p90 are within 1% of the exact ones "
        "(read from daily duration buckets) unless a filter other than the period and channel narrows "
        "the summary (then exact)"
    )
    first_response_measured: int | None = PydanticField(
        default=None,
        exclude_if=lambda value: value is None,
        description="only with business_hours=true: the answered conversations first_response_seconds "
        "covers (those answered before business hours were recorded are left out)",
    )
    resolution_seconds: Seconds = PydanticField(
        description="from the first message to the latest resolution; median and p90 within 1%, as "
        "for first_response_seconds"
    )
    sla_attainment: float | None = PydanticField(
        description="first responses within their SLA target ÷ those whose target has passed or was met"
    )
    sla_measured: int
    backlog: int = PydanticField(description="open conversations without a first response, now")
    oldest_waiting_since: datetime | None
    categories: list[Share]
    sentiments: list[Share]
    languages: list[Share]
    proactive_share: float | None
    sentiment_trend: list[DayTrend]


class SlaGroup(BaseModel):
    """SLA attainment of one queue or channel."""

    key: str
    measured: int
    met: int
    attainment: float | None


class AgentFigures(BaseModel):
    """One agent's figures in a period."""

    agent_id: str
    conversations_answered: int = PydanticField(description="first responses given")
    first_response_seconds: Seconds = PydanticField(
        description="to the agent's first responses; in business hours only with business_hours=true"
    )
    first_response_measured: int | None = PydanticField(
        default=None,
        exclude_if=lambda value: value is None,
        description="only with business_hours=true: the first responses first_response_seconds covers "
        "(those given before business hours were recorded are left out)",
    )
    replies_sent: int
    negative_wording_rate: float | None
    csat_average: float | None
    csat_answers: int
    reviews: int
    review_average: dict[str, float]


class TrendingTerm(BaseModel):
    """A term or hashtag much more frequent now than in its own baseline."""

    term: str
    count: int
    baseline: float = PydanticField(description="its mean count per window of the same length before")
    burst: float = PydanticField(description="(count + 1) ÷ (baseline + 1)")


class Cluster(BaseModel):
    """Similar complaints: the same taxonomy topic (or, without one, the same leading term)."""

    key: str
    count: int
    examples: list[str]


class Trending(BaseModel):
    """What bursts now, and what customers complain about together."""

    since: datetime
    until: datetime
    terms: list[TrendingTerm]
    complaint_clusters: list[Cluster]


class Lead(BaseModel):
    """A purchase signal to hand to sales."""

    message_id: str
    received_at: datetime
    channel: str
    author_id: str
    author_handle: str
    text: str
    conversation_key: str
    proactive: bool


class FrequentQuestion(BaseModel):
    """A question customers ask often."""

    question: str
    count: int
    topics: list[str]


class Helper(BaseModel):
    """A community member who answers other customers."""

    author_id: str
    author_handle: str
    answers: int
    conversations: int


class Community(BaseModel):
    """Customers helping customers."""

    questions: int
    answered_by_community_first: int
    share: float | None
    helpers: list[Helper]


class SurveyIn(BaseModel):
    """A customer's answer to a satisfaction survey."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"external_id": "survey-4711", "kind": "nps", "score": 9, "conversation_id": "0193..."}
            ]
        },
    )

    external_id: str = PydanticField(min_length=1, max_length=200, description="the survey tool's id")
    kind: Literal["csat", "nps"]
    score: int = PydanticField(ge=0, le=10, description="CSAT 1..5, NPS 0..10")
    conversation_id: str = PydanticField(default="", max_length=64)
    agent_id: str = PydanticField(default="", max_length=64)
    channel: str = PydanticField(default="", max_length=32)
    comment: str = PydanticField(default="", max_length=4000)
    answered_at: datetime | None = None

    @model_validator(mode="after")
    def _scale(self) -> SurveyIn:
        if self.kind == "csat" and not 1 <= self.score <= 5:
            raise ValueError("a CSAT score is 1 to 5")
        return self


class Satisfaction(BaseModel):
    """CSAT and NPS of a period."""

    csat_answers: int
    csat_average: float | None
    csat_satisfied_share: float | None = PydanticField(description="answers of 4 or 5")
    nps_answers: int
    promoters: int
    passives: int
    detractors: int
    nps: float | None = PydanticField(description="% promoters (9-10) minus % detractors (0-6)")


class PublicSharing(BaseModel):
    """What the tenant shows without a key."""

    model_config = ConfigDict(extra="forbid")

    response_time: bool = PydanticField(description="GET /v1/public/{tenant}/response-time")


class ChannelResponseTime(BaseModel):
    """A channel's current first-response time."""

    channel: str
    median_seconds: float
    answered: int


class PublicResponseTime(BaseModel):
    """The tenant's current response time per channel, for its website."""

    tenant: str
    window_hours: int
    as_of: datetime
    channels: list[ChannelResponseTime]
