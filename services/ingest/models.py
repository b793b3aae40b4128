"""Ingest's tables and the shapes of its requests and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from services.kit.db import UtcDateTime, add_kit_tables

CHANNEL_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"
MAX_TEXT = 65_536
MAX_EXTERNAL_ID = 256  # inbound_messages.external_id, threads.customer_id
MAX_CONVERSATION_KEY = 512


class Base(SQLModel, registry=registry()):
    """Base of ingest's tables."""


class InboundMessage(Base, table=True):
    """A channel message this tenant has accepted: one row per channel message id, for de-duplication."""

    __tablename__ = "inbound_messages"
    __table_args__ = (UniqueConstraint("tenant_id", "channel", "external_id", name="uq_inbound_channel_id"),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=256)
    conversation_key: str = Field(max_length=512)
    received_at: datetime = Field(sa_type=UtcDateTime)
    channel_account_id: str | None = Field(default=None, max_length=64)
    delivery_id: str | None = Field(default=None, max_length=64, index=True)


class ChannelAccount(Base, table=True):
    """A tenant's account on a channel (page, phone number, X user, mailbox, feed); maps deliveries to it."""

    __tablename__ = "channel_accounts"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=512)
    # Unique: "channel:external_id", so a delivery maps to one tenant; feeds, which anyone may read,
    # are unique per tenant only ("feed:tenant:url").
    route_key: str = Field(max_length=640, unique=True)
    name: str = Field(default="", max_length=256)
    # The secrets as one Fernet token (see secrets.py); never returned by the API.
    secrets: str = Field(default="", sa_column=Column(Text, nullable=False))
    # SHA-256 of the Meta/WhatsApp verify token, so a subscription check finds its account.
    verify_digest: str | None = Field(default=None, max_length=64, index=True)
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    enabled: bool = True
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class Delivery(Base, table=True):
    """A delivery exactly as the channel sent it, kept for audit: one webhook call, e-mail or frame."""

    __tablename__ = "deliveries"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    channel: str = Field(max_length=32)
    channel_account_id: str | None = Field(default=None, max_length=64)
    content_type: str = Field(default="", max_length=128)
    body: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(sa_type=UtcDateTime, index=True)


class Thread(Base, table=True):
    """A public thread's customer: who started it, so other people writing in it count as community."""

    __tablename__ = "threads"

    tenant_id: str = Field(primary_key=True, max_length=64)
    conversation_key: str = Field(primary_key=True, max_length=512)
    customer_id: str = Field(max_length=256)
    created_at: datetime = Field(sa_type=UtcDateTime)


metadata = Base.metadata
add_kit_tables(metadata)


class AuthorIn(BaseModel):
    """The person who wrote, as the channel knows them."""

    model_config = ConfigDict(extra="forbid")

    id: str = PydanticField(min_length=1, max_length=256, description="The channel's id of the author")
    handle: str | None = PydanticField(default=None, max_length=256)
    name: str | None = PydanticField(default=None, max_length=256)
    follower_count: int | None = PydanticField(default=None, ge=0)


class MessageIn(BaseModel):
    """A customer message from any channel."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channel": "x",
                    "external_id": "1861234567890123456",
                    "author": {"id": "4711", "handle": "@kunde", "name": "Karla Kunde"},
                    "text": "@telco Mein Internet ist seit gestern weg. Wann geht es wieder?",
                    "public": True,
                }
            ]
        },
    )

    channel: str = PydanticField(
        pattern=CHANNEL_PATTERN, description="x, facebook, whatsapp, email, chat ..."
    )
    external_id: str = PydanticField(min_length=1, max_length=256, description="The channel's message id")
    author: AuthorIn
    text: str = PydanticField(max_length=MAX_TEXT)
    public: bool = PydanticField(description="Posted publicly (true) or as a private message (false)")
    conversation_key: str | None = PydanticField(
        default=None,
        min_length=1,
        max_length=512,
        description="Thread or DM pair; default: channel and author",
    )
    in_reply_to: str | None = PydanticField(default=None, max_length=256)
    sent_at: datetime | None = PydanticField(default=None, description="When the customer sent it (RFC 3339)")
    addressed: bool = PydanticField(
        default=True,
        description="false for a public post that does not address the brand (listening): it is taken "
        "only when one of the tenant's monitoring rules matches, and then marked proactive",
    )


class MessageAccepted(BaseModel):
    """The answer to an accepted message; an unaddressed post no monitoring rule matched is not taken."""

    id: str | None
    status: Literal["accepted", "not_matched"] = "accepted"
    duplicate: bool = False


CHANNELS = ("facebook", "instagram", "whatsapp", "x", "email", "chat", "review", "feed")
Channel = Literal["facebook", "instagram", "whatsapp", "x", "email", "chat", "review", "feed"]


class ChannelAccountIn(BaseModel):
    """A channel account to register."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channel": "facebook",
                    "external_id": "104857600000001",
                    "name": "Telco Deutschland",
                    "secrets": {"app_secret": "…", "verify_token": "…", "access_token": "…"},
                }
            ]
        },
    )

    channel: Channel
    external_id: str = PydanticField(
        min_length=1,
        max_length=512,
        description="Page id, Instagram account id, WhatsApp phone number id, X user id, mailbox address, "
        "chat widget id, review profile id, or feed URL",
    )
    name: str = PydanticField(default="", max_length=256)
    secrets: dict[str, str] = PydanticField(
        default_factory=dict,
        description="app_secret and verify_token (Meta, WhatsApp), consumer_secret (X), signing_key "
        "(e-mail webhook), password (IMAP), webhook_secret (reviews) ... Encrypted at rest, never returned.",
    )
    settings: dict[str, Any] = PydanticField(
        default_factory=dict,
        description="Channel settings that are not secret (IMAP host, poll interval ...)",
    )
    enabled: bool = True


class ChannelAccountPatch(BaseModel):
    """A change to a channel account: given secrets replace the stored ones of the same name."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = PydanticField(default=None, max_length=256)
    secrets: dict[str, str] | None = None
    settings: dict[str, Any] | None = None
    enabled: bool | None = None


class ChannelAccountOut(BaseModel):
    """A channel account as the API shows it: secret names, never their values."""

    id: str
    channel: str
    external_id: str
    name: str
    secret_names: list[str]
    settings: dict[str, Any]
    enabled: bool
    created_at: datetime
    updated_at: datetime


class DeliveryAccepted(BaseModel):
    """The answer to a webhook delivery."""

    status: str = "ok"
    accepted: int = 0
    duplicates: int = 0
    ignored: int = 0
