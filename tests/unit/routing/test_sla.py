"""First-response SLAs: targets by channel, publicity and urgency, business calendars, queue order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from webcare.v1 import conversations_pb2

from services.kit.auth import Role
from services.kit.events import decode, now, to_datetime
from services.routing import service
from services.routing.models import Conversation
from services.routing.sla import CalendarIn, Clock, SlaTarget
from tests.unit.conftest import TENANT, Api
from tests.unit.routing.test_skill_routing import classified_event, routing

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = {
    "name": "Kundenservice",
    "timezone": "Europe/Berlin",
    "week": {day: [["08:00", "12:00"], ["13:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": ["2026-12-24"],
}


async def opened(
    api: Api,
    key: str,
    *,
    channel: str = "x",
    public: bool = True,
    urgency: int = 2,
    category: str = "complaint",
    at: datetime | None = None,
) -> tuple[Conversation, conversations_pb2.ConversationOpened]:
    """Hand routing a classified message that opens a conversation; the conversation and its event."""
    event = classified_event(
        key, channel=channel, public=public, urgency=urgency, category=category, language="de", at=at
    )
    async with routing(api).unit_of_work() as uow:
        conversation = await service.take_message(uow, event)
        announced = [decode(record) for record in uow.events]
    opening = [e for e in announced if isinstance(e, conversations_pb2.ConversationOpened)]
    assert len(opening) == 1
    return conversation, opening[0]


def due_of(conversation: Conversation) -> datetime:
    assert conversation.first_response_due_at is not None
    return conversation.first_response_due_at


async def test_the_default_policy_promises_what_the_industry_does(api: Api) -> None:
    policy = (await api.call("GET", "/v1/sla-policy")).json()
    assert policy["is_default"] is True
    assert [(t["name"], t["first_response_seconds"]) for t in policy["targets"]] == [
        ("e-mail", 86400),
        ("public posts", 3600),
        ("private messages", 1800),
    ]
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    post, event = await opened(api, "post", public=True, at=at)
    dm, _ = await opened(api, "dm", public=False, at=at)
    mail, _ = await opened(api, "mail", channel="email", public=False, at=at)
    assert (due_of(post), post.sla_target) == (at + timedelta(hours=1), "public posts")
    assert (due_of(dm), dm.sla_target) == (at + timedelta(minutes=30), "private messages")
    assert (due_of(mail), mail.sla_target) == (at + timedelta(hours=24), "e-mail")
    # The event says so too, for reporting and the CRM.
    assert (to_datetime(event.first_response_due_at), event.sla_target) == (due_of(post), "public posts")


async def test_the_first_target_that_applies_sets_the_clock(api: Api) -> None:
    body: dict[str, Any] = {
        "targets": [
            {"name": "crisis", "min_urgency": 5, "first_response_seconds": 900},
            {"name": "whatsapp", "channels": ["whatsapp"], "first_response_seconds": 600},
        ]
    }
    answer = await api.call("PUT", "/v1/sla-policy", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["is_default"] is False
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    crisis, _ = await opened(api, "c", urgency=5, at=at)
    chat, _ = await opened(api, "w", channel="whatsapp", public=False, at=at)
    post, event = await opened(api, "p", at=at)
    assert (due_of(crisis), crisis.sla_target) == (at + timedelta(minutes=15), "crisis")
    assert (due_of(chat), chat.sla_target) == (at + timedelta(minutes=10), "whatsapp")
    assert (post.first_response_due_at, post.sla_target) == (None, None)  # no target applies
    assert not event.HasField("first_response_due_at") and event.sla_target == ""


async def test_business_hours_stop_the_clock_at_night_weekends_and_holidays(api: Api) -> None:
    created = await api.call("POST", "/v1/calendars", json=OFFICE)
    assert created.status_code == 201, created.text
    calendar_id = created.json()["id"]
    assert created.headers["Location"] == f"/v1/calendars/{calendar_id}"
    body = {"targets": [{"name": "all", "first_response_seconds": 3600}], "calendar_id": calendar_id}
    assert (await api.call("PUT", "/v1/sla-policy", json=body)).status_code == 200

    friday = datetime(2026, 11, 20, 17, 30, tzinfo=BERLIN)  # half an hour before closing
    weekend, _ = await opened(api, "fri", at=friday)
    assert due_of(weekend).astimezone(BERLIN) == datetime(2026, 11, 23, 8, 30, tzinfo=BERLIN)
    lunch, _ = await opened(api, "lunch", at=datetime(2026, 11, 23, 11, 30, tzinfo=BERLIN))
    assert due_of(lunch).astimezone(BERLIN) == datetime(2026, 11, 23, 13, 30, tzinfo=BERLIN)
    eve, _ = await opened(api, "eve", at=datetime(2026, 12, 23, 17, 45, tzinfo=BERLIN))
    assert due_of(eve).astimezone(BERLIN) == datetime(2026, 12, 25, 8, 45, tzinfo=BERLIN)  # 24th closed


async def test_calendars_and_policies_are_checked_and_kept_per_tenant(api: Api) -> None:
    bad_zone = {**OFFICE, "timezone": "Europe/Atlantis"}
    assert (await api.call("POST", "/v1/calendars", json=bad_zone)).status_code == 422
    backwards = {**OFFICE, "week": {"mon": [["18:00", "08:00"]]}}
    assert (await api.call("POST", "/v1/calendars", json=backwards)).status_code == 422
    unknown = {"targets": [{"name": "x", "first_response_seconds": 600}], "calendar_id": "nope"}
    assert (await api.call("PUT", "/v1/sla-policy", json=unknown)).status_code == 422
    twice = {"targets": [{"name": "x", "first_response_seconds": 600}] * 2}
    assert (await api.call("PUT", "/v1/sla-policy", json=twice)).status_code == 422

    calendar_id = (await api.call("POST", "/v1/calendars", json=OFFICE)).json()["id"]
    body = {"targets": [{"name": "all", "first_response_seconds": 600}], "calendar_id": calendar_id}
    await api.call("PUT", "/v1/sla-policy", json=body)
    assert (await api.call("DELETE", f"/v1/calendars/{calendar_id}")).status_code == 409  # in use

    api.add_key("other-supervisor", tenant="other", role=Role.supervisor)
    api.add_key("an-agent", tenant=TENANT, role=Role.agent, agent_id="a")
    path = f"/v1/calendars/{calendar_id}"
    assert (await api.call("GET", path, key="other-supervisor")).status_code == 404
    assert (await api.call("GET", "/v1/sla-policy", key="other-supervisor")).json()["is_default"] is True
    assert (await api.call("GET", path, key="an-agent")).status_code == 403

    changed = {**OFFICE, "name": "Winter", "holidays": ["2026-12-31", "2026-12-24"]}
    replaced = await api.call("PUT", path, json=changed)
    assert (replaced.json()["name"], replaced.json()["holidays"]) == ("Winter", ["2026-12-24", "2026-12-31"])
    listed = (await api.call("GET", "/v1/calendars")).json()
    assert [c["id"] for c in listed["items"]] == [calendar_id]
    await api.call("PUT", "/v1/sla-policy", json={"targets": body["targets"]})
    assert (await api.call("DELETE", path)).status_code == 204
    assert (await api.call("GET", path)).status_code == 404


async def test_the_queue_goes_by_priority_then_earliest_breach_then_age(api: Api) -> None:
    start = now() - timedelta(minutes=10)
    late, _ = await opened(api, "public-first", public=True, at=start)  # due in 50 min
    soon, _ = await opened(api, "dm-later", public=False, at=start + timedelta(minutes=5))  # due in 25
    urgent, _ = await opened(api, "urgent", public=True, urgency=4, at=start + timedelta(minutes=9))
    answer = await api.call("GET", "/v1/queues/default/conversations")
    assert answer.status_code == 200, answer.text
    queue = answer.json()
    assert [entry["id"] for entry in queue] == [urgent.id, soon.id, late.id]
    remaining = {entry["id"]: entry["sla_remaining_seconds"] for entry in queue}
    assert 24 * 60 < remaining[soon.id] <= 25 * 60
    assert 49 * 60 < remaining[late.id] <= 50 * 60
    assert queue[1]["first_response_due_at"] is not None and queue[1]["sla_target"] == "private messages"

    anna = await api.agent("Anna", presence="available", capacity={"default": 1})  # room for one
    async with routing(api).unit_of_work() as uow:  # the assignment takes the queue's first
        taken = await uow.session.get(Conversation, urgent.id)
        left = [await uow.session.get(Conversation, c.id) for c in (soon, late)]
    assert taken is not None and taken.assignee_id == anna["id"]
    assert [c.status for c in left if c is not None] == ["waiting", "waiting"]


async def escalate(api: Api, at: datetime) -> tuple[list[str], list[conversations_pb2.ConversationEscalated]]:
    """Run the sweep's escalation as at `at`: the ids escalated and the events announced."""
    async with routing(api).unit_of_work() as uow:
        ids = await service.escalate_at_risk(uow, at=at)
        announced = [decode(record) for record in uow.events]
    return ids, [e for e in announced if isinstance(e, conversations_pb2.ConversationEscalated)]


