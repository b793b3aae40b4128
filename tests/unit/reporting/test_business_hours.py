"""Reporting: first-response times in business hours only (`business_hours=true`), from the time
routing counted in the SLA policy's calendar (ConversationFirstResponded); conversations answered
before routing counted it are left out and the reports say how many first responses are in."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from google.protobuf.message import Message
from webcare.v1 import conversations_pb2, replies_pb2

from services.kit.events import CONVERSATION_EVENTS, encode, new_event, timestamp
from tests.unit.conftest import TENANT, Api, eventually
from tests.unit.reporting.accuracy import about, durations
from tests.unit.reporting.test_reports import fold, opened, report, sent
from tests.unit.routing.test_first_response import FRIDAY_EVENING, MONDAY_MORNING, OFFICE
from tests.unit.routing.test_skill_routing import classified_event

MINUTE = timedelta(minutes=1)
HOUR_AND_A_HALF = timedelta(minutes=90)


def first_responded(
    conversation_id: str, start: datetime, answered: datetime, business_seconds: float, agent: str = "anna"
) -> conversations_pb2.ConversationFirstResponded:
    return new_event(
        conversations_pb2.ConversationFirstResponded,
        tenant_id=TENANT,
        conversation_id=conversation_id,
        first_message_at=timestamp(start),
        responded_at=timestamp(answered),
        elapsed_seconds=(answered - start).total_seconds(),
        business_seconds=business_seconds,
        calendar_id="cal-1",
        agent_id=agent,
    )


async def test_a_weekend_counts_only_its_opening_hours_from_routing_to_the_report(api: Api) -> None:
    calendar = await api.call("POST", "/v1/calendars", json=OFFICE)
    policy = {
        "targets": [{"name": "all", "first_response_seconds": 3600}],
        "calendar_id": calendar.json()["id"],
    }
    assert (await api.call("PUT", "/v1/sla-policy", json=policy)).status_code == 200
    bus = api.app.state.bus
    await bus.publish(
        encode(classified_event("weekend", at=FRIDAY_EVENING), source="classify", key="weekend")
    )

    async def opening() -> bool:
        return any(
            isinstance(e, conversations_pb2.ConversationOpened) for e in api.published(CONVERSATION_EVENTS)
        )

    await eventually(opening)
    [conversation] = [
        e for e in api.published(CONVERSATION_EVENTS) if isinstance(e, conversations_pb2.ConversationOpened)
    ]
    reply = new_event(
        replies_pb2.ReplySent,
        tenant_id=TENANT,
        reply_id="r1",
        conversation_id=conversation.conversation_id,
        agent_id="anna",
        channel="x",
    )
    reply.occurred_at.CopyFrom(timestamp(MONDAY_MORNING))
    await bus.publish(encode(reply, source="reply", key=conversation.conversation_id))

    async def folded() -> bool:
        body = await report(api, "summary", business_hours="true")
        return bool(body["first_response_measured"] == 1 and body["conversations_answered"] == 1)

    await eventually(folded)
    in_business_hours = await report(api, "summary", business_hours="true")
    assert in_business_hours["first_response_seconds"] == durations(mean=3600.0, median=3600.0, p90=3600.0)
    elapsed = await report(api, "summary")
    assert elapsed["first_response_seconds"] == durations(mean=230400.0, median=230400.0, p90=230400.0)
    assert "first_response_measured" not in elapsed  # the default answer is as it was


async def test_answers_without_a_business_time_are_left_out_and_counted(api: Api) -> None:
    start = FRIDAY_EVENING
    events: list[Message] = [
        # answered over the weekend: 64 h elapsed, one hour of business time
        opened("c1", start),
        sent("c1", MONDAY_MORNING),
        first_responded("c1", start, MONDAY_MORNING, 3600),
        # answered in ten minutes, all of them open
        opened("c2", start - HOUR_AND_A_HALF, queue="vip"),
        sent("c2", start - HOUR_AND_A_HALF + 10 * MINUTE, agent="ben"),
        first_responded("c2", start - HOUR_AND_A_HALF, start - HOUR_AND_A_HALF + 10 * MINUTE, 600, "ben"),
        # answered in 20 minutes before routing counted business hours: no business time
        opened("c3", start),
        sent("c3", start + 20 * MINUTE, agent="ben"),
        # spam is never answerable
        opened("c4", start, category="spam"),
        sent("c4", start + MINUTE, agent="carl"),
        first_responded("c4", start, start + MINUTE, 60, "carl"),
    ]
    await fold(api, *reversed(events), *events)  # in any order, twice

    elapsed = await report(api, "summary")
    assert elapsed["conversations_answered"] == 3
    assert elapsed["first_response_seconds"] == durations(mean=77400.0, median=1200.0, p90=184560.0)
    assert "first_response_measured" not in elapsed

    business = await report(api, "summary", business_hours="true")
    assert (business["conversations_answered"], business["first_response_measured"]) == (3, 2)
    assert business["first_response_seconds"] == durations(mean=2100.0, median=2100.0, p90=3300.0)
    assert {k: v for k, v in business.items() if not k.startswith("first_response")} == {
        k: v for k, v in elapsed.items() if not k.startswith("first_response")
    }
    vip = await report(api, "summary", business_hours="true", queue="vip")
    assert (vip["first_response_measured"], vip["first_response_seconds"]["median"]) == (1, 600.0)

    agents = {a["agent_id"]: a for a in await report(api, "agents", business_hours="true")}
    assert (agents["anna"]["conversations_answered"], agents["anna"]["first_response_measured"]) == (1, 1)
    assert agents["anna"]["first_response_seconds"]["median"] == 3600.0
    assert (agents["ben"]["conversations_answered"], agents["ben"]["first_response_measured"]) == (2, 1)
    assert agents["ben"]["first_response_seconds"]["median"] == 600.0
    by_elapsed = {a["agent_id"]: a for a in await report(api, "agents")}
    assert by_elapsed["ben"]["first_response_seconds"]["median"] == 900.0
    assert "first_response_measured" not in by_elapsed["ben"]

    as_csv = await api.call("GET", "/v1/reports/summary", params={"format": "csv", "business_hours": "true"})
    rows = dict(csv.reader(io.StringIO(as_csv.text)))
    assert (float(rows["first_response_seconds.median"]), rows["first_response_measured"]) == (
        about(2100),
        "2",
    )
    default_csv = await api.call("GET", "/v1/reports/summary", params={"format": "csv"})
    assert "first_response_measured" not in dict(csv.reader(io.StringIO(default_csv.text)))


async def test_the_parameter_is_documented(api: Api) -> None:
    schema = (await api.client.get("/openapi.json")).json()
    for path in ("/v1/reports/summary", "/v1/reports/agents"):
        route = schema["paths"][path]["get"]
        assert "business_hours=true" in route["description"]
        [parameter] = [p for p in route["parameters"] if p["name"] == "business_hours"]
        assert parameter["schema"]["default"] is False and "business hours" in parameter["description"]
