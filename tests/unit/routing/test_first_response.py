"""Routing stops a conversation's response clock at its first answer and says so once
(ConversationFirstResponded), in elapsed time and in the business hours of the SLA policy's calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from webcare.v1 import conversations_pb2, replies_pb2

from services.kit.events import decode, new_event, timestamp, to_datetime
from services.routing import service
from tests.unit.conftest import TENANT, Api
from tests.unit.routing.test_skill_routing import classified_event, routing

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = {
    "name": "Kundenservice",
    "timezone": "Europe/Berlin",
    "week": {day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
}
FRIDAY_EVENING = datetime(2026, 11, 20, 17, 30, tzinfo=BERLIN)
MONDAY_MORNING = datetime(2026, 11, 23, 9, 30, tzinfo=BERLIN)


async def open_at(api: Api, key: str, at: datetime) -> str:
    """Open a conversation whose first customer message was sent at `at`; its id."""
    async with routing(api).unit_of_work() as uow:
        conversation = await service.take_message(uow, classified_event(key, at=at))
    return conversation.id


async def reply(
    api: Api, conversation_id: str, at: datetime, *, agent: str = "anna", event_id: str | None = None
) -> list[conversations_pb2.ConversationFirstResponded]:
    """Hand routing a ReplySent; the ConversationFirstResponded events it emitted."""
    event = new_event(
        replies_pb2.ReplySent,
        tenant_id=TENANT,
        reply_id=f"r-{at.timestamp()}",
        conversation_id=conversation_id,
        agent_id=agent,
    )
    event.occurred_at.CopyFrom(timestamp(at))
    if event_id is not None:
        event.event_id = event_id
    async with routing(api).unit_of_work() as uow:
        await service.record_reply(uow, event)
        emitted = [decode(record) for record in uow.events]
    return [e for e in emitted if isinstance(e, conversations_pb2.ConversationFirstResponded)]


async def count_in_office_hours(api: Api) -> str:
    created = await api.call("POST", "/v1/calendars", json=OFFICE)
    assert created.status_code == 201, created.text
    calendar_id: str = created.json()["id"]
    body = {"targets": [{"name": "all", "first_response_seconds": 3600}], "calendar_id": calendar_id}
    assert (await api.call("PUT", "/v1/sla-policy", json=body)).status_code == 200
    return calendar_id


async def test_the_first_answer_counts_only_the_calendars_opening_hours(api: Api) -> None:
    calendar_id = await count_in_office_hours(api)
    conversation_id = await open_at(api, "weekend", FRIDAY_EVENING)

    [first] = await reply(api, conversation_id, MONDAY_MORNING, agent="ben")

    assert first.elapsed_seconds == 64 * 3600  # Friday 17:30 to Monday 09:30
    assert first.business_seconds == 3600  # 17:30-18:00 on Friday, 09:00-09:30 on Monday
    assert first.calendar_id == calendar_id
    assert (first.conversation_id, first.agent_id, first.tenant_id) == (conversation_id, "ben", TENANT)
    assert to_datetime(first.first_message_at) == FRIDAY_EVENING
    assert to_datetime(first.responded_at) == MONDAY_MORNING


async def test_only_the_first_answer_stops_the_clock_even_when_redelivered(api: Api) -> None:
    await count_in_office_hours(api)
    conversation_id = await open_at(api, "twice", FRIDAY_EVENING)

    assert len(await reply(api, conversation_id, MONDAY_MORNING, event_id="reply-1")) == 1
    assert await reply(api, conversation_id, MONDAY_MORNING, event_id="reply-1") == []  # redelivered
    assert await reply(api, conversation_id, MONDAY_MORNING + timedelta(hours=1)) == []  # a second answer


async def test_around_the_clock_the_business_time_is_the_elapsed_time(api: Api) -> None:
    conversation_id = await open_at(api, "default-policy", FRIDAY_EVENING)

    [first] = await reply(api, conversation_id, MONDAY_MORNING)

    assert first.elapsed_seconds == first.business_seconds == 64 * 3600
    assert first.calendar_id == ""


async def test_an_answer_stamped_before_the_message_took_no_time(api: Api) -> None:
    await count_in_office_hours(api)
    sent = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)
    conversation_id = await open_at(api, "skew", sent)

    [first] = await reply(api, conversation_id, sent - timedelta(seconds=5))

    assert first.elapsed_seconds == first.business_seconds == 0