async def test_a_crisis_escalates_at_once_and_others_when_their_sla_is_at_risk(api: Api) -> None:
    at = now()
    async with routing(api).unit_of_work() as uow:
        crisis = await service.take_message(
            uow, classified_event("shitstorm", category="crisis", urgency=5, at=at)
        )
        events = [decode(record) for record in uow.events]
    escalated = [e for e in events if isinstance(e, conversations_pb2.ConversationEscalated)]
    assert (crisis.escalation_reason, [e.reason for e in escalated]) == ("crisis", ["crisis"])

    post, _ = await opened(api, "post", public=True, at=at)  # due in 60 min, at risk after 48
    answered, _ = await opened(api, "answered", public=True, at=at)
    async with routing(api).unit_of_work() as uow:
        row = await uow.session.get(Conversation, answered.id)
        assert row is not None
        row.first_response_at = at + timedelta(minutes=5)
        uow.session.add(row)
    assert await escalate(api, at + timedelta(minutes=47)) == ([], [])
    ids, events_ = await escalate(api, at + timedelta(minutes=49))
    assert ids == [post.id]  # not the crisis again, not the answered one
    assert [(e.conversation_id, e.reason) for e in events_] == [(post.id, "sla_at_risk")]
    assert to_datetime(events_[0].first_response_due_at) == at + timedelta(hours=1)
    assert await escalate(api, at + timedelta(hours=2)) == ([], [])  # once only

    shown = (await api.call("GET", f"/v1/conversations/{post.id}")).json()
    assert shown["escalation_reason"] == "sla_at_risk" and shown["escalated_at"] is not None
    queue = (await api.call("GET", "/v1/queues/default/conversations")).json()
    assert [entry["id"] for entry in queue][:2] == [crisis.id, post.id]  # escalated ones first


