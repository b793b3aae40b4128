"""The KPIs: computed from the read models for a tenant, a period and filters."""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar
from webcare.v1 import feedback_pb2

from services.kit.errors import Conflict, NotFound
from services.kit.events import new_event, now, timestamp
from services.kit.ids import new_id
from services.kit.uow import UnitOfWork
from services.reporting import rollups
from services.reporting.models import (
    AgentFigures,
    AgentReplyFact,
    ChannelResponseTime,
    Cluster,
    Community,
    ConversationDuration,
    ConversationFact,
    ConversationRollup,
    DayTrend,
    FrequentQuestion,
    Helper,
    Lead,
    MessageFact,
    MessageRollup,
    PublicResponseTime,
    PublicShare,
    ReviewFact,
    Satisfaction,
    Seconds,
    Share,
    SlaGroup,
    Summary,
    SurveyAnswer,
    SurveyIn,
    Trending,
    TrendingTerm,
)

NOT_ANSWERABLE = rollups.NOT_ANSWERABLE
TOP = 20
PUBLIC_WINDOW_HOURS = 24
SCORES = ("product_knowledge", "wording", "empathy")
_WORD = re.compile(r"#?[^\W\d_][\w-]{2,}", re.UNICODE)
_STOPWORD_TEXT = """
aber alle allem also auch auf aus bei bin bis bitte das dass dem den der des die dies diese dieser
doch dort durch ein eine einem einen einer eines für gibt habe haben hat hier ich ihr ihre im ist
jetzt kann kein keine mein meine mich mir mit nach nicht noch nur oder schon sehr sein seit sich sie
sind so und uns unser von vor war was wann warum weil wenn wer wie wieder wir wird wo zu zum zur
about after again all also and any are because been but can could did does for from get got had has
have her here him his how its just like more my not now off our out over she some than that the
their them then there they this too was were what when where which who why will with would you your
hallo hello danke thanks thank please
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class Filters:
    """Which facts a report counts: a period ([since, until)) and equal-to filters. `queue` and `agent`
    narrow conversations only; messages have neither."""

    since: datetime | None = None
    until: datetime | None = None
    channel: str | None = None
    channel_account: str | None = None
    queue: str | None = None
    category: str | None = None
    language: str | None = None
    agent: str | None = None


async def _messages(uow: UnitOfWork, tenant_id: str, f: Filters) -> Sequence[MessageFact]:
    query = select(MessageFact).where(MessageFact.tenant_id == tenant_id)
    for column, value in (
        (MessageFact.channel, f.channel),
        (MessageFact.channel_account_id, f.channel_account),
        (MessageFact.category, f.category),
        (MessageFact.language, f.language),
    ):
        if value is not None:
            query = query.where(column == value)
    if f.since:
        query = query.where(MessageFact.received_at >= f.since)
    if f.until:
        query = query.where(MessageFact.received_at < f.until)
    return (await uow.session.exec(query)).all()


def _conversation_query(tenant_id: str, f: Filters) -> SelectOfScalar[ConversationFact]:
    query = select(ConversationFact).where(
        ConversationFact.tenant_id == tenant_id, col(ConversationFact.opened_at).is_not(None)
    )
    for column, value in (
        (ConversationFact.channel, f.channel),
        (ConversationFact.channel_account_id, f.channel_account),
        (ConversationFact.queue, f.queue),
        (ConversationFact.category, f.category),
        (ConversationFact.language, f.language),
        (ConversationFact.agent_id, f.agent),
    ):
        if value is not None:
            query = query.where(column == value)
    return query


async def _conversations(uow: UnitOfWork, tenant_id: str, f: Filters) -> Sequence[ConversationFact]:
    query = _conversation_query(tenant_id, f)
    if f.since:
        query = query.where(col(ConversationFact.opened_at) >= f.since)
    if f.until:
        query = query.where(col(ConversationFact.opened_at) < f.until)
    return (await uow.session.exec(query)).all()


def seconds(values: Sequence[float]) -> Seconds:
    """Mean, median and p90 of durations."""
    if not values:
        return Seconds(mean=None, median=None, p90=None)
    p90 = values[0] if len(values) == 1 else statistics.quantiles(values, n=10, method="inclusive")[-1]
    return Seconds(
        mean=round(statistics.fmean(values), 3), median=round(statistics.median(values), 3), p90=round(p90, 3)
    )


def _wait(fact: ConversationFact) -> float | None:
    if fact.opened_at is None or fact.first_response_at is None:
        return None
    return max(0.0, (fact.first_response_at - fact.opened_at).total_seconds())


def _business_wait(fact: ConversationFact) -> float | None:
    if fact.first_response_business_seconds is None:
        return None
    return max(0.0, fact.first_response_business_seconds)


def _shares(values: Iterable[str]) -> list[Share]:
    counted = Counter(value or "unknown" for value in values)
    total = sum(counted.values())
    return [
        Share(key=key, count=count, share=round(count / total, 4))
        for key, count in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    ]


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def sla_outcome(fact: ConversationFact, moment: datetime) -> bool | None:
    """Whether the first response met its SLA target; None while it still may, or without one."""
    due = fact.first_response_due_at
    if due is None:
        return None
    if fact.first_response_at is not None:
        return fact.first_response_at <= due
    return False if moment > due else None


async def summary(uow: UnitOfWork, tenant_id: str, f: Filters, *, business_hours: bool = False) -> Summary:
    """Volume, mood, response rate, response and resolution times, SLA attainment and backlog; the
    first-response times in business hours only, and how many answers they cover, if asked to."""
    moment = now()
    counts = await _message_counts(uow, tenant_id, f)
    conversations = await _conversation_figures(uow, tenant_id, f, moment, business_hours=business_hours)
    backlog_query = select(func.count(), func.min(ConversationFact.opened_at)).where(
        *_conversation_conditions(tenant_id, f),
        col(ConversationFact.resolved_at).is_(None),
        col(ConversationFact.first_response_at).is_(None),
    )
    backlog, oldest = (await uow.session.exec(backlog_query)).one()
    classified = [row for row in counts if row.classified]
    total = sum(row.messages for row in counts)
    return Summary(
        messages_received=total,
        conversations_opened=conversations.opened,
        conversations_answerable=conversations.answerable,
        conversations_answered=conversations.answered,
        conversations_resolved=conversations.resolved,
        response_rate=_ratio(conversations.answered, conversations.answerable),
        first_response_seconds=conversations.waits,
        first_response_measured=conversations.waits_measured if business_hours else None,
        resolution_seconds=conversations.resolutions,
        sla_attainment=_ratio(conversations.sla_met, conversations.sla_measured),
        sla_measured=conversations.sla_measured,
        backlog=int(backlog),
        oldest_waiting_since=oldest,
        categories=_counted_shares((row.category, row.classified) for row in classified),
        sentiments=_counted_shares((row.sentiment, row.classified) for row in classified),
        languages=_counted_shares((row.language, row.classified) for row in classified),
        proactive_share=_ratio(sum(row.messages for row in counts if row.proactive), total),
        sentiment_trend=_trend(counts),
    )


def _counted_shares(pairs: Iterable[tuple[str, int]]) -> list[Share]:
    counted: Counter[str] = Counter()
    for key, count in pairs:
        counted[key or "unknown"] += count
    total = sum(counted.values())
    return [
        Share(key=key, count=count, share=round(count / total, 4))
        for key, count in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
        if count
    ]


@dataclass(frozen=True)
class _Count:
    """Messages of one day and one value of each breakdown."""

    day: date
    category: str
    sentiment: str
    language: str
    proactive: bool
    messages: int
    classified: int
    negative: int
    sentiment_sum: float


_BREAKDOWN = ("category", "sentiment", "language", "proactive")


async def _message_counts(uow: UnitOfWork, tenant_id: str, f: Filters) -> list[_Count]:
    """The tenant's message counts per day and breakdown, added up by the database: whole days from
    the rollup, the part days at the period's ends from the facts."""
    first, last, edges = _days(f)
    counts: list[_Count] = []
    if first is None or last is None or first < last:
        breakdown = [getattr(MessageRollup, name) for name in _BREAKDOWN]
        conditions = _filters(MessageRollup, tenant_id, f)
        if first is not None:
            conditions.append(col(MessageRollup.day) >= first)
        if last is not None:
            conditions.append(col(MessageRollup.day) < last)
        query = (
            select(  # type: ignore[call-overload]
                col(MessageRollup.day),
                *breakdown,
                func.sum(MessageRollup.messages),
                func.sum(MessageRollup.classified),
                func.sum(MessageRollup.negative),
                func.sum(MessageRollup.sentiment_sum),
            )
            .where(*conditions)
            .group_by(col(MessageRollup.day), *breakdown)
        )
        for day, *values in (await uow.session.exec(query)).all():
            counts.append(_Count(day.date(), *_typed(values)))
    for since, until in edges:  # each within one day
        breakdown = [getattr(MessageFact, name) for name in _BREAKDOWN]
        conditions = _filters(MessageFact, tenant_id, f)
        if since is not None:
            conditions.append(col(MessageFact.received_at) >= since)
        if until is not None:
            conditions.append(col(MessageFact.received_at) < until)
        query = (
            select(  # type: ignore[call-overload]
                *breakdown,
                func.count(),
                func.sum(case((col(MessageFact.classified), 1), else_=0)),
                func.sum(case((col(MessageFact.sentiment) == "negative", 1), else_=0)),
                func.sum(func.coalesce(MessageFact.sentiment_score, 0.0)),
            )
            .where(*conditions)
            .group_by(*breakdown)
        )
        day = (since or until or now()).astimezone(UTC).date()
        for values in (await uow.session.exec(query)).all():
            counts.append(_Count(day, *_typed(list(values))))
    return counts


