"""Classify's tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, Index, LargeBinary, Text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from services.classify.rules import CategoryName, Key, RuleThen, RuleWhen, SentimentName
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
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rules: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The text with private data redacted, as far as the model reads it: what a correction trains on.
    text: str = Field(default="", sa_column=Column(Text, nullable=False))


class TenantRevision(Base, table=True):
    """A tenant's configuration revision: bumped by every change of its taxonomy, rules, private-data
    patterns or model, so that every classify replica notices at its next batch."""

    __tablename__ = "tenant_revisions"

    tenant_id: str = Field(primary_key=True, max_length=64)
    revision: int = 0
    # The tenant's own model (`webcare model train --tenant`), when it has one.
    model_version: str | None = Field(default=None, max_length=80)
    # Whether the tenant edited its taxonomy (until then the default applies).
    own_taxonomy: bool = False
    updated_at: datetime = Field(sa_type=UtcDateTime)


class TaxonomyTopic(Base, table=True):
    """One topic of a tenant's taxonomy: what it is called, which skill it needs, how it is found."""

    __tablename__ = "taxonomy_topics"

    tenant_id: str = Field(primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=64)
    labels: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    skill: str = Field(max_length=64)
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    examples: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_type=UtcDateTime)


class ClassificationRule(Base, table=True):
    """A tenant's rule that overrides or adds to what the model decided."""

    __tablename__ = "classification_rules"
    __table_args__ = (Index("ix_classification_rules_tenant_priority", "tenant_id", "priority", "id"),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    name: str = Field(max_length=200)
    priority: int
    enabled: bool = True
    when: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    then: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class PrivateDataPattern(Base, table=True):
    """A tenant's own kind of private data (customer or contract numbers), as a regular expression."""

    __tablename__ = "private_data_patterns"
    __table_args__ = (Index("ix_private_data_patterns_tenant_kind", "tenant_id", "kind", unique=True),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    kind: str = Field(max_length=64)
    pattern: str = Field(max_length=500)
    description: str = Field(default="", max_length=500)
    created_at: datetime = Field(sa_type=UtcDateTime)


class Correction(Base, table=True):
    """An agent's correction of a classification: the truth a tenant's model is trained with."""

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_tenant_corrected", "tenant_id", "corrected_at"),)

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    message_id: str = Field(max_length=64, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(max_length=32)
    sentiment: str = Field(max_length=16)
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # What the classification said before, for measuring how often agents disagree.
    was_category: str = Field(max_length=32)
    was_sentiment: str = Field(max_length=16)
    corrected_by: str = Field(max_length=64)
    corrected_at: datetime = Field(sa_type=UtcDateTime)


class TenantModel(Base, table=True):
    """A model trained for one tenant: the corpus plus its agents' corrections."""

    __tablename__ = "tenant_models"

    version: str = Field(primary_key=True, max_length=80)
    tenant_id: str = Field(max_length=64, index=True)
    artifact: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    corrections: int
    metrics: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UtcDateTime)


class RecentContact(Base, table=True):
    """When an author last wrote to a tenant about a topic (or category): repeat contact raises urgency."""

    __tablename__ = "recent_contacts"

    tenant_id: str = Field(primary_key=True, max_length=64)
    author: str = Field(primary_key=True, max_length=200)
    subject: str = Field(primary_key=True, max_length=64)
    last_at: datetime = Field(sa_type=UtcDateTime)
    count: int = 1


class ExportProgress(Base, table=True):
    """How many events classify has sent of an export's part so far, so that its answers to ingest's
    events are numbered without gaps; deleted when the part is complete."""

    __tablename__ = "export_progress"

    export_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    emitted: int = 0
    updated_at: datetime = Field(sa_type=UtcDateTime)


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
    followers: int = PydanticField(default=0, ge=0, description="The author's reach, 0 when unknown.")
    rating: int = PydanticField(default=0, ge=0, le=5, description="A review's stars, 1..5; 0 if no review.")


class SentimentOut(BaseModel):
    """Negative, neutral or positive, with a score from -1 to 1."""

    label: str
    score: float


class SecondaryOut(BaseModel):
    """A further category that also applies, with its confidence."""

    category: str
    confidence: float


class CategoryOut(BaseModel):
    """The primary category with its confidence, and further categories that also apply."""

    primary: str
    confidence: float
    secondary: list[SecondaryOut]


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
    topics: list[str]
    rules: list[str] = PydanticField(description="Names of the tenant's rules that applied.")


SKILL = r"^[a-z][a-z0-9_-]{0,63}$"


class TopicIn(BaseModel):
    """A topic of the tenant's taxonomy: names, the skill it needs, and how to recognise it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "labels": {"de": "Glasfaser-Ausbau", "en": "Fibre roll-out"},
                    "skill": "fibre",
                    "keywords": ["glasfaser*", "ftth", "hausanschluss", "fibre", "fiber"],
                    "examples": ["Wann wird bei uns in der Straße Glasfaser verlegt?"],
                }
            ]
        },
    )

    labels: dict[str, str] = PydanticField(
        description="Names by ISO 639-1 code; German and English required."
    )
    skill: str = PydanticField(pattern=SKILL, description="The skill an agent needs for this topic.")
    keywords: list[str] = PydanticField(default_factory=list, max_length=200)
    examples: list[str] = PydanticField(default_factory=list, max_length=100)

    @field_validator("labels")
    @classmethod
    def _labels(cls, labels: dict[str, str]) -> dict[str, str]:
        if not {"de", "en"} <= labels.keys():
            raise ValueError("labels need at least German (de) and English (en)")
        if any(not 1 <= len(label) <= 100 or len(code) > 8 for code, label in labels.items()):
            raise ValueError("each label has 1 to 100 characters")
        return labels

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, keywords: list[str]) -> list[str]:
        if any(not 1 <= len(k.strip("* ")) <= 100 for k in keywords):
            raise ValueError("a keyword has 1 to 100 characters besides wildcards")
        return keywords

    @field_validator("examples")
    @classmethod
    def _examples(cls, examples: list[str]) -> list[str]:
        if any(not 1 <= len(e.strip()) <= 1_000 for e in examples):
            raise ValueError("an example has 1 to 1000 characters")
        return examples

    @model_validator(mode="after")
    def _findable(self) -> TopicIn:
        if not self.keywords and not self.examples:
            raise ValueError("a topic needs keywords or examples to be found by")
        return self


class TopicOut(BaseModel):
    """A topic of the tenant's taxonomy."""

    key: str
    labels: dict[str, str]
    skill: str
    keywords: list[str]
    examples: list[str]
    default: bool = PydanticField(description="Whether this is the default taxonomy (not edited yet).")


class RuleIn(BaseModel):
    """A rule: when its conditions hold for a message, its decisions override the model's."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Presse und Anwälte sofort",
                    "priority": 10,
                    "when": {"keywords": ["anwalt*", "presse", "journalist*", "lawyer*"], "public": True},
                    "then": {"category": "crisis", "urgency": 5, "add_skills": ["escalation"]},
                }
            ]
        },
    )

    name: str = PydanticField(min_length=1, max_length=200)
    priority: int = PydanticField(default=100, ge=0, le=1_000_000, description="Lower runs first.")
    enabled: bool = True
    when: RuleWhen
    then: RuleThen


class RuleOut(RuleIn):
    """A stored rule."""

    model_config = ConfigDict(extra="ignore")

    id: str
    created_at: datetime
    updated_at: datetime


class PatternIn(BaseModel):
    """A tenant's own kind of private data, found by a regular expression (RE2 syntax)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"kind": "customer_number", "pattern": r"\bKD-?\d{7}\b", "description": "Kundennummer"}
            ]
        },
    )

    kind: str = PydanticField(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    pattern: str = PydanticField(min_length=1, max_length=500)
    description: str = PydanticField(default="", max_length=500)


class PatternOut(PatternIn):
    """A stored private-data pattern."""

    model_config = ConfigDict(extra="ignore")

    id: str
    created_at: datetime


class CorrectionIn(BaseModel):
    """What an agent says the classification should have been; what is left out stays."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"category": "complaint", "sentiment": "negative"}]}
    )

    category: CategoryName | None = None
    sentiment: SentimentName | None = None
    topics: list[Key] | None = PydanticField(default=None, max_length=50)

    @model_validator(mode="after")
    def _something(self) -> CorrectionIn:
        if self.category is None and self.sentiment is None and self.topics is None:
            raise ValueError("a correction names a category, a sentiment or topics")
        return self


class CorrectionOut(BaseModel):
    """A stored correction."""

    id: str
    message_id: str
    category: str
    sentiment: str
    topics: list[str]
    was_category: str
    was_sentiment: str
    corrected_by: str
    corrected_at: datetime


class ClassificationOut(BaseModel):
    """What classify decided about a message, and what agents corrected."""

    message_id: str
    language: str
    sentiment: SentimentOut
    category: str
    confidence: float
    urgency: int
    topics: list[str]
    rules: list[str]
    needs_triage: bool
    model_version: str
    classified_at: datetime
    corrections: list[CorrectionOut]
