"""Transfers to an agent or back to the queue, and reopened conversations back to their last agent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col
from webcare.v1 import conversations_pb2

from services.kit.auth import Role
from services.kit.events import CONVERSATION_EVENTS, now
from services.routing import service
from services.routing.models import Conversation
from tests.unit.conftest import TENANT, Api
from tests.unit.routing.test_skill_routing import classified, classified_event, routing


async def agents(api: Api, *names: str, **fields: Any) -> dict[str, dict[str, Any]]:
    """Agents by name, each with a key of their own named after them."""
    made = {}
    for name in names:
        made[name] = await api.agent(name, **fields)
        api.add_key(name, tenant=TENANT, role=Role.agent, agent_id=made[name]["id"])
    return made


async def shown(api: Api, conversation_id: str) -> dict[str, Any]:
    answer = await api.call("GET", f"/v1/conversations/{conversation_id}")
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def events_of(api: Api, kind: type[Any], conversation_id: str) -> list[Any]:
    return [
        e
        for e in api.published(CONVERSATION_EVENTS)
        if isinstance(e, kind) and e.conversation_id == conversation_id
    ]


async def test_a_transfer_to_an_agent_who_can_take_it_hands_it_over_with_the_note(api: Api) -> None:
    team = await agents(api, "Anna", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    team |= await agents(api, "Ben", presence="available")
    path = f"/v1/conversations/{conversation_id}/transfer"
    body = {"to_agent_id": team["Ben"]["id"], "note": "Rechnungsfrage, bitte übernehmen"}
    moved = await api.call("POST", path, key="Anna", json=body)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["assignee_id"], moved.json()["status"]) == (team["Ben"]["id"], "assigned")
    [transferred] = events_of(api, conversations_pb2.ConversationTransferred, conversation_id)
    assert (transferred.from_agent_id, transferred.to_agent_id, transferred.note) == (
        team["Anna"]["id"],
        team["Ben"]["id"],
        "Rechnungsfrage, bitte übernehmen",
    )
    assigned = events_of(api, conversations_pb2.ConversationAssigned, conversation_id)
    assert assigned[-1].agent_id == team["Ben"]["id"] and "Rechnungsfrage" in assigned[-1].reason
    # Anna no longer holds it: she cannot hand it on again.
    assert (await api.call("POST", path, key="Anna", json=body)).status_code == 404


async def test_a_transfer_is_refused_when_the_target_cannot_take_it(api: Api) -> None:
    team = await agents(api, "Anna", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    team |= await agents(api, "Away", presence="away")
    team |= await agents(api, "Full", presence="available", capacity={"default": 0})
    path = f"/v1/conversations/{conversation_id}/transfer"

    async def to(body: dict[str, Any]) -> int:
        return (await api.call("POST", path, key="Anna", json=body)).status_code

    assert await to({"to_agent_id": team["Away"]["id"]}) == 409
    assert await to({"to_agent_id": team["Full"]["id"]}) == 409
    assert await to({"to_agent_id": team["Anna"]["id"]}) == 409  # holds it already
    assert await to({"to_agent_id": "nobody"}) == 422
    assert await to({"to_agent_id": team["Away"]["id"], "to_queue": "default"}) == 422
    assert await to({}) == 422
    assert await to({"to_queue": "elsewhere"}) == 422
    assert (await api.call("POST", path, key="Away", json={"to_queue": "default"})).status_code == 404
    assert (await shown(api, conversation_id))["assignee_id"] == team["Anna"]["id"]  # nothing moved


async def test_back_to_the_queue_it_goes_to_someone_else_unless_no_one_else_can(api: Api) -> None:
    team = await agents(api, "Anna", presence="available")
    first = await classified(api, "k1", skills=[])
    team |= await agents(api, "Ben", presence="available")
    assert (await shown(api, await classified(api, "k0", skills=[])))["assignee_id"] == team["Ben"]["id"]
    moved = await api.call(
        "POST", f"/v1/conversations/{first}/transfer", key="Anna", json={"to_queue": "default"}
    )
    # Anna is the longer idle now, but she handed it on: Ben gets it.
    assert moved.json()["assignee_id"] == team["Ben"]["id"]

    await api.call("PUT", f"/v1/agents/{team['Anna']['id']}/presence", json={"presence": "away"})
    second = await classified(api, "k2", skills=[])
    assert (await shown(api, second))["assignee_id"] == team["Ben"]["id"]
    back = await api.call(
        "POST", f"/v1/conversations/{second}/transfer", key="Ben", json={"to_queue": "default"}
    )
    assert back.json()["assignee_id"] == team["Ben"]["id"]  # no one else is available: back to Ben


async def test_a_reopened_conversation_goes_back_to_its_last_agent_only_if_available(api: Api) -> None:
    team = await agents(api, "Anna", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    team |= await agents(api, "Ben", presence="available")
    path = f"/v1/conversations/{conversation_id}"
    assert (await api.call("POST", f"{path}/reopen", key="Anna")).status_code == 409  # it is open
    await api.call("POST", f"{path}/resolve", key="Anna")
    assert (await api.call("POST", f"{path}/reopen", key="Ben")).status_code == 404  # not Ben's

    reopened = await api.call("POST", f"{path}/reopen", key="Anna")
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["assignee_id"], reopened.json()["status"]) == (team["Anna"]["id"], "assigned")
    assert reopened.json()["reopened_at"] is not None
    [event] = events_of(api, conversations_pb2.ConversationReopened, conversation_id)
    assert (event.last_agent_id, event.reopened_by) == (team["Anna"]["id"], team["Anna"]["id"])

    await api.call("POST", f"{path}/resolve", key="Anna")
    await api.call("PUT", f"/v1/agents/{team['Anna']['id']}/presence", json={"presence": "away"})
    again = await api.call("POST", f"{path}/reopen")  # a supervisor; Anna is away now
    assert again.json()["assignee_id"] == team["Ben"]["id"]


async def test_a_customer_writing_again_soon_reopens_the_conversation(api: Api) -> None:
    team = await agents(api, "Anna", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    await api.call("POST", f"/v1/conversations/{conversation_id}/resolve", key="Anna")

    assert await classified(api, "k1", skills=[]) == conversation_id  # the same conversation
    reopened = await shown(api, conversation_id)
    assert (reopened["status"], reopened["assignee_id"], reopened["message_count"]) == (
        "assigned",
        team["Anna"]["id"],
        2,
    )
    [event] = events_of(api, conversations_pb2.ConversationReopened, conversation_id)
    assert event.reopened_by == "customer"

    await api.call("POST", f"/v1/conversations/{conversation_id}/resolve", key="Anna")
    async with routing(api).unit_of_work() as uow:  # resolved four days ago: too long for a reopen
        conn = await uow.session.connection()
        await conn.execute(
            update(Conversation)
            .where(col(Conversation.id) == conversation_id)
            .values(resolved_at=now() - timedelta(days=4))
        )
    assert await classified(api, "k1", skills=[]) != conversation_id


async def test_reopening_can_be_turned_off(api: Api) -> None:
    await agents(api, "Anna", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    await api.call("POST", f"/v1/conversations/{conversation_id}/resolve", key="Anna")
    event = classified_event("k1")
    async with routing(api).unit_of_work() as uow:
        fresh = await service.take_message(uow, event, reopen_within=timedelta(0))
    assert fresh.id != conversation_id
