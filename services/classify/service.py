"""Classify's logic: decide about received messages and announce the decisions; the tenant's
taxonomy, rules and private-data patterns; agents' corrections."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from webcare.v1 import common_pb2, messages_pb2

from services.classify.classifier import Classification, Classifier, Item
from services.classify.models import (
    CategoryOut,
    ClassificationRule,
    ClassifyIn,
    ClassifyOut,
    Correction,
    MessageClassification,
    PatternIn,
    PrivateDataOut,
    PrivateDataPattern,
    RuleIn,
    SecondaryOut,
    SentimentOut,
    TaxonomyTopic,
)
from services.classify.patterns import InvalidPattern, SafePattern
from services.classify.private_data import BUILT_IN_KINDS
from services.classify.repository import ClassificationRepository, ContactRepository, TenantRepository
from services.classify.taxonomy import DEFAULT_TOPICS
from services.classify.tenants import TenantConfigs, compile_rule
from services.classify.workers import Classifiers
from services.kit.errors import Conflict, NotFound, Unprocessable
from services.kit.events import new_event, now
from services.kit.ids import new_id
from services.kit.uow import UnitOfWork

log = logging.getLogger(__name__)

REPEAT_WITHIN = timedelta(hours=72)  # a contact about the same thing this soon again is more urgent
ALREADY = "already classified"


async def classify_batch(
    uow: UnitOfWork,
    classifiers: Classifiers,
    configs: TenantConfigs,
    messages: Sequence[messages_pb2.MessageReceived],
) -> dict[str, Classification | str]:
    """Classify and store a batch of received messages: a Classification per event id, or ALREADY.
    (The handler of each event announces it: `announce`.)"""
    known = await ClassificationRepository(uow.session).known({m.message_id for m in messages})
    fresh = [m for m in messages if m.message_id not in known]
    by_tenant: dict[str, list[messages_pb2.MessageReceived]] = defaultdict(list)
    for message in fresh:
        by_tenant[message.tenant_id].append(message)
    tenant_configs = await configs.of(uow.session, by_tenant)
    results: dict[str, Classification | str] = {
        m.event_id: ALREADY for m in messages if m.message_id in known
    }
    rows: list[dict[str, Any]] = []
    at = now()
    for tenant_id, batch in by_tenant.items():
        config = tenant_configs[tenant_id]
        key = None if config is classifiers.classifier.default_config else (tenant_id, config.revision)
        decided = await classifiers.classify(key, config, [_item(m) for m in batch])
        decided = await _repeat_contacts(uow, tenant_id, batch, decided)
        results.update((m.event_id, c) for m, c in zip(batch, decided, strict=True))
        rows.extend(_row(m, c, at) for m, c in zip(batch, decided, strict=True))
    await ClassificationRepository(uow.session).add_all(rows)
    return results


def _item(message: messages_pb2.MessageReceived) -> Item:
    # An e-mail's subject or a review's title says as much as the text.
    text = f"{message.subject}\n{message.text}" if message.subject else message.text
    return Item(
        text=text,
        public=message.is_public,
        channel=message.channel,
        followers=message.author.follower_count,
        rating=message.rating,
    )


async def _repeat_contacts(
    uow: UnitOfWork,
    tenant_id: str,
    batch: Sequence[messages_pb2.MessageReceived],
    decided: Sequence[Classification],
) -> list[Classification]:
    """Raise the urgency of a message whose author wrote about the same topic (or, without topics,
    in the same category) within REPEAT_WITHIN, and note every contact for the next ones."""
    authors = {_author(m) for m in batch if m.author.external_id}
    contacts = ContactRepository(uow.session)
    last = await contacts.last(tenant_id, authors) if authors else {}
    seen: dict[tuple[str, str], datetime] = {}
    out: list[Classification] = []
    for message, result in zip(batch, decided, strict=True):
        if not message.author.external_id or (result.needs_triage and result.confidence == 0.0):
            out.append(result)  # no author to recognise, or nothing classified to compare
            continue
        author = _author(message)
        at = message.occurred_at.ToDatetime(tzinfo=UTC) if message.HasField("occurred_at") else now()
        subjects = [(author, subject) for subject in result.topics or (result.category,)]
        repeat = any(key in last and at - last[key] <= REPEAT_WITHIN for key in subjects)
        if repeat and not result.urgency_by_rule:
            result = replace(result, urgency=min(5, result.urgency + 1))
        for key in subjects:
            last[key] = seen[key] = max(at, last.get(key, at))
        out.append(result)
    await contacts.note(tenant_id, seen)
    return out


def _author(message: messages_pb2.MessageReceived) -> str:
    return f"{message.channel}:{message.author.external_id}"[:200]


def _row(message: messages_pb2.MessageReceived, result: Classification, at: datetime) -> dict[str, Any]:
    """The stored classification of a message, by column."""
    return {
        "message_id": message.message_id,
        "tenant_id": message.tenant_id,
        "language": result.language,
        "sentiment_label": result.sentiment_label,
        "sentiment_score": result.sentiment_score,
        "category": result.category,
        "confidence": result.confidence,
        "urgency": result.urgency,
        "needs_triage": result.needs_triage,
        "model_version": result.model_version,
        "classified_at": at,
        "topics": list(result.topics),
        "rules": list(result.rules),
        "text": result.text,
    }


def announce(uow: UnitOfWork, message: messages_pb2.MessageReceived, result: Classification) -> None:
    """Emit MessageClassified for a message `classify_batch` classified and stored."""
    uow.emit(_classified(message, result), key=message.conversation_key)


def _classified(
    message: messages_pb2.MessageReceived, result: Classification
) -> messages_pb2.MessageClassified:
    return new_event(
        messages_pb2.MessageClassified,
        tenant_id=message.tenant_id,
        message_id=message.message_id,
        message=message,
        language=result.language,
        sentiment=common_pb2.Sentiment(label=result.sentiment_label, score=result.sentiment_score),
        category=common_pb2.Category(
            primary=result.category,
            confidence=result.confidence,
            secondary=[name for name, _ in result.secondary],
            secondary_confidence=[confidence for _, confidence in result.secondary],
        ),
        urgency=result.urgency,
        skills=list(result.skills),
        needs_triage=result.needs_triage,
        model_version=result.model_version,
        private_data=[
            common_pb2.PrivateData(kind=f.kind, start=f.start, end=f.end) for f in result.private_data
        ],
        redacted_preview=result.redacted_preview,
        move_to_private=result.move_to_private,
        topics=list(result.topics),
        rules=list(result.rules),
    )


async def classify_text(
    uow: UnitOfWork, classifier: Classifier, configs: TenantConfigs, tenant_id: str, data: ClassifyIn
) -> ClassifyOut:
    """Classify a text for a caller with the tenant's configuration, publishing nothing."""
    config = await configs.one(uow.session, tenant_id)
    result = await asyncio.to_thread(
        classifier.classify,
        data.text,
        public=data.public,
        channel=data.channel,
        followers=data.followers,
        rating=data.rating,
        config=config,
    )
    return ClassifyOut(
        language=result.language,
        sentiment=SentimentOut(label=result.sentiment_label, score=result.sentiment_score),
        category=CategoryOut(
            primary=result.category,
            confidence=result.confidence,
            secondary=[SecondaryOut(category=name, confidence=p) for name, p in result.secondary],
        ),
        urgency=result.urgency,
        skills=list(result.skills),
        private_data=[PrivateDataOut(kind=f.kind, start=f.start, end=f.end) for f in result.private_data],
        redacted_preview=result.redacted_preview,
        move_to_private=result.move_to_private,
        needs_triage=result.needs_triage,
        model_version=result.model_version,
        topics=list(result.topics),
        rules=list(result.rules),
    )