def _typed(values: list[Any]) -> tuple[str, str, str, bool, int, int, int, float]:
    category, sentiment, language, proactive, messages, classified, negative, mood = values
    return (
        category,
        sentiment,
        language,
        bool(proactive),
        int(messages or 0),
        int(classified or 0),
        int(negative or 0),
        float(mood or 0.0),
    )


def _filters(table: type[MessageRollup] | type[MessageFact], tenant_id: str, f: Filters) -> list[Any]:
    conditions: list[Any] = [col(table.tenant_id) == tenant_id]
    for name, value in (
        ("channel", f.channel),
        ("channel_account_id", f.channel_account),
        ("category", f.category),
        ("language", f.language),
    ):
        if value is not None:
            conditions.append(col(getattr(table, name)) == value)
    return conditions


def _days(
    f: Filters,
) -> tuple[datetime | None, datetime | None, list[tuple[datetime | None, datetime | None]]]:
    """The period's whole days [first, last) (None: open-ended), read from the rollups, and its part
    days at the ends, read from the facts."""
    first = _next_day(f.since) if f.since else None
    last = rollups.day_of(f.until) if f.until else None
    edges: list[tuple[datetime | None, datetime | None]] = []
    if first is not None and last is not None and first >= last:
        edges.append((f.since, f.until))
    else:
        if first is not None and f.since is not None and f.since < first:
            edges.append((f.since, first))
        if last is not None and f.until is not None and last < f.until:
            edges.append((last, f.until))
    return first, last, edges


