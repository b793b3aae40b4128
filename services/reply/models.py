"""Reply's tables and the shapes of its requests and answers."""

from __future__ import annotations

import enum
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy import Index
from sqlalchemy import text as sql_text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from services.kit.db import UtcDateTime, add_kit_tables

MAX_REPLY = 65_536


class Base(SQLModel, registry=registry()):
    """Base of reply's tables."""


class ReplyStatus(enum.StrEnum):
    """Where a reply stands: queued (to be sent, maybe again), sending (a process holds it until
    `lease_until`), sent, delivered and read (by the channel's receipts), or failed."""

    requested = "requested"  # rows from before durable dispatch
    queued = "queued"
    sending = "sending"
    sent = "sent"
    delivered = "delivered"
    read = "read"
    failed = "failed"


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


metadata = Base.metadata
add_kit_tables(metadata)


class ReplyIn(BaseModel):
    """An agent's answer."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "Hallo Karla, das tut uns leid! Wir schauen sofort nach."}]},
    )

    text: str = PydanticField(min_length=1, max_length=MAX_REPLY)


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