# --- the tenant's configuration ------------------------------------------------------------------


async def has_own_taxonomy(uow: UnitOfWork, tenant_id: str) -> bool:
    """Whether the tenant edited its taxonomy (until then, the default applies)."""
    revision = (await TenantRepository(uow.session).revisions([tenant_id])).get(tenant_id)
    return revision is not None and revision.own_taxonomy


async def own_topics(uow: UnitOfWork, tenant_id: str) -> list[TaxonomyTopic]:
    """The tenant's taxonomy: its own topics, or the default ones until it edits them."""
    if await has_own_taxonomy(uow, tenant_id):
        return list(await TenantRepository(uow.session).topics(tenant_id))
    return [
        TaxonomyTopic(
            tenant_id=tenant_id,
            key=spec.key,
            labels=spec.labels,
            skill=spec.skill,
            keywords=list(spec.keywords),
            examples=list(spec.examples),
            updated_at=now(),
        )
        for spec in DEFAULT_TOPICS
    ]


async def topic(uow: UnitOfWork, tenant_id: str, key: str) -> TaxonomyTopic:
    """One topic of the tenant's taxonomy."""
    found = next((t for t in await own_topics(uow, tenant_id) if t.key == key), None)
    if found is None:
        raise NotFound(f"no topic {key!r} in the taxonomy")
    return found