def _next_day(moment: datetime) -> datetime:
    start = rollups.day_of(moment)
    return start if start == moment else start + timedelta(days=1)


def _trend(counts: Sequence[_Count]) -> list[DayTrend]:
    days: defaultdict[date, list[_Count]] = defaultdict(list)
    for row in counts:
        days[row.day].append(row)
    trend = []
    for day, group in sorted(days.items()):
        moods = sum(row.classified for row in group)
        trend.append(
            DayTrend(
                day=day,
                messages=sum(row.messages for row in group),
                negative_share=_ratio(sum(row.negative for row in group), moods),
                mean_sentiment=round(sum(row.sentiment_sum for row in group) / moods, 4) if moods else None,
            )
        )
    return trend


@dataclass
class _Conversations:
    opened: int
    answerable: int
    answered: int
    waits: Seconds
    waits_measured: int  # the answers `waits` covers: all, or those with a business-hours time
    resolved: int
    resolutions: Seconds
    sla_met: int
    sla_measured: int


async def _conversation_figures(
    uow: UnitOfWork, tenant_id: str, f: Filters, moment: datetime, *, business_hours: bool
) -> _Conversations:
    """Counts and durations of the conversations opened in the period: from the rollups when only the
    period and the channel narrow them (median and p90 within 1%), else added up by PostgreSQL (exact
    median and p90 with percentile_cont) or read column by column elsewhere (SQLite, embedded).
    First responses are timed in business hours if asked to, leaving out those without that time."""
    if all(value is None for value in (f.channel_account, f.queue, f.category, f.language, f.agent)):
        return await _conversation_figures_rolled_up(uow, tenant_id, f, moment, business_hours=business_hours)
    conditions = [*_conversation_conditions(tenant_id, f), *_period(f)]
    bind = uow.session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        return await _conversation_figures_in_sql(uow, conditions, moment, business_hours=business_hours)
    query = select(  # type: ignore[call-overload]
        col(ConversationFact.opened_at),
        col(ConversationFact.first_response_at),
        col(ConversationFact.resolved_at),
        col(ConversationFact.first_response_due_at),
        col(ConversationFact.category),
        col(ConversationFact.first_response_business_seconds),
    ).where(*conditions)
    opened = answerable = answered = sla_met = sla_measured = 0
    waits: list[float] = []
    resolutions: list[float] = []
    for start, first, resolved, due, category, business in (await uow.session.exec(query)).all():
        opened += 1
        counts = category not in NOT_ANSWERABLE
        answerable += counts
        if first is not None and counts and start is not None:
            answered += 1
            if not business_hours:
                waits.append(max(0.0, (first - start).total_seconds()))
            elif business is not None:
                waits.append(max(0.0, business))
        if resolved is not None and start is not None:
            resolutions.append(max(0.0, (resolved - start).total_seconds()))
        if due is not None:
            met = first <= due if first is not None else (False if moment > due else None)
            if met is not None:
                sla_measured += 1
                sla_met += met
    return _Conversations(
        opened,
        answerable,
        answered,
        seconds(waits),
        len(waits),
        len(resolutions),
        seconds(resolutions),
        sla_met,
        sla_measured,
    )


