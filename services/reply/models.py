"""Reply's tables and the shapes of its requests and answers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import JSON, BigInteger, Column, Index
from sqlalchemy import text as sql_text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from services.kit.db import UtcDateTime, add_kit_tables
from services.reply.checks import Finding

MAX_REPLY = 65_536


class Base(SQLModel, registry=registry()):
    """Base of reply's tables."""


class ReplyStatus(enum.StrEnum):
    """Where a reply stands: queued (to be sent, maybe again), sending (a process holds it until
    `lease_until`), sent, delivered and read (by the channel's receipts), or failed."""

    requested = "requested"  # rows from before durable dispatch
    draft = "draft"  # kept by its author, not sent
    awaiting_approval = "awaiting_approval"  # four-eyes: a supervisor approves it before it leaves
    rejected = "rejected"  # a supervisor sent it back, with a reason
    queued = "queued"
    sending = "sending"
    sent = "sent"
    delivered = "delivered"
    read = "read"
    failed = "failed"


# Replies their author may still change and send.
EDITABLE = (ReplyStatus.draft.value, ReplyStatus.rejected.value)

# How far a reply got: a receipt never moves it back (a late "delivered" after "read" changes nothing).
PROGRESS = {
    ReplyStatus.sent.value: 1,
    ReplyStatus.delivered.value: 2,
    ReplyStatus.read.value: 3,
}


class ConversationView(Base, table=True):
    """What reply knows of a conversation, from routing's events: where and to whom to answer."""

    __tablename__ = "conversation_views"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    channel: str = Field(max_length=32)
    channel_account_id: str = Field(default="", max_length=64)
    customer_id: str = Field(default="", max_length=256)
    is_public: bool = False
    in_reply_to: str = Field(default="", max_length=256)
    assignee_id: str | None = Field(default=None, max_length=64)
    resolved: bool = False
    category: str = Field(default="", max_length=32)
    language: str = Field(default="", max_length=8)
    customer_name: str = Field(default="", max_length=256)
    subject: str = Field(default="", max_length=998)
    # The customer's latest message: its time starts Meta's 24-hour window, its id is what an answer
    # refers to (WhatsApp context, e-mail In-Reply-To).
    last_customer_message_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_message_external_id: str = Field(default="", max_length=256)
    # The thread's message ids, oldest first (e-mail References), at most REFERENCES_KEPT.
    references: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Reply(Base, table=True):
    """An answer an agent wrote, and where its delivery stands."""

    __tablename__ = "replies"
    __table_args__ = (
        # One reply per idempotency key: a client retrying its request gets the first one back.
        Index("uq_replies_idempotency", "tenant_id", "idempotency_key", unique=True),
        Index("ix_replies_due", "status", "next_attempt_at"),
        Index("ix_replies_channel_external", "channel", "external_id"),
    )

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    conversation_id: str = Field(max_length=64, index=True)
    agent_id: str = Field(max_length=64)
    channel: str = Field(max_length=32)
    text: str
    status: str = Field(max_length=16)
    external_id: str | None = Field(default=None, max_length=256)
    failure_reason: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Where and to whom, fixed when the reply is accepted (a retry goes where the first try went).
    channel_account_id: str = Field(default="", max_length=64)
    recipient: str = Field(default="", max_length=256)
    in_reply_to: str = Field(default="", max_length=256)
    is_public: bool = False
    # Sent to the channel with every try, so a retry is never posted twice where the channel honours it.
    idempotency_key: str | None = Field(default=None, max_length=200)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": sql_text("0")})
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # How it is sent: a thread's posts (X), Meta's HUMAN_AGENT tag, the e-mail subject and thread.
    parts: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    human_agent_tag: bool = False
    subject: str = Field(default="", max_length=998)
    references: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # What the tenant's checks said (warnings the agent accepted), and the negative words counted.
    findings: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    negative_words: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    template_id: str | None = Field(default=None, max_length=64)
    # WhatsApp outside the 24-hour window: the approved template it is sent as.
    template_name: str = Field(default="", max_length=512)
    template_language: str = Field(default="", max_length=16)
    template_parameters: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Four-eyes: who approved it or sent it back, and why.
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    rejection_reason: str | None = None


