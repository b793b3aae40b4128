"""Reporting: the read models fold every topic in any order and any number of times, and the reports
compute the KPIs contact centers are judged by (JSON and CSV), the surveys, and the public response
time."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy
from google.protobuf.message import Message
from prometheus_client import REGISTRY
from webcare.v1 import common_pb2, conversations_pb2, messages_pb2, replies_pb2

from services.kit.events import new_event, now, timestamp
from services.kit.runtime import Runtime
from services.reporting.consumers import FOLDS
from services.reporting.facts import load_for
from services.reporting.metrics import measure_backlog
from tests.unit.conftest import TENANT, Api
from tests.unit.reporting.accuracy import about, durations

HOUR = timedelta(hours=1)


def rt_of(api: Api) -> Runtime:
    runtime: Runtime = api.app.state.runtimes["reporting"]
    return runtime


async def fold(api: Api, *events: Message) -> None:
    """Fold events into reporting's read models, each in its own transaction, as the consumer does."""
    for event in events:
        async with rt_of(api).unit_of_work() as uow:
            await FOLDS[type(event)](uow, event)


def received(message_id: str, at: datetime, **fields: Any) -> messages_pb2.MessageReceived:
    author = fields.pop("author", common_pb2.Author(external_id=f"a-{message_id}", handle=f"@{message_id}"))
    event = new_event(
        messages_pb2.MessageReceived,
        tenant_id=TENANT,
        message_id=message_id,
        channel=fields.pop("channel", "x"),
        external_id=message_id,
        conversation_key=fields.pop("conversation_key", f"key-{message_id}"),
        author=author,
        **fields,
    )
    event.occurred_at.CopyFrom(timestamp(at))
    return event


def classified(
    message: messages_pb2.MessageReceived,
    category: str,
    *,
    sentiment: float = 0.0,
    language: str = "de",
    **fields: Any,
) -> messages_pb2.MessageClassified:
    label = "negative" if sentiment < -0.2 else "positive" if sentiment > 0.2 else "neutral"
    return new_event(
        messages_pb2.MessageClassified,
        tenant_id=TENANT,
        message_id=message.message_id,
        message=message,
        language=language,
        sentiment=common_pb2.Sentiment(label=label, score=sentiment),
        category=common_pb2.Category(primary=category),
        **fields,
    )


def opened(conversation_id: str, at: datetime, **fields: Any) -> conversations_pb2.ConversationOpened:
    due = fields.pop("due", None)
    event = new_event(
        conversations_pb2.ConversationOpened,
        tenant_id=TENANT,
        conversation_id=conversation_id,
        channel=fields.pop("channel", "x"),
        first_message_at=timestamp(at),
        queue=fields.pop("queue", "default"),
        category=fields.pop("category", "question"),
        language="de",
        **fields,
    )
    if due is not None:
        event.first_response_due_at.CopyFrom(timestamp(due))
    return event


def sent(conversation_id: str, at: datetime, agent: str = "anna", **fields: Any) -> replies_pb2.ReplySent:
    event = new_event(
        replies_pb2.ReplySent,
        tenant_id=TENANT,
        reply_id=f"r-{conversation_id}-{at.timestamp()}",
        conversation_id=conversation_id,
        agent_id=agent,
        channel=fields.pop("channel", "x"),
        **fields,
    )
    event.occurred_at.CopyFrom(timestamp(at))
    return event


def assigned(conversation_id: str, agent: str) -> conversations_pb2.ConversationAssigned:
    return new_event(
        conversations_pb2.ConversationAssigned,
        tenant_id=TENANT,
        conversation_id=conversation_id,
        agent_id=agent,
    )


