"""Classify's tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from services.kit.db import UtcDateTime, add_kit_tables


class Base(SQLModel, registry=registry()):
    """Base of classify's tables."""


class MessageClassification(Base, table=True):
    """What was decided about one message, kept for corrections and training."""

    __tablename__ = "classifications"

    message_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    language: str = Field(max_length=8)
    sentiment_label: str = Field(max_length=16)
    sentiment_score: float
    category: str = Field(max_length=32)
    confidence: float
    urgency: int
    needs_triage: bool
    model_version: str = Field(max_length=64)
    classified_at: datetime = Field(sa_type=UtcDateTime)


metadata = Base.metadata
add_kit_tables(metadata)
