"""Daily rollups of the message and conversation facts: each change of a fact moves its count from
the row of its old values to the row of its new ones; a unit of work gathers the moves of its batch
and writes them in one statement per table before it commits.

Conversations are counted per day of their opening and channel; their durations (first response,
in business hours, resolution) go into logarithmic buckets, DDSketch-style: a bucket holds the
durations in (GAMMA^(i-1), GAMMA^i], and its midpoint is within ACCURACY (1%) of each of them, so
percentiles read from the buckets are within 1% of the exact ones.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import Insert

from services.kit.uow import UnitOfWork
from services.reporting.models import (
    ConversationDuration,
    ConversationFact,
    ConversationRollup,
    MessageFact,
    MessageRollup,
)

KEY = ("tenant_id", "day", "channel", "channel_account_id", "category", "sentiment", "language", "proactive")
COUNTS = ("messages", "classified", "negative", "sentiment_sum")
_PENDING = "rollup:messages"

Key = tuple[str, datetime, str, str, str, str, str, bool]


@dataclass(frozen=True)
class Counted:
    """A message fact's place in the rollup and what it adds there."""

    key: Key
    counts: tuple[int, int, int, float]


def day_of(moment: datetime) -> datetime:
    """The start (midnight UTC) of a moment's day."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def counted(fact: MessageFact) -> Counted:
    """What a message fact adds to its rollup row."""
    key: Key = (
        fact.tenant_id,
        day_of(fact.received_at),
        fact.channel,
        fact.channel_account_id,
        fact.category,
        fact.sentiment,
        fact.language,
        fact.proactive,
    )
    classified = fact.classified and fact.sentiment_score is not None
    return Counted(
        key,
        (
            1,
            int(fact.classified),
            int(fact.sentiment == "negative"),
            fact.sentiment_score or 0.0 if classified else 0.0,
        ),
    )


def as_row(found: Counted) -> MessageRollup:
    """A rollup row of one fact's counts."""
    tenant, day, channel, account, category, sentiment, language, proactive = found.key
    messages, classified, negative, sentiment_sum = found.counts
    return MessageRollup(
        tenant_id=tenant,
        day=day,
        channel=channel,
        channel_account_id=account,
        category=category,
        sentiment=sentiment,
        language=language,
        proactive=proactive,
        messages=messages,
        classified=classified,
        negative=negative,
        sentiment_sum=sentiment_sum,
    )


def move(uow: UnitOfWork, before: Counted | None, after: Counted) -> None:
    """Move a fact's count from where it was (None: it is new) to where it is now."""
    if before == after:
        return
    pending: defaultdict[Key, list[float]] | None = uow.prepared.get(_PENDING)
    if pending is None:
        pending = uow.prepared[_PENDING] = defaultdict(lambda: [0, 0, 0, 0.0])
        uow.before_commit(_PENDING, lambda: _write(uow))
    for found, sign in ((before, -1), (after, 1)):
        if found is not None:
            totals = pending[found.key]
            for index, value in enumerate(found.counts):
                totals[index] += sign * value


async def _write(uow: UnitOfWork) -> None:
    pending: dict[Key, list[float]] = uow.prepared.pop(_PENDING, {})
    rows = [
        {**dict(zip(KEY, key, strict=True)), **dict(zip(COUNTS, totals, strict=True))}
        for key, totals in sorted(pending.items(), key=lambda item: str(item[0]))  # one lock order
        if any(totals)
    ]
    await _add(uow, MessageRollup, KEY, COUNTS, rows)


async def _add(
    uow: UnitOfWork, table: Any, key: Iterable[str], counts: Iterable[str], rows: list[dict[str, Any]]
) -> None:
    """Add the rows' counts to the table's rows of the same key (inserting those not there yet)."""
    if not rows:
        return
    dialect = uow.session.bind.dialect.name if uow.session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement: Insert = insert(table)
    excluded = statement.excluded  # type: ignore[attr-defined]
    upsert = statement.on_conflict_do_update(  # type: ignore[attr-defined]
        index_elements=list(key),
        set_={name: getattr(table, name) + getattr(excluded, name) for name in counts},
    )
    await (await uow.session.connection()).execute(upsert, rows)


NOT_ANSWERABLE = ("spam",)
ACCURACY = 0.01
GAMMA = (1 + ACCURACY) / (1 - ACCURACY)
ZERO = -1_000_000  # the bucket of durations under a microsecond, taken as 0
_SMALLEST = 1e-6
CONVERSATION_KEY = ("tenant_id", "day", "channel")
CONVERSATION_COUNTS = (
    "opened", "answerable", "answered", "wait_sum", "business_timed", "business_sum", "resolved",
    "resolution_sum", "sla_met", "sla_answered", "sla_unanswered",
)  # fmt: skip
DURATION_KEY = (*CONVERSATION_KEY, "measure", "bucket")
MEASURES = ("wait", "business", "resolution")
_TRACKED = "rollup:conversations"