async def report(api: Api, name: str, **params: str) -> Any:
    answer = await api.call("GET", f"/v1/reports/{name}", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def z(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def test_folding_gives_the_same_facts_in_any_order_and_any_number_of_times(api: Api) -> None:
    start = now() - 3 * HOUR
    message = received("m1", start, channel="facebook", proactive=True)
    events: list[Message] = [
        sent("c1", start + timedelta(minutes=10)),
        classified(message, "complaint", sentiment=-0.8),
        opened("c1", start, channel="facebook", category="complaint"),
        message,
        assigned("c1", "anna"),
    ]
    await fold(api, *events, *events)  # everything twice, the reply and the classification first
    body = await report(api, "summary")
    assert (body["messages_received"], body["conversations_opened"], body["conversations_answered"]) == (
        1,
        1,
        1,
    )
    assert body["first_response_seconds"]["median"] == about(600.0)
    assert body["categories"] == [{"key": "complaint", "count": 1, "share": 1.0}]
    assert body["sentiments"][0]["key"] == "negative" and body["proactive_share"] == 1.0
    assert (await report(api, "agents"))[0]["replies_sent"] == 1  # one reply, though sent twice


async def test_a_batch_folds_in_one_transaction_with_its_facts_loaded_once(api: Api) -> None:
    start = now() - 3 * HOUR
    message = received("m1", start)
    batch: list[Message] = [
        message,
        classified(message, "question"),
        opened("c1", start),
        assigned("c1", "anna"),
        sent("c1", start + timedelta(minutes=2)),
        sent("c1", start + timedelta(minutes=1)),  # an earlier reply, later in the batch
    ]
    await fold(api, opened("c0", start))  # a fact that exists before the batch
    statements: list[str] = []
    async with rt_of(api).unit_of_work() as uow:
        engine = uow.session.bind
        listen = sqlalchemy.event.listen
        listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))  # type: ignore[union-attr]
        for kind in dict.fromkeys(type(e) for e in [*batch, assigned("c0", "ben")]):
            uow.prepared.update(
                await load_for(
                    rt_of(api), uow, [e for e in [*batch, assigned("c0", "ben")] if type(e) is kind]
                )
            )
        selects = len([s for s in statements if s.lstrip().upper().startswith("SELECT")])
        assert selects >= 3  # the preparation's queries, one per table
        for event in [*batch, assigned("c0", "ben")]:
            await FOLDS[type(event)](uow, event)
        await uow.session.flush()
        assert (
            len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == selects
        )  # no lookups
    body = await report(api, "summary")
    assert (body["messages_received"], body["conversations_opened"], body["conversations_answered"]) == (
        1,
        2,
        1,
    )
    assert body["first_response_seconds"]["median"] == about(60.0)
    assert [a["agent_id"] for a in await report(api, "agents")] == ["anna"]