async def _edit_taxonomy(uow: UnitOfWork, tenant_id: str) -> TenantRepository:
    """Prepare the tenant's own taxonomy for an edit: the first edit starts from a copy of the default."""
    repo = TenantRepository(uow.session)
    if not await has_own_taxonomy(uow, tenant_id):
        for default in await own_topics(uow, tenant_id):
            repo.add(default)
    await repo.bump(tenant_id, taxonomy=True)
    return repo


async def put_topic(
    uow: UnitOfWork,
    tenant_id: str,
    key: str,
    *,
    labels: Mapping[str, str],
    skill: str,
    keywords: Sequence[str],
    examples: Sequence[str],
) -> tuple[TaxonomyTopic, bool]:
    """Create or replace one topic of the tenant's taxonomy; whether it was created."""
    repo = await _edit_taxonomy(uow, tenant_id)
    row = await repo.topic(tenant_id, key)
    created = row is None
    if row is None:
        row = TaxonomyTopic(tenant_id=tenant_id, key=key, skill=skill, updated_at=now())
        repo.add(row)
    row.labels, row.skill = dict(labels), skill
    row.keywords, row.examples = list(keywords), list(examples)
    row.updated_at = now()
    return row, created


async def delete_topic(uow: UnitOfWork, tenant_id: str, key: str) -> None:
    """Remove a topic from the tenant's taxonomy."""
    repo = await _edit_taxonomy(uow, tenant_id)
    await uow.session.flush()
    row = await repo.topic(tenant_id, key)
    if row is None:
        raise NotFound(f"no topic {key!r} in the taxonomy")
    await repo.delete(row)


async def rules(uow: UnitOfWork, tenant_id: str) -> Sequence[ClassificationRule]:
    """The tenant's rules in the order they apply."""
    return await TenantRepository(uow.session).rules(tenant_id)


async def add_rule(uow: UnitOfWork, tenant_id: str, data: RuleIn) -> ClassificationRule:
    """Add a rule to the tenant's rules."""
    at = now()
    rule = ClassificationRule(
        id=new_id(), tenant_id=tenant_id, name=data.name, priority=data.priority, created_at=at, updated_at=at
    )
    _set_rule(rule, data)
    repo = TenantRepository(uow.session)
    repo.add(rule)
    await repo.bump(tenant_id)
    return rule


def _set_rule(rule: ClassificationRule, data: RuleIn) -> None:
    """Write a rule's fields as given; what is stored must compile."""
    rule.name, rule.priority, rule.enabled = data.name, data.priority, data.enabled
    rule.when = data.when.model_dump(exclude_defaults=True)
    rule.then = data.then.model_dump(exclude_defaults=True)
    compile_rule(rule)


