"""Reporting's read models and report shapes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import Index
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from services.kit.db import UtcDateTime, add_kit_tables


class Base(SQLModel, registry=registry()):
    """Base of reporting's tables."""


class MessageFact(Base, table=True):
    """One received message."""

    __tablename__ = "message_facts"
    __table_args__ = (Index("ix_message_facts_tenant_received", "tenant_id", "received_at"),)

    message_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    channel: str = Field(max_length=32)
    received_at: datetime = Field(sa_type=UtcDateTime)


class ConversationFact(Base, table=True):
    """One conversation's milestones, from conversation and reply events in whatever order they come."""

    __tablename__ = "conversation_facts"
    __table_args__ = (Index("ix_conversation_facts_tenant_opened", "tenant_id", "opened_at"),)

    conversation_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    channel: str | None = Field(default=None, max_length=32)
    opened_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    first_response_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


metadata = Base.metadata
add_kit_tables(metadata)


class Seconds(BaseModel):
    """A duration distribution in seconds; null when nothing was measured."""

    median: float | None
    p90: float | None


class Summary(BaseModel):
    """The headline KPIs of a tenant."""

    messages_received: int
    conversations_opened: int
    conversations_answered: int
    conversations_resolved: int
    response_rate: float | None
    first_response_seconds: Seconds