async def test_the_summary_counts_what_contact_centers_are_judged_by(api: Api) -> None:
    start = now() - 10 * HOUR
    await fold(
        api,
        # answered in 5, 10 and 30 minutes; c1 within its SLA, c2 after it
        opened("c1", start, due=start + 15 * timedelta(minutes=1)),
        sent("c1", start + timedelta(minutes=5)),
        opened("c2", start, due=start + 5 * timedelta(minutes=1), queue="vip"),
        sent("c2", start + timedelta(minutes=10)),
        opened("c3", start, channel="whatsapp"),
        sent("c3", start + timedelta(minutes=30), channel="whatsapp"),
        # unanswered: one past its SLA (missed), one not due yet (not counted), one spam (not answerable)
        opened("c4", start, due=start + HOUR, channel="whatsapp"),
        opened("c5", now() - timedelta(minutes=1), due=now() + HOUR),
        opened("c6", start - HOUR, category="spam"),
        new_event(conversations_pb2.ConversationResolved, tenant_id=TENANT, conversation_id="c1"),
    )
    body = await report(api, "summary")
    assert (
        body["conversations_opened"],
        body["conversations_answerable"],
        body["conversations_answered"],
    ) == (
        6,
        5,
        3,
    )
    assert body["response_rate"] == 0.6
    assert body["first_response_seconds"] == durations(mean=900.0, median=600.0, p90=1560.0)
    assert (body["sla_attainment"], body["sla_measured"]) == (round(1 / 3, 4), 3)
    assert body["backlog"] == 3 and body["oldest_waiting_since"].startswith(z(start - HOUR)[:16])
    assert body["conversations_resolved"] == 1 and body["resolution_seconds"]["median"] > 0

    whatsapp = await report(api, "summary", channel="whatsapp")
    assert (whatsapp["conversations_opened"], whatsapp["conversations_answered"]) == (2, 1)
    vip = await report(api, "summary", queue="vip")
    assert (vip["conversations_opened"], vip["sla_attainment"]) == (1, 0.0)
    later = await report(api, "summary", **{"from": z(now() - HOUR)})
    assert later["conversations_opened"] == 1

    by_queue = await report(api, "sla", by="queue")
    assert [(g["key"], g["measured"], g["met"]) for g in by_queue] == [("default", 2, 1), ("vip", 1, 0)]
    by_channel = await report(api, "sla", by="channel")
    assert [(g["key"], g["attainment"]) for g in by_channel] == [("whatsapp", 0.0), ("x", 0.5)]

    as_csv = await api.call("GET", "/v1/reports/summary", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = dict(csv.reader(io.StringIO(as_csv.text)))
    assert rows["response_rate"] == "0.6" and float(rows["first_response_seconds.median"]) == about(600.0)


async def test_messages_are_counted_exactly_for_periods_that_cut_through_hours(api: Api) -> None:
    hour = now().replace(minute=0, second=0, microsecond=0) - 5 * HOUR
    minutes = (10, 50, 70, 130, 200)  # 10:10, 10:50, 11:10, 12:10, 13:20 if `hour` is 10:00
    events: list[Message] = []
    for index, minute in enumerate(minutes):
        message = received(f"m{index}", hour + timedelta(minutes=minute))
        events += [message, classified(message, "question", sentiment=-0.5 if index % 2 else 0.5)]
    await fold(api, *events)
    for since, until, expected in (
        (30, 135, 3),  # 10:30-12:15: two part hours and one whole hour
        (0, 120, 3),  # whole hours only
        (20, 40, 0),  # within one hour
        (45, 55, 1),
        (None, None, 5),
    ):
        params = {}
        if since is not None:
            params["from"] = z(hour + timedelta(minutes=since))
        if until is not None:
            params["to"] = z(hour + timedelta(minutes=until))
        body = await report(api, "summary", **params)
        assert body["messages_received"] == expected, (since, until, body)
    body = await report(
        api, "summary", **{"from": z(hour + timedelta(minutes=30)), "to": z(hour + timedelta(minutes=135))}
    )
    assert body["sentiments"] == [
        {"key": "negative", "count": 2, "share": 0.6667},
        {"key": "positive", "count": 1, "share": 0.3333},
    ]
    assert sum(day["messages"] for day in body["sentiment_trend"]) == 3


async def test_bad_periods_are_refused_clearly(api: Api) -> None:
    for params in (
        {"from": "2026-11-23T00:00:00"},
        {"from": "2026-11-24T00:00:00Z", "to": "2026-11-23T00:00:00Z"},
    ):
        answer = await api.call("GET", "/v1/reports/summary", params=params)
        assert (answer.status_code, answer.json()["error"]) == (422, "invalid_range")


async def test_the_agent_report_joins_responses_wording_satisfaction_and_reviews(api: Api) -> None:
    start = now() - 5 * HOUR
    await fold(
        api,
        opened("c1", start),
        sent("c1", start + timedelta(minutes=4), agent="anna", negative_words=["leider"]),
        opened("c2", start),
        sent("c2", start + timedelta(minutes=8), agent="anna"),
        opened("c3", start),
        sent("c3", start + timedelta(minutes=2), agent="ben"),
        new_event(
            replies_pb2.ReplyReviewed,
            tenant_id=TENANT,
            review_id="rev-1",
            agent_id="anna",
            product_knowledge=4,
            wording=2,
            empathy=5,
            guideline_kept=True,
        ),
    )
    for external_id, score in (("s1", 5), ("s2", 3)):
        answer = await api.call(
            "POST",
            "/v1/surveys",
            json={"external_id": external_id, "kind": "csat", "score": score, "agent_id": "anna"},
        )
        assert answer.status_code == 201, answer.text
    anna, ben = await report(api, "agents")
    assert (anna["agent_id"], anna["conversations_answered"], anna["replies_sent"]) == ("anna", 2, 2)
    assert anna["first_response_seconds"]["mean"] == 360.0 and anna["negative_wording_rate"] == 0.5
    assert (anna["csat_average"], anna["csat_answers"], anna["reviews"]) == (4.0, 2, 1)
    assert anna["review_average"] == {"product_knowledge": 4.0, "wording": 2.0, "empathy": 5.0}
    assert (ben["agent_id"], ben["negative_wording_rate"], ben["csat_average"]) == ("ben", 0.0, None)
    assert [a["agent_id"] for a in await report(api, "agents", agent="ben")] == ["ben"]
    rows = list(csv.DictReader(io.StringIO((await api.call("GET", "/v1/reports/agents?format=csv")).text)))
    assert [row["agent_id"] for row in rows] == ["anna", "ben"] and rows[0]["review_average.wording"] == "2.0"


async def test_surveys_count_once_and_make_csat_and_nps(api: Api) -> None:
    answers = [("csat", 5), ("csat", 4), ("csat", 2), ("nps", 10), ("nps", 9), ("nps", 7), ("nps", 3)]
    for index, (kind, score) in enumerate(answers):
        answer = await api.call(
            "POST", "/v1/surveys", json={"external_id": f"s{index}", "kind": kind, "score": score}
        )
        assert answer.status_code == 201, answer.text
    again = await api.call("POST", "/v1/surveys", json={"external_id": "s0", "kind": "csat", "score": 5})
    assert again.status_code == 200
    other = await api.call("POST", "/v1/surveys", json={"external_id": "s0", "kind": "csat", "score": 1})
    assert other.status_code == 409
    assert (
        await api.call("POST", "/v1/surveys", json={"external_id": "x", "kind": "csat", "score": 7})
    ).status_code == 422
    body = await report(api, "satisfaction")
    assert (body["csat_answers"], body["csat_average"], body["csat_satisfied_share"]) == (3, 3.667, 0.6667)
    assert (body["promoters"], body["passives"], body["detractors"], body["nps"]) == (2, 1, 1, 25.0)


async def test_trending_terms_burst_above_their_own_baseline_and_complaints_cluster(api: Api) -> None:
    moment = now()
    events: list[Message] = []
    for day in range(8):  # "Rechnung" three times every day: no burst
        for index in range(3):
            message = received(f"old{day}-{index}", moment - timedelta(days=day, hours=index + 1))
            events.append(classified(message, "question", redacted_preview="Frage zur Rechnung"))
    for index in range(4):
        message = received(f"new{index}", moment - timedelta(hours=index + 1))
        events.append(
            classified(
                message,
                "complaint",
                redacted_preview=f"Stromausfall in Köln #blackout (Meldung {index})",
                topics=["outage"] if index < 3 else [],
            )
        )
    await fold(api, *events)
    body = await report(api, "trending")
    terms = {t["term"]: t for t in body["terms"]}
    assert {"stromausfall", "#blackout", "köln"} <= set(terms) and "rechnung" not in terms
    assert terms["#blackout"]["count"] == 4 and terms["#blackout"]["baseline"] == 0.0
    clusters = {c["key"]: c["count"] for c in body["complaint_clusters"]}
    assert clusters["outage"] == 3 and sum(clusters.values()) == 4


async def test_leads_questions_and_community_helpers(api: Api) -> None:
    start = now() - 2 * HOUR
    lead = received("l1", start, proactive=True, lead=True)
    question_a = received("q1", start, conversation_key="thread-1")
    question_b = received("q2", start)
    question_c = received("q3", start)
    peer = received(
        "p1",
        start + timedelta(minutes=3),
        conversation_key="thread-1",
        community_member=True,
        author=common_pb2.Author(external_id="helper-1", handle="@hilfsbereit"),
    )
    await fold(
        api,
        classified(lead, "lead", redacted_preview="Suche einen neuen Handyvertrag"),
        classified(question_a, "question", redacted_preview="Wie kündige ich meinen Vertrag?"),
        classified(question_b, "question", redacted_preview="wie kündige ich meinen Vertrag"),
        classified(question_c, "question", redacted_preview="Wo ist mein Paket?"),
        classified(peer, "other", redacted_preview="Geht online unter Mein Konto."),
        opened("thread-1", start, category="question"),
        opened("c2", start, category="question"),
        new_event(
            conversations_pb2.ConversationMessageAdded,
            tenant_id=TENANT,
            conversation_id="thread-1",
            community_member=True,
            sent_at=timestamp(start + timedelta(minutes=3)),
        ),
        sent("thread-1", start + timedelta(minutes=20)),
        sent("c2", start + timedelta(minutes=5)),
    )
    [found] = await report(api, "leads")
    assert (found["message_id"], found["text"], found["proactive"]) == (
        "l1",
        "Suche einen neuen Handyvertrag",
        True,
    )
    leads_csv = (await api.call("GET", "/v1/reports/leads", params={"format": "csv"})).text
    assert "Suche einen neuen Handyvertrag" in leads_csv

    first, second = await report(api, "questions")
    assert first["count"] == 2 and "kündige" in first["question"].lower()
    assert (second["question"], second["count"]) == ("Wo ist mein Paket?", 1)

    community = await report(api, "community")
    assert (community["questions"], community["answered_by_community_first"], community["share"]) == (
        2,
        1,
        0.5,
    )
    assert community["helpers"] == [
        {"author_id": "helper-1", "author_handle": "@hilfsbereit", "answers": 1, "conversations": 1}
    ]


async def test_the_public_response_time_shows_only_what_the_tenant_opted_into(api: Api) -> None:
    start = now() - 2 * HOUR
    await fold(
        api,
        opened("c1", start),
        sent("c1", start + timedelta(minutes=4)),
        opened("c2", start, channel="whatsapp"),
        sent("c2", start + timedelta(minutes=2), channel="whatsapp"),
    )
    public = f"/v1/public/{TENANT}/response-time"
    assert (await api.client.get(public)).status_code == 404
    assert (await api.client.get("/v1/public/nobody/response-time")).status_code == 404
    opt_in = await api.call("PUT", "/v1/reports/public-sharing", json={"response_time": True})
    assert opt_in.status_code == 200, opt_in.text
    answer = await api.client.get(public)  # no key
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "public, max-age=60"
    body = answer.json()
    assert set(body) == {"tenant", "window_hours", "as_of", "channels"}
    assert body["channels"] == [
        {"channel": "whatsapp", "median_seconds": 120.0, "answered": 1},
        {"channel": "x", "median_seconds": 240.0, "answered": 1},
    ]
    await api.call("PUT", "/v1/reports/public-sharing", json={"response_time": False})
    assert (await api.client.get(public)).status_code == 404


async def test_business_metrics_count_each_fact_once_whatever_the_order(api: Api) -> None:
    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, {"tenant": TENANT, **labels}) or 0.0

    before = {
        "opened": value("webcare_conversations_opened_total", channel="whatsapp"),
        "answered": value("webcare_conversations_answered_total", channel="whatsapp"),
        "missed": value(
            "webcare_sla_first_responses_total", channel="whatsapp", queue="default", outcome="missed"
        ),
        "under_10_min": value("webcare_first_response_seconds_bucket", channel="whatsapp", le="600.0"),
        "negative": value(
            "webcare_messages_total", channel="whatsapp", category="complaint", sentiment="negative"
        ),
    }
    start = now() - HOUR
    message = received("m1", start, channel="whatsapp")
    events: list[Message] = [
        sent("c1", start + timedelta(minutes=8), channel="whatsapp"),  # before its opening
        opened("c1", start, channel="whatsapp", due=start + timedelta(minutes=5)),
        classified(message, "complaint", sentiment=-0.9),
    ]
    await fold(api, *events, *events)
    assert value("webcare_conversations_opened_total", channel="whatsapp") == before["opened"] + 1
    assert value("webcare_conversations_answered_total", channel="whatsapp") == before["answered"] + 1
    missed = value("webcare_sla_first_responses_total", channel="whatsapp", queue="default", outcome="missed")
    assert missed == before["missed"] + 1
    under = value("webcare_first_response_seconds_bucket", channel="whatsapp", le="600.0")
    assert under == before["under_10_min"] + 1
    negative = value("webcare_messages_total", channel="whatsapp", category="complaint", sentiment="negative")
    assert negative == before["negative"] + 1

    await fold(api, opened("c2", now() - 2 * HOUR, channel="whatsapp"))
    await measure_backlog(rt_of(api))
    assert value("webcare_backlog_conversations", channel="whatsapp") == 1
    assert 7000 < value("webcare_oldest_waiting_seconds") < 7300
    scraped = (await api.client.get("/metrics")).text
    assert 'webcare_backlog_conversations{channel="whatsapp",tenant="acme"} 1.0' in scraped


@pytest.mark.parametrize("path", ["/v1/reports/summary", "/v1/reports/agents", "/v1/reports/trending"])
async def test_reports_need_a_supervisor(api: Api, path: str) -> None:
    assert (await api.client.get(path)).status_code == 401