async def _conversation_figures_rolled_up(
    uow: UnitOfWork, tenant_id: str, f: Filters, moment: datetime, *, business_hours: bool
) -> _Conversations:
    """Whole days from the conversation rollups, part days at the period's ends from the facts; the
    median and p90 read from the duration buckets."""
    first, last, edges = _days(f)
    totals: Counter[str] = Counter()
    buckets: Counter[tuple[str, int]] = Counter()
    if first is None or last is None or first < last:
        await _rolled_up_days(uow, tenant_id, f, (first, last), totals, buckets)
    for since, until in edges:
        query = select(ConversationFact).where(
            *_conversation_conditions(tenant_id, f),
            *_period(Filters(since=since, until=until)),
        )
        found = (await uow.session.exec(query)).all()
        sums, moved = rollups.conversation_moves((None, rollups.conversation_counted(c)) for c in found)
        for values in sums.values():
            totals.update(dict(zip(rollups.CONVERSATION_COUNTS, values, strict=True)))
        buckets.update({(measure, number): count for (_, measure, number), count in moved.items()})
    not_yet_due = select(func.count()).where(
        *_conversation_conditions(tenant_id, f),
        *_period(f),
        col(ConversationFact.first_response_at).is_(None),
        col(ConversationFact.first_response_due_at) >= moment,
    )
    pending = int((await uow.session.exec(not_yet_due)).one())
    measure, timed, summed = (
        ("business", "business_timed", "business_sum") if business_hours else ("wait", "answered", "wait_sum")
    )
    return _Conversations(
        opened=int(totals["opened"]),
        answerable=int(totals["answerable"]),
        answered=int(totals["answered"]),
        waits=bucketed(buckets, measure, totals[summed]),
        waits_measured=int(totals[timed]),
        resolved=int(totals["resolved"]),
        resolutions=bucketed(buckets, "resolution", totals["resolution_sum"]),
        sla_met=int(totals["sla_met"]),
        sla_measured=int(totals["sla_answered"] + totals["sla_unanswered"]) - pending,
    )


async def _rolled_up_days(
    uow: UnitOfWork,
    tenant_id: str,
    f: Filters,
    days: tuple[datetime | None, datetime | None],
    totals: Counter[str],
    buckets: Counter[tuple[str, int]],
) -> None:
    """Add the rollups' counts and duration buckets of the whole days [first, last) to the totals."""

    def narrowed(table: type[ConversationRollup] | type[ConversationDuration]) -> list[Any]:
        conditions: list[Any] = [col(table.tenant_id) == tenant_id]
        if f.channel is not None:
            conditions.append(col(table.channel) == f.channel)
        if days[0] is not None:
            conditions.append(col(table.day) >= days[0])
        if days[1] is not None:
            conditions.append(col(table.day) < days[1])
        return conditions

    names = rollups.CONVERSATION_COUNTS
    sums = select(*(func.sum(getattr(ConversationRollup, name)) for name in names))
    row = (await uow.session.exec(sums.where(*narrowed(ConversationRollup)))).one()
    totals.update({name: float(value or 0) for name, value in zip(names, row, strict=True)})
    query = (
        select(
            col(ConversationDuration.measure),
            col(ConversationDuration.bucket),
            func.sum(ConversationDuration.conversations),
        )
        .where(*narrowed(ConversationDuration))
        .group_by(col(ConversationDuration.measure), col(ConversationDuration.bucket))
    )
    for measure, number, count in (await uow.session.exec(query)).all():
        buckets[(measure, int(number))] += int(count or 0)


