"""Listening: the tenant's monitoring rules decide which unaddressed public posts become conversations.

Rules are kept compiled per tenant in this process. Every change writes a new random stamp for the
tenant in the same transaction; `match_all` reads that stamp (one query per call, however many posts)
and recompiles only when it differs, so every ingest process sees a change at its next call.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.ingest.channels.base import Inbound
from services.ingest.listening_models import (
    MonitoringRule,
    MonitoringRuleIn,
    MonitoringRuleOut,
    MonitoringStamp,
)
from services.ingest.monitoring import Post, Query, QuerySyntaxError, Term, exclusion_of, parse
from services.kit.deps import SupervisorDep, runtime
from services.kit.errors import Conflict, NotFound
from services.kit.events import now
from services.kit.ids import new_id
from services.kit.runtime import Runtime
from services.kit.schemas import Page
from services.kit.uow import UnitOfWork

log = logging.getLogger(__name__)

# Languages the detector always tells apart, besides those rules name: with too few candidates a
# Dutch post would be "German" to a detector that knows only German and English.
BASE_LANGUAGES = frozenset({"de", "en", "nl", "fr", "es", "it", "tr", "pl"})
LANGUAGE_SAMPLE_CHARS = 1_000
TENANTS_CACHED = 10_000
_NOT_LANGUAGE = re.compile(r"https?://\S+|(?<!\w)[#@]\w+|[^\w\s'-]|\d|_")


@dataclass(frozen=True)
class Match:
    """The monitoring rules a post matched."""

    rules: tuple[str, ...]
    lead: bool = False


@dataclass(frozen=True)
class Watch:
    """A monitoring rule compiled for matching."""

    name: str
    query: Query
    exclusions: tuple[Term, ...]
    languages: frozenset[str]
    channels: frozenset[str]
    lead: bool

    def hears(self, post: Post, channel: str) -> bool:
        """Whether the post matches, languages aside (they are checked last: detection costs)."""
        if self.channels and channel not in self.channels:
            return False
        return self.query.holds(post) and not any(term.holds(post) for term in self.exclusions)


@dataclass(frozen=True)
class RuleSet:
    """A tenant's enabled rules in priority order, as of a stamp."""

    stamp: str
    watches: tuple[Watch, ...]
    languages: frozenset[str]  # every language a rule names


_RULE_SETS: dict[str, RuleSet] = {}
_DETECTORS: dict[frozenset[str], LanguageDetector] = {}


class RuleRepository:
    """Every query of monitoring rules."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def stamp(self, tenant_id: str) -> str | None:
        """The stamp of the tenant's rules; None when it never had any."""
        query = select(MonitoringStamp.stamp).where(MonitoringStamp.tenant_id == tenant_id)
        return (await self.session.exec(query)).first()

    async def touch(self, tenant_id: str) -> None:
        """Give the tenant's rules a new stamp: every process recompiles them at its next match."""
        conn = await self.session.connection()
        table = MonitoringStamp.__table__  # type: ignore[attr-defined]
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        values = {"tenant_id": tenant_id, "stamp": new_id(), "changed_at": now()}
        statement = insert(table).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.tenant_id],
            set_={"stamp": statement.excluded.stamp, "changed_at": statement.excluded.changed_at},
        )
        await conn.execute(statement)

    async def all(self, tenant_id: str, *, enabled_only: bool = False) -> list[MonitoringRule]:
        """The tenant's rules in priority order."""
        query = select(MonitoringRule).where(MonitoringRule.tenant_id == tenant_id)
        if enabled_only:
            query = query.where(col(MonitoringRule.enabled).is_(True))
        query = query.order_by(col(MonitoringRule.priority), col(MonitoringRule.name))
        return list((await self.session.exec(query)).all())

    async def get(self, tenant_id: str, rule_id: str) -> MonitoringRule | None:
        """One of the tenant's rules."""
        query = select(MonitoringRule).where(
            MonitoringRule.tenant_id == tenant_id, MonitoringRule.id == rule_id
        )
        return (await self.session.exec(query)).first()

    async def named(self, tenant_id: str, name: str) -> MonitoringRule | None:
        """The tenant's rule of this name."""
        query = select(MonitoringRule).where(
            MonitoringRule.tenant_id == tenant_id, MonitoringRule.name == name
        )
        return (await self.session.exec(query)).first()


