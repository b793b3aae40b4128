"""The summary's conversation figures come from daily rollups with duration buckets: the counts are
those of the facts, the medians and p90s within 1% of the exact ones, for any period."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from google.protobuf.message import Message
from webcare.v1 import conversations_pb2

from services.kit.events import new_event, now
from services.reporting import reports, rollups
from tests.unit.conftest import TENANT, Api
from tests.unit.reporting.accuracy import about
from tests.unit.reporting.test_reports import fold, opened, report, sent, z

DAY = timedelta(days=1)


def resolved(conversation_id: str, at_seconds: float) -> conversations_pb2.ConversationResolved:
    event = new_event(
        conversations_pb2.ConversationResolved, tenant_id=TENANT, conversation_id=conversation_id
    )
    event.occurred_at.FromSeconds(int(at_seconds))
    return event


def test_bucketed_medians_and_p90s_are_within_one_percent_of_the_exact_ones() -> None:
    rng = random.Random(7)
    for size in (1, 2, 3, 10, 101, 5000):
        values = [0.0] * (size // 50) + [rng.lognormvariate(7.0, 1.5) for _ in range(size - size // 50)]
        buckets = Counter(("wait", rollups.bucket(value)) for value in values)
        found = reports.bucketed(buckets, "wait", sum(values))
        exact = reports.seconds(values)
        assert found.mean == exact.mean
        assert (found.median, found.p90) == (about(exact.median or 0.0), about(exact.p90 or 0.0)), size


async def test_periods_through_days_count_conversations_as_the_facts_do(api: Api) -> None:
    """Whole days come from the rollups and part days from the facts; narrowing by the language all
    of them share reads every fact instead (the exact figures), which must agree."""
    start = now().replace(hour=9, minute=0, second=0, microsecond=0) - 4 * DAY
    events: list[Message] = []
    for number in range(24):
        at = start + number * timedelta(hours=5)
        conversation = f"c{number}"
        due = at + timedelta(minutes=30) if number % 3 else None
        category = "spam" if number % 7 == 0 else "question"
        events.append(
            opened(conversation, at, due=due, category=category, channel="x" if number % 2 else "whatsapp")
        )
        if number % 4:
            events.append(sent(conversation, at + timedelta(minutes=5 * number + 1)))
            if number % 4 == 1:
                events.append(resolved(conversation, (at + timedelta(hours=number)).timestamp()))
    events.append(opened("later", now() - timedelta(minutes=5), due=now() + timedelta(hours=1)))
    await fold(api, *reversed(events), *events)  # in any order, twice

    counted = (
        *("conversations_opened", "conversations_answerable", "conversations_answered"),
        *("conversations_resolved", "response_rate", "sla_attainment", "sla_measured", "backlog"),
    )
    for since, until in (
        (None, None),
        (start + timedelta(hours=3), start + 3 * DAY + timedelta(hours=2)),  # part days at both ends
        (start - DAY, None),
        (None, start + 2 * DAY),
        (start + timedelta(hours=1), start + timedelta(hours=20)),  # within one day
    ):
        params = {key: z(value) for key, value in (("from", since), ("to", until)) if value is not None}
        for extra in ({}, {"channel": "x"}):
            rolled = await report(api, "summary", **params, **extra)
            exact = await report(api, "summary", **params, **extra, language="de")
            assert {k: rolled[k] for k in counted} == {k: exact[k] for k in counted}, (since, until, extra)
            for name in ("first_response_seconds", "resolution_seconds"):
                assert rolled[name]["mean"] == exact[name]["mean"]
                for share in ("median", "p90"):
                    expected = exact[name][share]
                    assert rolled[name][share] == (None if expected is None else about(expected))
    whole = await report(api, "summary")
    assert whole["conversations_opened"] == 25 and whole["conversations_answered"] > 10