def bucketed(buckets: Counter[tuple[str, int]], measure: str, total: float) -> Seconds:
    """Mean (exact, from the sum), median and p90 (interpolated like percentile_cont between the
    midpoints of the buckets holding the ranks around them) of one measure's durations."""
    ordered = sorted(
        (number, count) for (name, number), count in buckets.items() if name == measure and count > 0
    )
    n = sum(count for _, count in ordered)
    if not n:
        return Seconds(mean=None, median=None, p90=None)

    def at(rank: int) -> float:
        seen = 0
        for number, count in ordered:
            seen += count
            if rank < seen:
                return rollups.midpoint(number)
        return rollups.midpoint(ordered[-1][0])

    def quantile(share: float) -> float:
        position = share * (n - 1)
        low = math.floor(position)
        return at(low) + (position - low) * (at(math.ceil(position)) - at(low))

    return _rounded(total / n, quantile(0.5), quantile(0.9))


async def _conversation_figures_in_sql(
    uow: UnitOfWork, conditions: list[ColumnElement[bool]], moment: datetime, *, business_hours: bool
) -> _Conversations:
    opened_at = col(ConversationFact.opened_at)
    first = col(ConversationFact.first_response_at)
    due = col(ConversationFact.first_response_due_at)
    business = col(ConversationFact.first_response_business_seconds)
    answerable = col(ConversationFact.category).not_in(NOT_ANSWERABLE)
    answered = and_(answerable, first.is_not(None))
    wait = case((answered, func.greatest(0.0, func.extract("epoch", first - opened_at))))
    timed = wait
    if business_hours:
        timed = case((and_(answered, business.is_not(None)), func.greatest(0.0, business)))
    resolution = case(
        (
            col(ConversationFact.resolved_at).is_not(None),
            func.greatest(0.0, func.extract("epoch", col(ConversationFact.resolved_at) - opened_at)),
        )
    )
    measured = or_(and_(due.is_not(None), first.is_not(None)), and_(due.is_not(None), due < moment))
    query = select(  # type: ignore[call-overload]
        func.count(),
        func.count(case((answerable, 1))),
        func.count(wait),
        func.count(timed),
        func.avg(timed),
        func.percentile_cont(0.5).within_group(timed),
        func.percentile_cont(0.9).within_group(timed),
        func.count(resolution),
        func.avg(resolution),
        func.percentile_cont(0.5).within_group(resolution),
        func.percentile_cont(0.9).within_group(resolution),
        func.count(case((and_(due.is_not(None), first <= due), 1))),
        func.count(case((measured, 1))),
    ).where(*conditions)
    row = (await uow.session.exec(query)).one()
    (opened, answerable_n, answered_n, timed_n, wait_mean, wait_median, wait_p90) = row[:7]
    (resolved, res_mean, res_median, res_p90, met, measured_n) = row[7:]
    return _Conversations(
        int(opened),
        int(answerable_n),
        int(answered_n),
        _rounded(wait_mean, wait_median, wait_p90),
        int(timed_n),
        int(resolved),
        _rounded(res_mean, res_median, res_p90),
        int(met),
        int(measured_n),
    )


def _rounded(mean: Any, median: Any, p90: Any) -> Seconds:
    def three(value: Any) -> float | None:
        return None if value is None else round(float(value), 3)

    return Seconds(mean=three(mean), median=three(median), p90=three(p90))


def _conversation_conditions(tenant_id: str, f: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        col(ConversationFact.tenant_id) == tenant_id,
        col(ConversationFact.opened_at).is_not(None),
    ]
    for column, value in (
        (ConversationFact.channel, f.channel),
        (ConversationFact.channel_account_id, f.channel_account),
        (ConversationFact.queue, f.queue),
        (ConversationFact.category, f.category),
        (ConversationFact.language, f.language),
        (ConversationFact.agent_id, f.agent),
    ):
        if value is not None:
            conditions.append(col(column) == value)
    return conditions


