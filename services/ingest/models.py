"""Ingest's tables and the shapes of its requests and answers."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from services.kit.db import UtcDateTime, add_kit_tables

CHANNEL_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"
MAX_TEXT = 65_536


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


class MessageAccepted(BaseModel):
    """The answer to an accepted message."""

    id: str
    status: str = "accepted"
    duplicate: bool = False
