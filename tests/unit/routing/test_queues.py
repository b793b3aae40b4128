"""Named queues with members, agent-choice strategies and a fairness cap; VIP customers first;
escalation queues; conversations taken back when their agent sends no reply in time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from webcare.v1 import conversations_pb2, replies_pb2

from services.kit.events import new_event, now
from services.kit.ids import new_id
from services.routing import handover, service, spec
from services.routing.models import Agent, Conversation, RoutingDecision
from tests.unit.conftest import TENANT, Api
from tests.unit.routing.test_handover import agents, events_of, shown
from tests.unit.routing.test_skill_routing import classified_event, routing

ANYONE: dict[str, Any] = {"name": "anyone", "requirement": {"all": []}, "expires_after_seconds": None}


async def put(api: Api, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = await api.call("PUT", path, json=body)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def policy(api: Api, **fields: Any) -> dict[str, Any]:
    return await put(api, "/v1/routing-policy", {"steps": [ANYONE], **fields})


async def message(api: Api, key: str, **facts: Any) -> str:
    """Hand routing a classified message with these facts; the conversation's id."""
    async with routing(api).unit_of_work() as uow:
        conversation = await service.take_message(uow, classified_event(key, **facts))
    return conversation.id


async def decisions(api: Api, conversation_id: str) -> list[dict[str, Any]]:
    answer = await api.call("GET", f"/v1/conversations/{conversation_id}/routing")
    assert answer.status_code == 200, answer.text
    result: list[dict[str, Any]] = answer.json()["decisions"]
    return result


async def holder(api: Api, team: dict[str, dict[str, Any]], conversation_id: str) -> str | None:
    """The name of the agent who holds the conversation, or None while it waits."""
    assignee = (await shown(api, conversation_id))["assignee_id"]
    return next((name for name, agent in team.items() if agent["id"] == assignee), None)


async def test_queue_rules_send_conversations_to_a_queue_only_its_members_serve(api: Api) -> None:
    team = await agents(api, "Anna", "Ben", presence="available")
    billing = await put(api, "/v1/queues/billing", {"members": [team["Ben"]["id"]]})
    assert (billing["name"], billing["configured"], billing["strategy"]) == ("billing", True, "longest_idle")
    rule = {"when": {"any": [{"category": "complaint"}, {"min_urgency": 4}]}, "queue": "billing"}
    await policy(api, queue_rules=[rule])
    complaint = await message(api, "k1", category="complaint")
    question = await message(api, "k2", category="question")
    # Anna was idle longer, but only Ben serves billing; the question stays in the default queue.
    assert (await holder(api, team, complaint), (await shown(api, complaint))["queue"]) == ("Ben", "billing")
    assert (await shown(api, question))["queue"] == "default"
    [decision] = await decisions(api, complaint)
    assert decision["queue"] == "billing" and "in queue billing" in decision["reason"]
    anna = next(c for c in decision["candidates"] if c["agent_id"] == team["Anna"]["id"])
    assert anna["reasons"] == ["queue"]


async def test_a_queue_waits_for_its_members_and_its_view_lists_only_its_own(api: Api) -> None:
    team = await agents(api, "Anna", presence="available")
    team |= await agents(api, "Ben", presence="away")
    await put(api, "/v1/queues/billing", {"members": [team["Ben"]["id"]]})
    await policy(api, queue_rules=[{"when": {"category": "complaint"}, "queue": "billing"}])
    complaint = await message(api, "k1", category="complaint")
    assert await holder(api, team, complaint) is None  # Anna is free, but not a member
    listed = (await api.call("GET", "/v1/queues")).json()
    assert [(q["name"], q["configured"], q["waiting"]) for q in listed] == [
        ("billing", True, 1),
        ("default", False, 0),
    ]
    view = (await api.call("GET", "/v1/queues/billing/conversations")).json()
    assert [entry["id"] for entry in view] == [complaint]
    assert (await api.call("GET", "/v1/queues/default/conversations")).json() == []
    assert (await api.call("GET", "/v1/queues/nowhere/conversations")).status_code == 404
    answer = await api.call("PUT", f"/v1/agents/{team['Ben']['id']}/presence", json={"presence": "available"})
    assert answer.status_code == 200
    assert await holder(api, team, complaint) == "Ben"