def _period(f: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.since:
        conditions.append(col(ConversationFact.opened_at) >= f.since)
    if f.until:
        conditions.append(col(ConversationFact.opened_at) < f.until)
    return conditions


async def sla(uow: UnitOfWork, tenant_id: str, f: Filters, *, by: str) -> list[SlaGroup]:
    """SLA attainment per queue or per channel."""
    moment = now()
    groups: defaultdict[str, list[bool]] = defaultdict(list)
    for fact in await _conversations(uow, tenant_id, f):
        outcome = sla_outcome(fact, moment)
        if outcome is not None:
            groups[(fact.queue if by == "queue" else fact.channel) or "unknown"].append(outcome)
    return [
        SlaGroup(key=key, measured=len(found), met=sum(found), attainment=_ratio(sum(found), len(found)))
        for key, found in sorted(groups.items())
    ]


async def agents(
    uow: UnitOfWork, tenant_id: str, f: Filters, *, business_hours: bool = False
) -> list[AgentFigures]:
    """Per agent: first responses and their time (in business hours only, and how many that covers,
    if asked to), replies, negative wording, CSAT, review scores."""
    answered: Counter[str] = Counter()
    waits: defaultdict[str, list[float]] = defaultdict(list)
    for fact in await _conversations(uow, tenant_id, Filters(**{**f.__dict__, "agent": None})):
        wait = _wait(fact)
        if wait is None or not fact.first_response_agent_id:
            continue
        answered[fact.first_response_agent_id] += 1
        if business_hours:
            wait = _business_wait(fact)
        if wait is not None:
            waits[fact.first_response_agent_id].append(wait)
    replies = select(AgentReplyFact).where(AgentReplyFact.tenant_id == tenant_id)
    surveys = select(SurveyAnswer).where(SurveyAnswer.tenant_id == tenant_id, SurveyAnswer.kind == "csat")
    reviews = select(ReviewFact).where(ReviewFact.tenant_id == tenant_id)
    if f.since:
        replies = replies.where(AgentReplyFact.sent_at >= f.since)
        surveys = surveys.where(SurveyAnswer.answered_at >= f.since)
        reviews = reviews.where(ReviewFact.reviewed_at >= f.since)
    if f.until:
        replies = replies.where(AgentReplyFact.sent_at < f.until)
        surveys = surveys.where(SurveyAnswer.answered_at < f.until)
        reviews = reviews.where(ReviewFact.reviewed_at < f.until)
    if f.channel:
        replies = replies.where(AgentReplyFact.channel == f.channel)
    sent: defaultdict[str, list[int]] = defaultdict(list)
    for reply in (await uow.session.exec(replies)).all():
        sent[reply.agent_id].append(reply.negative_words)
    csat: defaultdict[str, list[int]] = defaultdict(list)
    for answer in (await uow.session.exec(surveys)).all():
        if answer.agent_id:
            csat[answer.agent_id].append(answer.score)
    cards: defaultdict[str, list[ReviewFact]] = defaultdict(list)
    for review in (await uow.session.exec(reviews)).all():
        cards[review.agent_id].append(review)
    everyone = sorted(set(answered) | set(sent) | set(csat) | set(cards))
    if f.agent is not None:
        everyone = [agent for agent in everyone if agent == f.agent]
    return [
        AgentFigures(
            agent_id=agent,
            conversations_answered=answered[agent],
            first_response_seconds=seconds(waits[agent]),
            first_response_measured=len(waits[agent]) if business_hours else None,
            replies_sent=len(sent[agent]),
            negative_wording_rate=_ratio(sum(1 for n in sent[agent] if n), len(sent[agent])),
            csat_average=round(statistics.fmean(csat[agent]), 3) if csat[agent] else None,
            csat_answers=len(csat[agent]),
            reviews=len(cards[agent]),
            review_average={
                name: round(statistics.fmean(getattr(card, name) for card in cards[agent]), 2)
                for name in SCORES
                if cards[agent]
            },
        )
        for agent in everyone
    ]


def terms(text: str) -> set[str]:
    """The words (lower case, no stop words) and hashtags of a text, each once."""
    return {w.lower() for w in _WORD.findall(text) if w.lower().lstrip("#") not in _STOPWORDS}


async def trending(
    uow: UnitOfWork, tenant_id: str, f: Filters, *, window: timedelta, baseline_windows: int
) -> Trending:
    """Terms whose count in the window (ending at `until`, default now) is well above their mean count
    in the `baseline_windows` windows before it; and the window's complaints grouped by topic."""
    until = f.until or now()
    since = until - window
    start = since - window * baseline_windows
    found = await _messages(uow, tenant_id, Filters(**{**f.__dict__, "since": start, "until": until}))
    recent: Counter[str] = Counter()
    before: Counter[str] = Counter()
    complaints: defaultdict[str, list[str]] = defaultdict(list)
    for message in found:
        words = terms(message.preview)
        if message.received_at >= since:
            recent.update(words)
            if message.category == "complaint":
                keys = message.topics or sorted(words, key=lambda w: (-recent[w], w))[:1] or ["other"]
                for key in keys:
                    complaints[key].append(message.preview)
        else:
            before.update(words)
    bursting = []
    for term, count in recent.items():
        baseline = before[term] / baseline_windows if baseline_windows else 0.0
        burst = (count + 1) / (baseline + 1)
        if count >= 3 and burst >= 2:
            bursting.append(
                TrendingTerm(term=term, count=count, baseline=round(baseline, 3), burst=round(burst, 2))
            )
    bursting.sort(key=lambda t: (-t.burst, -t.count, t.term))
    clusters = [
        Cluster(key=key, count=len(texts), examples=texts[:3])
        for key, texts in sorted(complaints.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    return Trending(since=since, until=until, terms=bursting[:TOP], complaint_clusters=clusters[:TOP])


async def leads(uow: UnitOfWork, tenant_id: str, f: Filters, *, limit: int) -> list[Lead]:
    """Purchase signals, newest first."""
    found = [m for m in await _messages(uow, tenant_id, f) if m.lead]
    found.sort(key=lambda m: m.received_at, reverse=True)
    return [
        Lead(
            message_id=m.message_id,
            received_at=m.received_at,
            channel=m.channel,
            author_id=m.author_id,
            author_handle=m.author_handle,
            text=m.preview,
            conversation_key=m.conversation_key,
            proactive=m.proactive,
        )
        for m in found[:limit]
    ]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


async def questions(uow: UnitOfWork, tenant_id: str, f: Filters, *, limit: int) -> list[FrequentQuestion]:
    """The questions asked most often: the same question in other words counts once per wording, and
    questions of the same taxonomy topic are grouped under it."""
    groups: defaultdict[str, list[MessageFact]] = defaultdict(list)
    for message in await _messages(uow, tenant_id, Filters(**{**f.__dict__, "category": "question"})):
        if message.community_member or not message.preview:
            continue
        key = "topic:" + ",".join(sorted(message.topics)) if message.topics else _normal(message.preview)
        groups[key].append(message)
    ranked = sorted(groups.values(), key=lambda group: (-len(group), group[0].preview))
    return [
        FrequentQuestion(
            question=Counter(m.preview for m in group).most_common(1)[0][0],
            count=len(group),
            topics=sorted(set(group[0].topics or [])),
        )
        for group in ranked[:limit]
    ]


async def community(uow: UnitOfWork, tenant_id: str, f: Filters) -> Community:
    """How many questions other customers answered before an agent did, and who helps most."""
    found = [c for c in await _conversations(uow, tenant_id, f) if c.category == "question"]
    first = [
        c
        for c in found
        if c.community_answered_at
        and (c.first_response_at is None or c.community_answered_at < c.first_response_at)
    ]
    helpers: defaultdict[str, list[MessageFact]] = defaultdict(list)
    for message in await _messages(uow, tenant_id, Filters(**{**f.__dict__, "category": None})):
        if message.community_member and message.author_id:
            helpers[message.author_id].append(message)
    ranked = sorted(helpers.items(), key=lambda item: (-len(item[1]), item[0]))
    return Community(
        questions=len(found),
        answered_by_community_first=len(first),
        share=_ratio(len(first), len(found)),
        helpers=[
            Helper(
                author_id=author,
                author_handle=messages[-1].author_handle,
                answers=len(messages),
                conversations=len({m.conversation_key for m in messages}),
            )
            for author, messages in ranked[:TOP]
        ],
    )


async def record_survey(uow: UnitOfWork, tenant_id: str, data: SurveyIn) -> tuple[SurveyAnswer, bool]:
    """Keep a survey answer once per the survey tool's id; whether it is new (409 if the id was used
    for another answer)."""
    query = select(SurveyAnswer).where(
        SurveyAnswer.tenant_id == tenant_id, SurveyAnswer.external_id == data.external_id
    )
    earlier = (await uow.session.exec(query)).first()
    if earlier is not None:
        if (earlier.kind, earlier.score, earlier.conversation_id) != (
            data.kind,
            data.score,
            data.conversation_id,
        ):
            raise Conflict("this external_id was used for another answer")
        return earlier, False
    answer = SurveyAnswer(
        id=new_id(),
        tenant_id=tenant_id,
        answered_at=data.answered_at or now(),
        **data.model_dump(exclude={"answered_at"}),
    )
    uow.session.add(answer)
    uow.emit(
        new_event(
            feedback_pb2.SurveyAnswered,
            tenant_id=tenant_id,
            survey_id=answer.id,
            external_id=answer.external_id,
            kind=answer.kind,
            score=answer.score,
            conversation_id=answer.conversation_id,
            agent_id=answer.agent_id,
            channel=answer.channel,
            answered_at=timestamp(answer.answered_at),
        ),
        key=answer.conversation_id or answer.id,
    )
    return answer, True


async def satisfaction(uow: UnitOfWork, tenant_id: str, f: Filters) -> Satisfaction:
    """CSAT average and share satisfied; NPS as % promoters minus % detractors."""
    query = select(SurveyAnswer).where(SurveyAnswer.tenant_id == tenant_id)
    if f.since:
        query = query.where(SurveyAnswer.answered_at >= f.since)
    if f.until:
        query = query.where(SurveyAnswer.answered_at < f.until)
    if f.channel:
        query = query.where(SurveyAnswer.channel == f.channel)
    if f.agent:
        query = query.where(SurveyAnswer.agent_id == f.agent)
    answers = (await uow.session.exec(query)).all()
    csat = [a.score for a in answers if a.kind == "csat"]
    nps = [a.score for a in answers if a.kind == "nps"]
    promoters = sum(1 for s in nps if s >= 9)
    detractors = sum(1 for s in nps if s <= 6)
    return Satisfaction(
        csat_answers=len(csat),
        csat_average=round(statistics.fmean(csat), 3) if csat else None,
        csat_satisfied_share=_ratio(sum(1 for s in csat if s >= 4), len(csat)),
        nps_answers=len(nps),
        promoters=promoters,
        passives=len(nps) - promoters - detractors,
        detractors=detractors,
        nps=round(100 * (promoters - detractors) / len(nps), 1) if nps else None,
    )


async def set_sharing(uow: UnitOfWork, tenant_id: str, *, response_time: bool) -> PublicShare:
    """Opt in or out of the public response time."""
    share = await uow.session.get(PublicShare, tenant_id) or PublicShare(
        tenant_id=tenant_id, updated_at=now()
    )
    share.response_time = response_time
    share.updated_at = now()
    uow.session.add(share)
    return share


async def public_response_time(uow: UnitOfWork, tenant_id: str) -> PublicResponseTime:
    """The median first-response time per channel over the last day, for a tenant that opted in (404
    alike for one that did not and one that does not exist, so nothing is learnt about tenants)."""
    share = await uow.session.get(PublicShare, tenant_id)
    if share is None or not share.response_time:
        raise NotFound("no public response time here")
    moment = now()
    query = select(ConversationFact).where(
        ConversationFact.tenant_id == tenant_id,
        col(ConversationFact.first_response_at) >= moment - timedelta(hours=PUBLIC_WINDOW_HOURS),
    )
    waits: defaultdict[str, list[float]] = defaultdict(list)
    for fact in (await uow.session.exec(query)).all():
        wait = _wait(fact)
        if wait is not None and fact.channel:
            waits[fact.channel].append(wait)
    return PublicResponseTime(
        tenant=tenant_id,
        window_hours=PUBLIC_WINDOW_HOURS,
        as_of=moment,
        channels=[
            ChannelResponseTime(
                channel=channel, median_seconds=round(statistics.median(found), 1), answered=len(found)
            )
            for channel, found in sorted(waits.items())
        ],
    )
