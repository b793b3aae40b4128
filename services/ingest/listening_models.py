"""Listening's tables (monitoring rules, the feeds' poll state) and the shapes of its API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from lingua import IsoCode639_1
from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import Field as PydanticField
from pydantic_core import PydanticCustomError
from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field

from services.ingest.models import CHANNEL_PATTERN, Base
from services.ingest.monitoring import MAX_QUERY_CHARS, QuerySyntaxError, exclusion_of, parse
from services.kit.db import UtcDateTime

MAX_EXCLUSIONS = 100
MAX_NAMES = 50  # languages or channels a rule names


class MonitoringRule(Base, table=True):
    """A tenant's monitoring rule: which public posts that do not address the brand it wants to hear."""

    __tablename__ = "monitoring_rules"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name", name="uq_monitoring_rules_tenant_name"),
        Index("ix_monitoring_rules_tenant_priority", "tenant_id", "priority", "name"),
    )

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64)
    name: str = Field(max_length=200)
    query: str = Field(max_length=MAX_QUERY_CHARS)
    exclusions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    lead: bool = False
    enabled: bool = True
    priority: int = 100
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class MonitoringStamp(Base, table=True):
    """A new random stamp whenever a tenant's rules change: matchers in every process compare it to
    the stamp of the rules they hold compiled, and reload only when it differs."""

    __tablename__ = "monitoring_stamps"

    tenant_id: str = Field(primary_key=True, max_length=64)
    stamp: str = Field(max_length=64)
    changed_at: datetime = Field(sa_type=UtcDateTime)


class FeedState(Base, table=True):
    """What the poller remembers of a feed account: its validators, the last body, and when it polled."""

    __tablename__ = "feed_states"

    channel_account_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(max_length=64, index=True)
    etag: str = Field(default="", max_length=1024)
    last_modified: str = Field(default="", max_length=128)
    body_digest: str = Field(default="", max_length=64)  # SHA-256 of the last body taken
    polled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    failures: int = 0  # polls that failed since the last one that worked
    last_error: str = Field(default="", max_length=500)


def _query(value: str) -> str:
    try:
        parse(value)
    except QuerySyntaxError as exc:
        raise PydanticCustomError(
            "query_syntax",
            "position {position}: {reason}",
            {"position": exc.position, "reason": exc.reason},
        ) from None
    return value


class MonitoringRuleIn(BaseModel):
    """A monitoring rule: public posts its query matches become proactive conversations."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Wechselwillige / switchers",
                    "query": 'suche* AND (handyvertrag OR tarif) OR "looking for" AND "phone contract"',
                    "exclusions": ["gewinnspiel", "giveaway"],
                    "languages": ["de", "en"],
                    "lead": True,
                    "priority": 10,
                },
                {
                    "name": "Störungen",
                    "query": "(#telcofail OR @telco OR telco) AND (störung OR netz* OR outage)",
                    "channels": ["x", "feed"],
                },
            ]
        },
    )

    name: str = PydanticField(min_length=1, max_length=200, description="Unique among the tenant's rules")
    query: str = PydanticField(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description='Words, "phrases", #hashtags, @handles with AND, OR, NOT (UND, ODER, NICHT) and '
        "parentheses; side by side means AND; `vertrag*` matches words that start so.",
    )
    exclusions: list[str] = PydanticField(
        default_factory=list,
        max_length=MAX_EXCLUSIONS,
        description="Words or phrases any of which vetoes a match",
    )
    languages: list[str] | None = PydanticField(
        default=None, max_length=MAX_NAMES, description="ISO 639-1 codes; the post must be in one of them"
    )
    channels: list[str] | None = PydanticField(
        default=None, max_length=MAX_NAMES, description="The post's channel must be one of them"
    )
    lead: bool = PydanticField(default=False, description="A match is a purchase signal")
    enabled: bool = True
    priority: int = PydanticField(default=100, ge=0, le=1_000_000, description="Lower comes first.")

    @field_validator("query")
    @classmethod
    def _parsed(cls, value: str) -> str:
        return _query(value)

    @field_validator("exclusions")
    @classmethod
    def _exclusions(cls, values: list[str]) -> list[str]:
        for value in values:
            if len(value) > 200:
                raise ValueError("an exclusion has at most 200 characters")
            try:
                exclusion_of(value)
            except QuerySyntaxError as exc:
                raise ValueError(f"exclusion {value!r}: {exc.reason}") from None
        return values

    @field_validator("languages")
    @classmethod
    def _languages(cls, values: list[str] | None) -> list[str]:
        codes = [value.strip().lower() for value in values or []]
        for code in codes:
            if not hasattr(IsoCode639_1, code.upper()) or not code.isalpha() or len(code) != 2:
                raise ValueError(f"{code!r} is not an ISO 639-1 language code the detector knows")
        return sorted(set(codes))

    @field_validator("channels")
    @classmethod
    def _channels(cls, values: list[str] | None) -> list[str]:
        for value in values or []:
            if re.fullmatch(CHANNEL_PATTERN, value) is None:
                raise ValueError(f"{value!r} is not a channel name")
        return sorted(set(values or []))


class MonitoringRuleOut(BaseModel):
    """A stored monitoring rule."""

    id: str
    name: str
    query: str
    exclusions: list[str]
    languages: list[str]
    channels: list[str]
    lead: bool
    enabled: bool
    priority: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: MonitoringRule) -> MonitoringRuleOut:
        """The API's view of a row."""
        data: dict[str, Any] = row.model_dump()
        return cls.model_validate(data)
