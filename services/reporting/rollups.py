"""Daily rollups of the message facts: each change of a fact moves its count from the row of its old
values to the row of its new ones; a unit of work gathers the moves of its batch and writes them in
one statement before it commits."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import Insert

from services.kit.uow import UnitOfWork
from services.reporting.models import MessageFact, MessageRollup

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
    if not rows:
        return
    dialect = uow.session.bind.dialect.name if uow.session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement: Insert = insert(MessageRollup)
    excluded = statement.excluded  # type: ignore[attr-defined]
    upsert = statement.on_conflict_do_update(  # type: ignore[attr-defined]
        index_elements=list(KEY),
        set_={name: getattr(MessageRollup, name) + getattr(excluded, name) for name in COUNTS},
    )
    await (await uow.session.connection()).execute(upsert, rows)