ConversationKey = tuple[str, datetime, str]


def bucket(seconds: float) -> int:
    """The logarithmic bucket of a duration."""
    if seconds < _SMALLEST:
        return ZERO
    return math.ceil(math.log(seconds) / math.log(GAMMA))


def midpoint(found: int) -> float:
    """The duration a bucket stands for: within ACCURACY of every duration in it."""
    return 0.0 if found == ZERO else 2 * GAMMA**found / (GAMMA + 1)


@dataclass(frozen=True)
class ConversationCounted:
    """A conversation fact's place in the rollups, what it adds there and its durations' buckets."""

    key: ConversationKey
    counts: tuple[float, ...]  # in CONVERSATION_COUNTS' order
    durations: tuple[tuple[str, int], ...]  # (measure, bucket)


def conversation_counted(fact: ConversationFact) -> ConversationCounted | None:
    """What a conversation fact adds to the rollups; None before it was opened (not counted)."""
    start = fact.opened_at
    if start is None:
        return None
    first, due, resolved = fact.first_response_at, fact.first_response_due_at, fact.resolved_at
    answerable = fact.category not in NOT_ANSWERABLE
    answered = answerable and first is not None
    wait = max(0.0, (first - start).total_seconds()) if answered and first is not None else None
    business = fact.first_response_business_seconds if answered else None
    business = None if business is None else max(0.0, business)
    resolution = max(0.0, (resolved - start).total_seconds()) if resolved is not None else None
    counts = (
        1, int(answerable), int(answered), wait or 0.0, int(business is not None), business or 0.0,
        int(resolution is not None), resolution or 0.0,
        int(due is not None and first is not None and first <= due),
        int(due is not None and first is not None), int(due is not None and first is None),
    )  # fmt: skip
    durations = tuple(
        (measure, bucket(value))
        for measure, value in zip(MEASURES, (wait, business, resolution), strict=True)
        if value is not None
    )
    return ConversationCounted((fact.tenant_id, day_of(start), fact.channel or ""), counts, durations)


def track(uow: UnitOfWork, fact: ConversationFact, *, new: bool) -> None:
    """Remember what a conversation fact added to the rollups when this unit of work first took it;
    before the commit, its count moves from there to what it adds then."""
    tracked: dict[str, tuple[ConversationFact, ConversationCounted | None]] | None = uow.prepared.get(
        _TRACKED
    )
    if tracked is None:
        tracked = uow.prepared[_TRACKED] = {}
        uow.before_commit(_TRACKED, lambda: _write_conversations(uow))
    if fact.conversation_id not in tracked:
        tracked[fact.conversation_id] = (fact, None if new else conversation_counted(fact))


def conversation_moves(
    changes: Iterable[tuple[ConversationCounted | None, ConversationCounted | None]],
) -> tuple[dict[ConversationKey, list[float]], dict[tuple[ConversationKey, str, int], int]]:
    """The counts and bucket counts that change when facts move from `before` to `after`."""
    totals: defaultdict[ConversationKey, list[float]] = defaultdict(lambda: [0] * len(CONVERSATION_COUNTS))
    buckets: defaultdict[tuple[ConversationKey, str, int], int] = defaultdict(int)
    for before, after in changes:
        if before == after:
            continue
        for found, sign in ((before, -1), (after, 1)):
            if found is None:
                continue
            sums = totals[found.key]
            for index, value in enumerate(found.counts):
                sums[index] += sign * value
            for measure, number in found.durations:
                buckets[(found.key, measure, number)] += sign
    return totals, buckets


async def _write_conversations(uow: UnitOfWork) -> None:
    tracked: Mapping[str, tuple[ConversationFact, ConversationCounted | None]] = uow.prepared.pop(
        _TRACKED, {}
    )
    totals, buckets = conversation_moves(
        (before, conversation_counted(fact)) for fact, before in tracked.values()
    )
    await _add(
        uow,
        ConversationRollup,
        CONVERSATION_KEY,
        CONVERSATION_COUNTS,
        [
            {
                **dict(zip(CONVERSATION_KEY, key, strict=True)),
                **dict(zip(CONVERSATION_COUNTS, sums, strict=True)),
            }
            for key, sums in sorted(totals.items(), key=lambda item: str(item[0]))  # one lock order
            if any(sums)
        ],
    )
    await _add(
        uow,
        ConversationDuration,
        DURATION_KEY,
        ("conversations",),
        [
            {**dict(zip(DURATION_KEY, (*key, measure, number), strict=True)), "conversations": count}
            for (key, measure, number), count in sorted(buckets.items(), key=lambda item: str(item[0]))
            if count
        ],
    )
