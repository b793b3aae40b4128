"""Classify's tables."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
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


class ClassifyIn(BaseModel):
    """A text to classify without publishing anything."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "@telco Seit 3 Tagen kein Internet!! Meine IBAN ist DE89 3704 0044 0532 0130 00",
                    "channel": "x",
                    "public": True,
                }
            ]
        },
    )

    text: str = PydanticField(max_length=65_536)
    channel: str = PydanticField(default="api", pattern=r"^[a-z][a-z0-9_-]{0,31}$")
    public: bool = False


class SentimentOut(BaseModel):
    """Negative, neutral or positive, with a score from -1 to 1."""

    label: str
    score: float


class CategoryOut(BaseModel):
    """The primary category with its confidence, and further categories that also apply."""

    primary: str
    confidence: float
    secondary: list[str]


class PrivateDataOut(BaseModel):
    """A piece of private data; offsets count Unicode code points."""

    kind: str
    start: int
    end: int


class ClassifyOut(BaseModel):
    """What classify decides about a text: the same facts MessageClassified carries."""

    language: str
    sentiment: SentimentOut
    category: CategoryOut
    urgency: int
    skills: list[str]
    private_data: list[PrivateDataOut]
    redacted_preview: str
    move_to_private: bool
    needs_triage: bool
    model_version: str