class EarlyReceipt(Base, table=True):
    """A channel's receipt that arrived before reply recorded the channel's id for the reply it is
    about (the channel answered faster than reply's second transaction), or for a message reply never
    sent (sent by hand on the channel). Applied when the reply's id is recorded; pruned after
    `reply_early_receipt_days`."""

    __tablename__ = "early_receipts"

    tenant_id: str = Field(primary_key=True, max_length=64)
    channel: str = Field(primary_key=True, max_length=32)
    external_id: str = Field(primary_key=True, max_length=256)
    status: str = Field(primary_key=True, max_length=16)
    reason: str = ""
    error_code: str = Field(default="", max_length=64)
    reported_at: datetime = Field(sa_type=UtcDateTime)
    received_at: datetime = Field(sa_type=UtcDateTime, index=True)


class DeliveryAccount(Base, table=True):
    """How reply sends from one of a tenant's channel accounts: the channel's ids (`settings`) and its
    credentials, encrypted (kit.secrets)."""

    __tablename__ = "delivery_accounts"

    tenant_id: str = Field(primary_key=True, max_length=64)
    channel_account_id: str = Field(primary_key=True, max_length=64)
    channel: str = Field(max_length=32)
    base_url: str = Field(default="", max_length=2048)
    settings: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    credentials: str = ""  # one Fernet token
    credential_names: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_type=UtcDateTime)


class ReplyTemplate(Base, table=True):
    """A canned answer of a tenant, for a situation and a language, with {{variables}}."""

    __tablename__ = "reply_templates"
    __table_args__ = (Index("uq_reply_templates_name", "tenant_id", "name", "language", unique=True),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    name: str = Field(max_length=200)
    situation: str = Field(max_length=32)
    language: str = Field(max_length=8)
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    text: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class ReplyPolicy(Base, table=True):
    """A tenant's rules for answers: the checks, four-eyes approval, and the quality-review sample."""

    __tablename__ = "reply_policies"

    tenant_id: str = Field(primary_key=True, max_length=64)
    rules: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    approval: str = Field(default="off", max_length=16)
    review_sample_rate: float = 0.0
    updated_at: datetime = Field(sa_type=UtcDateTime)


class QualityReview(Base, table=True):
    """A sent reply drawn for a supervisor's review, and its scorecard once scored."""

    __tablename__ = "quality_reviews"
    __table_args__ = (Index("ix_quality_reviews_open", "tenant_id", "status", "created_at"),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    reply_id: str = Field(max_length=64, unique=True)
    conversation_id: str = Field(max_length=64)
    agent_id: str = Field(max_length=64)
    status: str = Field(default="open", max_length=16)
    created_at: datetime = Field(sa_type=UtcDateTime)
    reviewer_id: str | None = Field(default=None, max_length=64)
    scored_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    scores: dict[str, int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    guideline_kept: bool | None = None
    comment: str | None = None


class WebhookSubscription(Base, table=True):
    """A tenant's outside system (a CRM) that is told of the events it subscribed to; the signing
    secret is encrypted (kit.secrets)."""

    __tablename__ = "webhook_subscriptions"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    url: str = Field(max_length=2048)
    secret: str  # one Fernet token
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    created_at: datetime = Field(sa_type=UtcDateTime)


class WebhookDelivery(Base, table=True):
    """One event for one subscription, and where its delivery stands: pending (due at
    `next_attempt_at`, held by a sender until `lease_until`), delivered, or dead."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # An event Kafka delivers again is sent once.
        Index("uq_webhook_deliveries_event", "subscription_id", "event_id", unique=True),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_tenant_status", "tenant_id", "status"),
    )

    id: str = Field(primary_key=True, max_length=64)
    subscription_id: str = Field(max_length=64)
    tenant_id: str = Field(max_length=64)
    event_id: str = Field(max_length=64)
    event_type: str = Field(max_length=64)
    body: str  # the JSON sent, byte for byte (it is signed)
    status: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": sql_text("0")})
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_status_code: int | None = None
    last_error: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # A dead delivery sent again by hand: the retry period starts anew.
    replayed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class SendQuota(Base, table=True):
    """How many sends the reply processes sharing this database took for a channel account in the
    current second of the database's clock (quota.SharedRateLimiter, PostgreSQL only). One row per
    account, overwritten every second: it holds no personal data (the account is the tenant's own
    channel number or page), so erasure and retention have nothing to do with it."""

    __tablename__ = "send_quota"

    channel: str = Field(primary_key=True, max_length=32)
    channel_account_id: str = Field(primary_key=True, max_length=64)
    window_start: int = Field(sa_type=BigInteger)  # the second (epoch, database clock) counted
    granted: int  # sends claimed in that second, at most the channel's rate
    last_granted: int  # what the latest claim got (its statement returns it)


metadata = Base.metadata
add_kit_tables(metadata)


class WhatsAppTemplate(BaseModel):
    """An approved WhatsApp template message, for answers outside the 24-hour window."""

    model_config = ConfigDict(extra="forbid")

    name: str = PydanticField(min_length=1, max_length=512)
    language: str = PydanticField(min_length=2, max_length=16, description="e.g. de, en_US")
    parameters: list[str] = PydanticField(default_factory=list, max_length=20)


class ReplyIn(BaseModel):
    """An agent's answer: its text, or a template of the tenant filled in with `variables`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"text": "Hallo Karla, das tut uns leid! Wir schauen sofort nach."},
                {"template_id": "0193...", "variables": {"agent_name": "Anna"}, "draft": True},
            ]
        },
    )

    text: str | None = PydanticField(default=None, min_length=1, max_length=MAX_REPLY)
    template_id: str | None = PydanticField(default=None, max_length=64)
    variables: dict[str, str] = PydanticField(default_factory=dict, max_length=50)
    draft: bool = PydanticField(default=False, description="keep it as a draft; send it later")
    human_agent_tag: bool = PydanticField(
        default=False,
        description="Messenger and Instagram Direct, 24 hours to 7 days after the customer's last "
        "message: send it as a human agent's reply (Meta's HUMAN_AGENT tag)",
    )
    whatsapp_template: WhatsAppTemplate | None = PydanticField(
        default=None, description="WhatsApp outside the 24-hour window: the approved template to send"
    )

    @model_validator(mode="after")
    def _text_or_template(self) -> ReplyIn:
        if (self.text is None) == (self.template_id is None):
            raise ValueError("give either `text` or `template_id`")
        return self