async def create_rule(uow: UnitOfWork, tenant_id: str, data: MonitoringRuleIn) -> MonitoringRule:
    """Add a rule; 409 when the tenant has one of that name."""
    repo = RuleRepository(uow.session)
    await _name_free(repo, tenant_id, data.name)
    at = now()
    row = MonitoringRule(
        id=new_id(), tenant_id=tenant_id, name=data.name, query=data.query, created_at=at, updated_at=at
    )
    _apply(row, data)
    uow.session.add(row)
    await repo.touch(tenant_id)
    return row


async def list_rules(uow: UnitOfWork, tenant_id: str) -> list[MonitoringRule]:
    """The tenant's rules in priority order."""
    return await RuleRepository(uow.session).all(tenant_id)


async def get_rule(uow: UnitOfWork, tenant_id: str, rule_id: str) -> MonitoringRule:
    """One of the tenant's rules; 404 when it has none of that id."""
    row = await RuleRepository(uow.session).get(tenant_id, rule_id)
    if row is None:
        raise NotFound(f"no monitoring rule {rule_id!r}")
    return row


async def replace_rule(
    uow: UnitOfWork, tenant_id: str, rule_id: str, data: MonitoringRuleIn
) -> MonitoringRule:
    """Replace a rule; 409 when another of the tenant's rules has the new name."""
    row = await get_rule(uow, tenant_id, rule_id)
    repo = RuleRepository(uow.session)
    if data.name != row.name:
        await _name_free(repo, tenant_id, data.name)
    _apply(row, data)
    row.updated_at = now()
    uow.session.add(row)
    await repo.touch(tenant_id)
    return row


async def delete_rule(uow: UnitOfWork, tenant_id: str, rule_id: str) -> None:
    """Remove a rule."""
    row = await get_rule(uow, tenant_id, rule_id)
    await uow.session.delete(row)
    await RuleRepository(uow.session).touch(tenant_id)


async def _name_free(repo: RuleRepository, tenant_id: str, name: str) -> None:
    if await repo.named(tenant_id, name) is not None:
        raise Conflict(f"a monitoring rule named {name!r} exists already")


def _apply(row: MonitoringRule, data: MonitoringRuleIn) -> None:
    row.name, row.query, row.exclusions = data.name, data.query, list(data.exclusions)
    row.languages, row.channels = list(data.languages or []), list(data.channels or [])
    row.lead, row.enabled, row.priority = data.lead, data.enabled, data.priority


def compile_rule(row: MonitoringRule) -> Watch | None:
    """A stored rule ready for matching; None (logged) for one that no longer parses."""
    try:
        query = parse(row.query)
        exclusions = tuple(exclusion_of(text) for text in row.exclusions)
    except QuerySyntaxError as exc:
        log.warning("monitoring rule %s of %s is skipped: %s", row.id, row.tenant_id, exc)
        return None
    return Watch(
        name=row.name,
        query=query,
        exclusions=exclusions,
        languages=frozenset(row.languages),
        channels=frozenset(row.channels),
        lead=row.lead,
    )


async def rule_set(session: AsyncSession, tenant_id: str) -> RuleSet:
    """The tenant's compiled enabled rules: from memory while their stamp is unchanged."""
    repo = RuleRepository(session)
    stamp = await repo.stamp(tenant_id)
    if stamp is None:
        return RuleSet(stamp="", watches=(), languages=frozenset())
    cached = _RULE_SETS.get(tenant_id)
    if cached is not None and cached.stamp == stamp:
        return cached
    # The stamp was read first: a change committed meanwhile gives a newer stamp, so at worst the
    # next call compiles once more.
    watches = tuple(w for w in map(compile_rule, await repo.all(tenant_id, enabled_only=True)) if w)
    found = RuleSet(
        stamp=stamp,
        watches=watches,
        languages=frozenset(code for watch in watches for code in watch.languages),
    )
    if len(_RULE_SETS) >= TENANTS_CACHED:
        _RULE_SETS.clear()
    _RULE_SETS[tenant_id] = found
    return found


def _build_detector(codes: frozenset[str]) -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in sorted(codes)]
    builder = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode()
    return builder.with_preloaded_language_models().build()