async def test_queues_and_policies_refuse_what_does_not_exist_or_is_still_used(api: Api) -> None:
    team = await agents(api, "Anna", presence="away")
    unknown_member = await api.call("PUT", "/v1/queues/billing", json={"members": ["nobody"]})
    assert (unknown_member.status_code, unknown_member.json()["error"]) == (422, "unknown_agent")
    assert (await api.call("PUT", "/v1/queues/Not A Name", json={})).status_code == 422
    unknown_queue = await api.call(
        "PUT", "/v1/routing-policy", json={"steps": [ANYONE], "escalation_queue": "crisis"}
    )
    assert (unknown_queue.status_code, unknown_queue.json()["error"]) == (422, "unknown_queue")
    agent_leaf = {"steps": [ANYONE], "queue_rules": [{"when": {"skill": "billing"}, "queue": "default"}]}
    refused = await api.call("PUT", "/v1/routing-policy", json=agent_leaf)
    assert refused.status_code == 422 and "only test the conversation" in refused.text
    await put(api, "/v1/queues/billing", {"members": [team["Anna"]["id"]]})
    await put(api, "/v1/queues/idle", {})
    await policy(api, queue_rules=[{"when": {"category": "complaint"}, "queue": "billing"}])
    await message(api, "k1", category="question")
    assert (await api.call("DELETE", "/v1/queues/default")).status_code == 409
    assert (await api.call("DELETE", "/v1/queues/billing")).status_code == 409  # the policy names it
    assert (await api.call("DELETE", "/v1/queues/nowhere")).status_code == 404
    assert (await api.call("DELETE", "/v1/queues/idle")).status_code == 204
    assert (await api.call("GET", "/v1/queues/idle")).status_code == 404
    # A queue with conversations in it stays until they are moved.
    await policy(api)
    await message(api, "k2", category="complaint")  # no rule any more: the default queue
    conversation_id = await message(api, "k3", category="question")
    moved = await api.call(
        "POST", f"/v1/conversations/{conversation_id}/transfer", json={"to_queue": "billing"}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["queue"] == "billing"
    assert (await api.call("DELETE", "/v1/queues/billing")).status_code == 409
    nowhere = await api.call(
        "POST", f"/v1/conversations/{conversation_id}/transfer", json={"to_queue": "gone"}
    )
    assert (nowhere.status_code, nowhere.json()["error"]) == (422, "unknown_queue")


async def _hold(api: Api, agent_id: str, count: int) -> None:
    """Give an agent `count` open conversations outside any routing decision."""
    async with routing(api).unit_of_work() as uow:
        for index in range(count):
            conversation = await service.take_message(uow, classified_event(f"held-{agent_id}-{index}"))
            conversation.assignee_id, conversation.status = agent_id, "assigned"
            uow.session.add(conversation)


async def _just_assigned(api: Api, agent_id: str) -> None:
    async with routing(api).unit_of_work() as uow:
        await (await uow.session.connection()).execute(
            update(Agent).where(col(Agent.id) == agent_id).values(last_assigned_at=now())
        )


async def test_least_busy_picks_the_lowest_load_ratio_where_longest_idle_picks_the_idlest(api: Api) -> None:
    team = await agents(api, "Anna", "Ben", presence="away", capacity={"default": 4})
    await _hold(api, team["Anna"]["id"], 2)  # Anna: 2 of 4 open, never assigned by routing
    for agent in team.values():
        await api.call("PUT", f"/v1/agents/{agent['id']}/presence", json={"presence": "available"})
    await put(api, "/v1/queues/default", {"strategy": "least_busy"})
    await _just_assigned(api, team["Ben"]["id"])  # Ben: 0 of 4, but given one a moment ago
    first = await message(api, "k1")
    assert await holder(api, team, first) == "Ben"
    [decision] = await decisions(api, first)
    assert "least busy (load 0%)" in decision["reason"]
    await put(api, "/v1/queues/default", {"strategy": "longest_idle"})
    await _just_assigned(api, team["Ben"]["id"])
    second = await message(api, "k2")
    assert await holder(api, team, second) == "Anna"  # 2 of 4 open, but idle the longest
    assert "longest idle" in (await decisions(api, second))[0]["reason"]


async def test_round_robin_takes_agents_in_turn(api: Api) -> None:
    team = await agents(api, "Anna", "Ben", "Cleo", presence="available", capacity={"default": 10})
    await put(api, "/v1/queues/default", {"strategy": "round_robin"})
    order = [await holder(api, team, await message(api, f"k{index}")) for index in range(7)]
    assert order == ["Anna", "Ben", "Cleo", "Anna", "Ben", "Cleo", "Anna"]
    assert "next in turn" in (await decisions(api, await message(api, "k7")))[0]["reason"]


async def test_the_fairness_cap_holds_back_agents_who_had_their_share(api: Api) -> None:
    team = await agents(api, "Anna", "Ben", presence="available", capacity={"default": 10})
    await put(api, "/v1/queues/default", {"max_assignments_per_agent": 2, "fairness_window_seconds": 3600})
    held = [await holder(api, team, await message(api, f"k{index}")) for index in range(5)]
    assert sorted(held[:4], key=str) == ["Anna", "Anna", "Ben", "Ben"] and held[4] is None
    waiting = await message(api, "k5")
    [decision] = await decisions(api, waiting)
    assert decision["outcome"] == "waiting"
    assert {c["name"]: c["reasons"] for c in decision["candidates"]} == {
        "Anna": ["fairness_cap"],
        "Ben": ["fairness_cap"],
    }
    # Assignments older than the window no longer count.
    async with routing(api).unit_of_work() as uow:
        assert await service.assign_waiting(uow, tenant_id=TENANT) == 0
    async with routing(api).unit_of_work() as uow:
        await (await uow.session.connection()).execute(
            update(RoutingDecision).values(decided_at=now() - timedelta(hours=2))
        )
    async with routing(api).unit_of_work() as uow:
        assert await service.assign_waiting(uow, tenant_id=TENANT) == 2


async def test_a_vip_customer_goes_first_and_a_new_vip_moves_up_at_once(api: Api) -> None:
    await policy(api, vip_priority_boost=2)
    early = await message(api, "k1", urgency=3, customer="u-early")
    vip = await message(api, "k2", urgency=2, customer="u-vip")
    marked = await api.call("POST", "/v1/vip-customers", json={"channel": "x", "customer_id": "u-vip"})
    assert marked.status_code == 201, marked.text
    again = await api.call(
        "POST", "/v1/vip-customers", json={"channel": "x", "customer_id": "u-vip", "note": "Key account"}
    )
    assert (again.status_code, again.json()["id"], again.json()["note"]) == (
        200,
        marked.json()["id"],
        "Key account",
    )
    queue = (await api.call("GET", "/v1/queues/default/conversations")).json()
    assert [(e["id"], e["vip"], e["priority"]) for e in queue] == [(vip, True, 4), (early, False, 3)]
    # VIP from the start (another category: a repeat contact of the same one would raise the urgency)
    later = await message(api, "k3", urgency=2, customer="u-vip", channel="x", category="complaint")
    assert ((await shown(api, later))["vip"], (await shown(api, later))["priority"]) == (True, 4)
    other_channel = await message(api, "k4", urgency=2, customer="u-vip", channel="facebook")
    assert (await shown(api, other_channel))["vip"] is False  # the id is the channel's own
    listed = (await api.call("GET", "/v1/vip-customers")).json()
    assert [item["customer_id"] for item in listed["items"]] == ["u-vip"]
    assert (await api.call("DELETE", f"/v1/vip-customers/{marked.json()['id']}")).status_code == 204
    assert ((await shown(api, vip))["vip"], (await shown(api, vip))["priority"]) == (False, 2)
    assert (await api.call("DELETE", f"/v1/vip-customers/{marked.json()['id']}")).status_code == 404
    bad = await api.call("POST", "/v1/vip-customers", json={"channel": "x", "customer_id": ""})
    assert bad.status_code == 422


async def test_a_policy_step_may_route_vips_to_their_own_agents(api: Api) -> None:
    team = await agents(api, "Anna", "Vera", presence="available")
    await api.call("POST", "/v1/vip-customers", json={"channel": "x", "customer_id": "u-vip"})
    only_vera_for_vips = {
        "any": [{"not": {"vip": True}}, {"skill": "vip_care", "min_proficiency": 1}],
    }
    await api.call("PUT", f"/v1/agents/{team['Vera']['id']}/presence", json={"presence": "away"})
    async with routing(api).unit_of_work() as uow:  # Vera has the skill
        await (await uow.session.connection()).execute(
            update(Agent).where(col(Agent.id) == team["Vera"]["id"]).values(skills={"vip_care": 8})
        )
    await api.call("PUT", f"/v1/agents/{team['Vera']['id']}/presence", json={"presence": "available"})
    await policy(
        api, steps=[{"name": "vip care", "requirement": only_vera_for_vips, "expires_after_seconds": None}]
    )
    vip = await message(api, "k1", customer="u-vip")
    ordinary = await message(api, "k2", customer="u-other")
    assert await holder(api, team, vip) == "Vera"
    assert await holder(api, team, ordinary) == "Anna"


async def test_escalation_moves_a_waiting_conversation_to_the_escalation_queue(api: Api) -> None:
    team = await agents(api, "Sam", presence="away")
    await put(api, "/v1/queues/krise", {"members": [team["Sam"]["id"]]})
    await policy(api, escalation_queue="krise")
    crisis = await message(api, "k1", category="crisis")
    assert (await shown(api, crisis))["queue"] == "krise"
    slow = await message(api, "k2", category="question")
    assert (await shown(api, slow))["queue"] == "default"
    async with routing(api).unit_of_work() as uow:
        escalated = await service.escalate_at_risk(uow, at=now() + timedelta(days=2))
    assert slow in escalated
    assert ((await shown(api, slow))["queue"], (await shown(api, slow))["escalation_reason"]) == (
        "krise",
        "sla_at_risk",
    )


async def reply_sent(api: Api, conversation_id: str) -> None:
    event = new_event(
        replies_pb2.ReplySent,
        tenant_id=TENANT,
        reply_id=new_id(),
        conversation_id=conversation_id,
    )
    async with routing(api).unit_of_work() as uow:
        await service.record_reply(uow, event)


async def take_back(api: Api, *, after: timedelta) -> set[str]:
    """The sweep's take-back as if `after` had passed (reply clocks moved back by it), then the
    routing it does next."""
    async with routing(api).unit_of_work() as uow:
        clocked = select(Conversation).where(col(Conversation.reply_due_at).is_not(None))
        for conversation in (await uow.session.exec(clocked)).all():
            assert conversation.reply_due_at is not None
            conversation.reply_due_at -= after
            uow.session.add(conversation)
    async with routing(api).unit_of_work() as uow:
        tenants = await handover.take_back_unanswered(uow)
    for tenant_id in tenants:
        async with routing(api).unit_of_work() as uow:
            await service.assign_waiting(uow, tenant_id=tenant_id)
    return tenants


async def test_a_conversation_without_a_reply_in_time_is_taken_back_and_goes_to_someone_else(
    api: Api,
) -> None:
    team = await agents(api, "Anna", presence="available")
    await policy(api, reassign_unanswered_after_seconds=600)
    silent = await message(api, "k1")
    answered = await message(api, "k2")
    held = await shown(api, silent)
    assert held["assignee_id"] == team["Anna"]["id"] and held["reply_due_at"] is not None
    await reply_sent(api, answered)
    assert (await shown(api, answered))["reply_due_at"] is None
    team |= await agents(api, "Ben", presence="available")
    assert await take_back(api, after=timedelta(seconds=300)) == set()  # not due yet
    assert await take_back(api, after=timedelta(seconds=301)) == {TENANT}
    assert await holder(api, team, silent) == "Ben"  # not Anna again, while Ben can take it
    assert await holder(api, team, answered) == "Anna"
    [moved] = events_of(api, conversations_pb2.ConversationTransferred, silent)
    assert (moved.from_agent_id, moved.to_queue, moved.transferred_by) == (
        team["Anna"]["id"],
        "default",
        "routing",
    )
    assert "no reply within" in moved.note
    steps = [(d["step"], d["outcome"], d["agent_id"]) for d in await decisions(api, silent)]
    assert steps == [
        ("anyone", "assigned", team["Anna"]["id"]),
        ("taken back", "taken_back", team["Anna"]["id"]),
        ("anyone", "assigned", team["Ben"]["id"]),
    ]


async def test_without_the_setting_nothing_is_taken_back(api: Api) -> None:
    await agents(api, "Anna", presence="available")
    conversation_id = await message(api, "k1")
    assert (await shown(api, conversation_id))["reply_due_at"] is None
    assert await take_back(api, after=timedelta(days=30)) == set()


async def test_the_sweep_reaches_down_the_queue_past_conversations_nobody_can_take(api: Api) -> None:
    await spec._stop_sweep(routing(api))  # the app's own sweep would route the tail at any moment
    team = await agents(api, "Anna", presence="away", languages=["de"])
    async with routing(api).unit_of_work() as uow:  # a long head of French conversations, then one German
        start = now() - timedelta(hours=1)
        for index in range(service.BATCH + 5):
            event = classified_event(f"fr-{index}", language="fr", at=start + timedelta(seconds=index))
            await service.take_message(uow, event)
        german = await service.take_message(uow, classified_event("de-1", language="de"))
    await policy(api, steps=[{"name": "speaks it", "requirement": {"language": "conversation"}}])
    await api.call("PUT", f"/v1/agents/{team['Anna']['id']}/presence", json={"presence": "available"})
    assert await holder(api, team, german.id) is None  # the head of the queue was judged, not the tail
    async with routing(api).unit_of_work() as uow:
        assert await service.assign_waiting(uow, tenant_id=TENANT, depth=None) == 1
    assert await holder(api, team, german.id) == "Anna"


async def test_agents_have_custom_states_and_the_channels_they_serve(api: Api) -> None:
    team = await agents(api, "Anna", presence="available", channels=["email", "whatsapp", "email"])
    assert team["Anna"]["channels"] == ["email", "whatsapp"] and team["Anna"]["state"] is None
    path = f"/v1/agents/{team['Anna']['id']}/presence"
    training = await api.call("PUT", path, key="Anna", json={"presence": "away", "state": "Schulung"})
    assert (training.json()["presence"], training.json()["state"]) == ("away", "Schulung")
    back = await api.call("PUT", path, key="Anna", json={"presence": "available"})
    assert (back.json()["presence"], back.json()["state"]) == ("available", None)
    assert (
        await api.call("PUT", path, key="Anna", json={"presence": "away", "state": ""})
    ).status_code == 422
    post = await message(api, "k1", channel="x")
    mail = await message(api, "k2", channel="email", public=False)
    assert await holder(api, team, post) is None and await holder(api, team, mail) == "Anna"
    [decision] = await decisions(api, post)
    assert decision["excluded"] == {"channel": 1} and decision["considered"] == 1


async def test_raising_an_agents_capacity_serves_the_queue_at_once(api: Api) -> None:
    team = await agents(api, "Anna", presence="available", capacity={"default": 1})
    first, second = await message(api, "k1"), await message(api, "k2")
    assert (await holder(api, team, first), await holder(api, team, second)) == ("Anna", None)
    path = f"/v1/agents/{team['Anna']['id']}"
    bad = await api.call("PATCH", path, json={"capacity": {"default": 500}})
    assert bad.status_code == 422 and "capacity" in bad.text
    raised = await api.call("PATCH", path, json={"capacity": {"default": 2}, "skills": {"billing": 6}})
    assert raised.status_code == 200, raised.text
    assert (raised.json()["capacity"], raised.json()["skills"], raised.json()["languages"]) == (
        {"default": 2},
        {"billing": 6},
        ["de", "en"],
    )
    assert await holder(api, team, second) == "Anna"
    assert (await api.call("PATCH", "/v1/agents/nobody", json={"name": "X"})).status_code == 404


async def test_a_transfer_to_an_agent_is_recorded_with_the_decisions(api: Api) -> None:
    team = await agents(api, "Anna", "Ben", presence="available")
    conversation_id = await message(api, "k1")
    body = {"to_agent_id": team["Ben"]["id"], "note": "Kennt den Fall"}
    moved = await api.call("POST", f"/v1/conversations/{conversation_id}/transfer", key="Anna", json=body)
    assert moved.status_code == 200, moved.text
    last = (await decisions(api, conversation_id))[-1]
    assert (last["step"], last["outcome"], last["agent_id"]) == ("transfer", "assigned", team["Ben"]["id"])
    assert "Kennt den Fall" in last["reason"]
