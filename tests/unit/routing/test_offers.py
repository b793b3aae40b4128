"""Offers: accept, reject, time out; auto-accept is the default, so new tenants keep working."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from webcare.v1 import conversations_pb2

from services.kit.events import now, to_datetime
from services.routing import service
from tests.unit.conftest import TENANT, Api
from tests.unit.routing.test_handover import agents, events_of, shown
from tests.unit.routing.test_skill_routing import classified, routing

OFFERING = {
    "steps": [{"name": "anyone", "requirement": {"all": []}, "expires_after_seconds": None}],
    "auto_accept": False,
    "offer_timeout_seconds": 60,
}


async def offering(api: Api) -> None:
    answer = await api.call("PUT", "/v1/routing-policy", json=OFFERING)
    assert answer.status_code == 200, answer.text


async def sweep_offers(api: Api, *, after: timedelta) -> None:
    """The sweep's offer expiry as if `after` had passed, then the routing it does next."""
    async with routing(api).unit_of_work() as uow:
        tenants = await service.expire_offers(uow, at=now() + after)
    for tenant_id in tenants:
        async with routing(api).unit_of_work() as uow:
            await service.assign_waiting(uow, tenant_id=tenant_id)


async def post(api: Api, path: str, who: str) -> Any:
    return await api.call("POST", path, key=who)


async def test_new_tenants_assign_at_once(api: Api) -> None:
    policy = (await api.call("GET", "/v1/routing-policy")).json()
    assert (policy["auto_accept"], policy["offer_timeout_seconds"]) == (True, 60)
    team = await agents(api, "Anna", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    held = await shown(api, conversation_id)  # Anna holds it without a word
    assert (held["status"], held["assignee_id"]) == ("assigned", team["Anna"]["id"])
    assert events_of(api, conversations_pb2.ConversationOffered, conversation_id) == []
    assert (await post(api, f"/v1/conversations/{conversation_id}/accept", "Anna")).status_code == 409


async def test_an_offer_is_accepted_by_its_agent_only(api: Api) -> None:
    await offering(api)
    team = await agents(api, "Anna", "Ben", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    offered = await shown(api, conversation_id)
    holder = "Anna" if offered["assignee_id"] == team["Anna"]["id"] else "Ben"
    other = "Ben" if holder == "Anna" else "Anna"
    assert offered["status"] == "offered" and offered["offer_expires_at"] is not None
    [offer] = events_of(api, conversations_pb2.ConversationOffered, conversation_id)
    assert offer.agent_id == team[holder]["id"]
    assert to_datetime(offer.expires_at) - to_datetime(offer.occurred_at) <= timedelta(seconds=60)
    assert events_of(api, conversations_pb2.ConversationAssigned, conversation_id) == []

    path = f"/v1/conversations/{conversation_id}"
    assert (await post(api, f"{path}/accept", other)).status_code == 404
    accepted = await post(api, f"{path}/accept", holder)
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["offer_expires_at"]) == ("assigned", None)
    [assigned] = events_of(api, conversations_pb2.ConversationAssigned, conversation_id)
    assert (assigned.agent_id, assigned.reason) == (team[holder]["id"], "accepted the offer")
    assert (await post(api, f"{path}/accept", holder)).status_code == 409
    assert (await post(api, f"{path}/reject", holder)).status_code == 409


async def test_a_rejected_offer_goes_to_the_next_agent_and_back_only_when_no_one_else_can(api: Api) -> None:
    await offering(api)
    team = await agents(api, "Anna", "Ben", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    path = f"/v1/conversations/{conversation_id}"
    first = (await shown(api, conversation_id))["assignee_id"]
    name = {agent["id"]: who for who, agent in team.items()}

    rejected = await post(api, f"{path}/reject", name[first])
    assert rejected.status_code == 200, rejected.text
    second = (await shown(api, conversation_id))["assignee_id"]
    assert second != first and second is not None
    await post(api, f"{path}/reject", name[second])
    third = await shown(api, conversation_id)
    assert (third["status"], third["assignee_id"]) == ("offered", first)  # no one else is left
    offers = events_of(api, conversations_pb2.ConversationOffered, conversation_id)
    assert [o.agent_id for o in offers] == [first, second, first]


async def test_an_offer_not_answered_in_time_goes_to_someone_else(api: Api) -> None:
    await offering(api)
    team = await agents(api, "Anna", "Ben", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    first = (await shown(api, conversation_id))["assignee_id"]
    name = {agent["id"]: who for who, agent in team.items()}

    await sweep_offers(api, after=timedelta(seconds=30))  # not yet
    assert (await shown(api, conversation_id))["assignee_id"] == first
    await sweep_offers(api, after=timedelta(seconds=61))
    moved = await shown(api, conversation_id)
    assert moved["status"] == "offered" and moved["assignee_id"] not in (None, first)
    late = await post(api, f"/v1/conversations/{conversation_id}/accept", name[first])
    assert late.status_code == 404  # it is offered to the other one now


async def test_an_offer_holds_the_agents_room_until_answered(api: Api) -> None:
    await offering(api)
    await agents(api, "Anna", presence="available", capacity={"default": 1})
    first = await classified(api, "k1", skills=[])
    second = await classified(api, "k2", skills=[])
    assert (await shown(api, first))["status"] == "offered"
    assert (await shown(api, second))["status"] == "waiting"


async def test_an_agent_gone_quiet_has_their_offers_routed_again(api: Api) -> None:
    await offering(api)
    team = await agents(api, "Anna", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    team |= await agents(api, "Ben", presence="available")
    async with routing(api).unit_of_work() as uow:  # Ben's client beats on; Anna's went quiet
        ben = await service.get_agent(uow, tenant_id=TENANT, agent_id=team["Ben"]["id"])
        ben.last_seen_at = now() + timedelta(minutes=5)
        uow.session.add(ben)
    async with routing(api).unit_of_work() as uow:
        gone = await service.expire_presence(
            uow, quiet_for=timedelta(seconds=90), at=now() + timedelta(minutes=2)
        )
    assert gone == [team["Anna"]["id"]]
    async with routing(api).unit_of_work() as uow:
        await service.assign_waiting(uow, tenant_id=TENANT)
    assert (await shown(api, conversation_id))["assignee_id"] == team["Ben"]["id"]