async def test_without_a_share_only_crises_escalate(api: Api) -> None:
    body = {"targets": [{"name": "all", "first_response_seconds": 600}], "escalate_at": None}
    assert (await api.call("PUT", "/v1/sla-policy", json=body)).json()["escalate_at"] is None
    at = now()
    post, _ = await opened(api, "post", at=at)
    assert post.escalate_at is None
    assert await escalate(api, at + timedelta(days=1)) == ([], [])
    default = (await api.call("PUT", "/v1/sla-policy", json={"targets": body["targets"]})).json()
    assert default["escalate_at"] == 0.8


def test_time_left_counts_on_the_slas_own_clock() -> None:
    office = CalendarIn.model_validate(OFFICE).calendar()
    clock = Clock([SlaTarget(name="all", first_response_seconds=3600)], office)
    due = datetime(2026, 11, 23, 8, 30, tzinfo=BERLIN)  # for a message of Friday 17:30
    friday_evening = datetime(2026, 11, 20, 17, 45, tzinfo=BERLIN)
    assert clock.remaining(due, friday_evening) == timedelta(minutes=45)  # nights and weekends stand still
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)
    assert clock.remaining(due, monday) == -timedelta(minutes=30)  # breached half a business hour ago
    around_the_clock = Clock([SlaTarget(name="all", first_response_seconds=3600)])
    assert around_the_clock.remaining(due, friday_evening) == due - friday_evening