async def detector(codes: frozenset[str]) -> LanguageDetector:
    """A low-accuracy detector of these languages and the base ones, built once (off the loop)."""
    key = codes | BASE_LANGUAGES
    found = _DETECTORS.get(key)
    if found is None:
        found = await asyncio.to_thread(_build_detector, key)
        _DETECTORS[key] = found
    return found


def language_of(found: LanguageDetector, text: str) -> str:
    """The ISO 639-1 code of the text's language, or "und" when it cannot be told."""
    sample = _NOT_LANGUAGE.sub(" ", text[:LANGUAGE_SAMPLE_CHARS]).strip()
    language = found.detect_language_of(sample) if sample else None
    return language.iso_code_639_1.name.lower() if language is not None else "und"


def match(rules: RuleSet, item: Inbound, found: LanguageDetector | None) -> Match | None:
    """The rules a post matches in priority order, or None."""
    text = f"{item.subject}\n{item.text}" if item.subject else item.text
    post = Post.of(text)
    language: str | None = None
    names: list[str] = []
    lead = False
    for watch in rules.watches:
        if not watch.hears(post, item.channel):
            continue
        if watch.languages:
            if language is None:
                language = language_of(found, text) if found is not None else "und"
            if language not in watch.languages:
                continue
        names.append(watch.name)
        lead = lead or watch.lead
    return Match(rules=tuple(names), lead=lead) if names else None


async def match_all(session: AsyncSession, tenant_id: str, items: Sequence[Inbound]) -> list[Match | None]:
    """For each unaddressed post, the rules it matched, or None when none did (it is not taken).

    A post's channel is `Inbound.channel`; a rule limited to channels never matches a post that
    does not name its channel.
    """
    rules = await rule_set(session, tenant_id)
    if not rules.watches:
        return [None for _ in items]
    found = await detector(rules.languages) if rules.languages else None
    return [match(rules, item, found) for item in items]


RuntimeDep = Annotated[Runtime, Depends(runtime("ingest"))]
RuleId = Annotated[str, Path(max_length=64, description="The monitoring rule's id")]


def router() -> APIRouter:
    """The routes of monitoring rules: /v1/monitoring-rules."""
    api = APIRouter()

    @api.post(
        "/monitoring-rules",
        status_code=status.HTTP_201_CREATED,
        summary="Add a monitoring rule",
        description="Public posts that do not address the brand and match the query become proactive "
        "conversations tagged with the rule. A query that does not parse answers 422 with the "
        "position and the reason; a name the tenant uses already answers 409.",
    )
    async def create(
        data: MonitoringRuleIn, principal: SupervisorDep, rt: RuntimeDep, response: Response
    ) -> MonitoringRuleOut:
        async with rt.unit_of_work() as uow:
            row = await create_rule(uow, principal.tenant_id, data)
        response.headers["Location"] = f"/v1/monitoring-rules/{row.id}"
        return MonitoringRuleOut.of(row)

    @api.get("/monitoring-rules", summary="The tenant's monitoring rules, in priority order")
    async def list_all(principal: SupervisorDep, rt: RuntimeDep) -> Page[MonitoringRuleOut]:
        async with rt.unit_of_work() as uow:
            rows = await list_rules(uow, principal.tenant_id)
        return Page(items=[MonitoringRuleOut.of(row) for row in rows], next_cursor=None)

    @api.get("/monitoring-rules/{rule_id}", summary="One monitoring rule")
    async def get(rule_id: RuleId, principal: SupervisorDep, rt: RuntimeDep) -> MonitoringRuleOut:
        async with rt.unit_of_work() as uow:
            row = await get_rule(uow, principal.tenant_id, rule_id)
        return MonitoringRuleOut.of(row)

    @api.put("/monitoring-rules/{rule_id}", summary="Replace a monitoring rule")
    async def put(
        rule_id: RuleId, data: MonitoringRuleIn, principal: SupervisorDep, rt: RuntimeDep
    ) -> MonitoringRuleOut:
        async with rt.unit_of_work() as uow:
            row = await replace_rule(uow, principal.tenant_id, rule_id, data)
        return MonitoringRuleOut.of(row)

    @api.delete(
        "/monitoring-rules/{rule_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary="Remove a monitoring rule",
    )
    async def delete(rule_id: RuleId, principal: SupervisorDep, rt: RuntimeDep) -> Response:
        async with rt.unit_of_work() as uow:
            await delete_rule(uow, principal.tenant_id, rule_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return api