class ReplyEdit(BaseModel):
    """A change to a draft."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = PydanticField(default=None, min_length=1, max_length=MAX_REPLY)
    template_id: str | None = PydanticField(default=None, max_length=64)
    variables: dict[str, str] = PydanticField(default_factory=dict, max_length=50)
    human_agent_tag: bool | None = None

    @model_validator(mode="after")
    def _not_both(self) -> ReplyEdit:
        if self.text is not None and self.template_id is not None:
            raise ValueError("give `text` or `template_id`, not both")
        return self


class Decision(BaseModel):
    """A supervisor's answer to a reply waiting for approval."""

    model_config = ConfigDict(extra="forbid")

    reason: str = PydanticField(default="", max_length=2000, description="why it was sent back")


class FindingOut(BaseModel):
    """What one of the tenant's checks found, in German and English, with advice."""

    rule: str
    severity: str
    message_de: str
    message_en: str
    advice_de: str
    advice_en: str
    details: dict[str, Any]


def finding_out(finding: Finding) -> FindingOut:
    """The API's view of a finding."""
    return FindingOut(
        rule=finding.rule,
        severity=finding.severity,
        message_de=finding.message_de,
        message_en=finding.message_en,
        advice_de=finding.advice_de,
        advice_en=finding.advice_en,
        details=dict(finding.details),
    )


class ReplyOut(BaseModel):
    """A reply as the API shows it."""

    id: str
    conversation_id: str
    agent_id: str
    channel: str
    text: str
    status: ReplyStatus
    external_id: str | None
    failure_reason: str | None
    created_at: datetime
    sent_at: datetime | None
    attempts: int = PydanticField(default=0, description="tries so far")
    next_attempt_at: datetime | None = PydanticField(default=None, description="while queued: the next try")
    delivered_at: datetime | None = None
    read_at: datetime | None = None
    idempotency_key: str | None = None
    parts: list[str] | None = PydanticField(default=None, description="a long post on X, as a thread")
    human_agent_tag: bool = False
    findings: list[FindingOut] | None = PydanticField(
        default=None, description="what the tenant's checks found (warnings, or blocks of a draft)"
    )
    negative_words: list[str] | None = None
    template_id: str | None = None
    decided_by: str | None = PydanticField(default=None, description="who approved or rejected it")
    decided_at: datetime | None = None
    rejection_reason: str | None = None