async def get_rule(uow: UnitOfWork, tenant_id: str, rule_id: str) -> ClassificationRule:
    """One of the tenant's rules."""
    rule = await TenantRepository(uow.session).rule(tenant_id, rule_id)
    if rule is None:
        raise NotFound("no such rule")
    return rule


async def replace_rule(uow: UnitOfWork, tenant_id: str, rule_id: str, data: RuleIn) -> ClassificationRule:
    """Replace one of the tenant's rules."""
    rule = await get_rule(uow, tenant_id, rule_id)
    _set_rule(rule, data)
    rule.updated_at = now()
    await TenantRepository(uow.session).bump(tenant_id)
    return rule


async def delete_rule(uow: UnitOfWork, tenant_id: str, rule_id: str) -> None:
    """Remove one of the tenant's rules."""
    repo = TenantRepository(uow.session)
    await repo.delete(await get_rule(uow, tenant_id, rule_id))
    await repo.bump(tenant_id)


async def patterns(uow: UnitOfWork, tenant_id: str) -> Sequence[PrivateDataPattern]:
    """The tenant's private-data patterns."""
    return await TenantRepository(uow.session).patterns(tenant_id)


async def add_pattern(uow: UnitOfWork, tenant_id: str, data: PatternIn) -> PrivateDataPattern:
    """Add a kind of private data to the tenant's patterns: a usable RE2 pattern of a new kind."""
    if data.kind in BUILT_IN_KINDS:
        raise Unprocessable(f"{data.kind!r} is found already; give the tenant's own kind another name")
    try:
        SafePattern(data.pattern)
    except InvalidPattern as exc:
        raise Unprocessable(str(exc)) from None
    repo = TenantRepository(uow.session)
    if any(p.kind == data.kind for p in await repo.patterns(tenant_id)):
        raise Conflict(f"a pattern of kind {data.kind!r} exists already")
    pattern = PrivateDataPattern(
        id=new_id(),
        tenant_id=tenant_id,
        kind=data.kind,
        pattern=data.pattern,
        description=data.description,
        created_at=now(),
    )
    repo.add(pattern)
    await repo.bump(tenant_id)
    return pattern


async def delete_pattern(uow: UnitOfWork, tenant_id: str, pattern_id: str) -> None:
    """Remove one of the tenant's private-data patterns."""
    repo = TenantRepository(uow.session)
    pattern = await repo.pattern(tenant_id, pattern_id)
    if pattern is None:
        raise NotFound("no such pattern")
    await repo.delete(pattern)
    await repo.bump(tenant_id)


# --- classifications and corrections -------------------------------------------------------------


async def get_classification(uow: UnitOfWork, tenant_id: str, message_id: str) -> MessageClassification:
    """The stored classification of one of the tenant's messages."""
    row = await ClassificationRepository(uow.session).get(tenant_id, message_id)
    if row is None:
        raise NotFound("no classification of that message")
    return row


async def correct(
    uow: UnitOfWork,
    tenant_id: str,
    message_id: str,
    *,
    category: str | None,
    sentiment: str | None,
    topics: Sequence[str] | None,
    by: str,
) -> Correction:
    """Store an agent's correction of a classification (the latest one counts for training)."""
    row = await get_classification(uow, tenant_id, message_id)
    correction = Correction(
        id=new_id(),
        tenant_id=tenant_id,
        message_id=message_id,
        text=row.text,
        category=category or row.category,
        sentiment=sentiment or row.sentiment_label,
        topics=list(topics if topics is not None else row.topics),
        was_category=row.category,
        was_sentiment=row.sentiment_label,
        corrected_by=by,
        corrected_at=now(),
    )
    ClassificationRepository(uow.session).add(correction)
    return correction


async def corrections(uow: UnitOfWork, tenant_id: str, message_id: str | None = None) -> Sequence[Correction]:
    """A tenant's corrections (of one message), oldest first."""
    return await ClassificationRepository(uow.session).corrections(tenant_id, message_id)
