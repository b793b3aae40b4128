"""The thin path through all five services, embedded: message, conversation, assignment, reply, report."""

from __future__ import annotations

from typing import Any

import pytest

from services.kit.auth import Role
from tests.unit.conftest import Api, eventually


async def summary(api: Api) -> dict[str, Any]:
    response = await api.call("GET", "/v1/reports/summary")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_message_waits_until_an_agent_comes_online_then_is_assigned(api: Api) -> None:
    await api.message("m1", "Mein Internet ist seit gestern weg. Wann geht es wieder?")

    async def waiting() -> bool:
        return len(await api.conversations(status="waiting")) == 1

    await eventually(waiting)
    anna = await api.agent()
    response = await api.call("PUT", f"/v1/agents/{anna['id']}/presence", json={"presence": "available"})
    assert response.status_code == 200

    items = await api.conversations(status="assigned")
    assert [c["assignee_id"] for c in items] == [anna["id"]]
    assert items[0]["language"] == "de"


async def test_full_path_reaches_the_summary_report(api: Api) -> None:
    anna = await api.agent(presence="available")
    await api.message("m1", "Mein Internet ist seit gestern weg!")
    await api.message("m2", "My invoice is wrong, why?")

    async def both_assigned() -> bool:
        return len(await api.conversations(status="assigned")) == 2

    await eventually(both_assigned)
    conversations = await api.conversations()
    for conversation in conversations:
        response = await api.call(
            "POST", f"/v1/conversations/{conversation['id']}/replies", json={"text": "Wir kümmern uns!"}
        )
        assert response.status_code == 201, response.text
        assert response.json()["status"] == "sent"
        assert response.json()["agent_id"] == anna["id"]
    resolved = await api.call("POST", f"/v1/conversations/{conversations[0]['id']}/resolve")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"

    async def reported() -> bool:
        report = await summary(api)
        return bool(report["conversations_answered"] == 2 and report["conversations_resolved"] == 1)

    await eventually(reported)
    report = await summary(api)
    assert report["messages_received"] == 2
    assert report["conversations_opened"] == 2
    assert report["response_rate"] == 1.0
    assert report["first_response_seconds"]["median"] >= 0
    assert report["first_response_seconds"]["p90"] >= report["first_response_seconds"]["median"]


async def test_a_second_message_with_the_same_key_joins_the_open_conversation(api: Api) -> None:
    await api.message("m1", conversation_key="dm:42")
    await api.message("m2", conversation_key="dm:42")

    async def joined() -> bool:
        items = await api.conversations()
        return len(items) == 1 and items[0]["message_count"] == 2

    await eventually(joined)


async def test_repeated_channel_message_is_accepted_once(api: Api) -> None:
    first = await api.message("same")
    second = await api.message("same")
    assert first == second

    async def counted_and_routed() -> bool:
        counted = (await summary(api))["messages_received"] == 1
        return bool(counted and len(await api.conversations()) == 1)

    await eventually(counted_and_routed)
    assert (await summary(api))["messages_received"] == 1
    assert len(await api.conversations()) == 1


async def test_resolving_frees_capacity_for_the_next_waiting_conversation(api: Api) -> None:
    anna = await api.agent(capacity={"default": 1}, presence="available")
    await api.message("m1")
    await api.message("m2")

    async def one_each() -> bool:
        return len(await api.conversations(status="assigned")) == 1 and (
            len(await api.conversations(status="waiting")) == 1
        )

    await eventually(one_each)
    first = (await api.conversations(status="assigned"))[0]
    await api.call("POST", f"/v1/conversations/{first['id']}/resolve")
    waiting_before = await api.conversations(status="assigned")
    assert [c["assignee_id"] for c in waiting_before] == [anna["id"]]
    assert waiting_before[0]["id"] != first["id"]


async def test_agent_sees_only_their_own_conversations(api: Api) -> None:
    anna = await api.agent("Anna", presence="available")
    api.add_key("anna-key-0123456789", tenant="acme", role=Role.agent, agent_id=anna["id"])
    ben = await api.agent("Ben")
    api.add_key("ben-key-0123456789", tenant="acme", role=Role.agent, agent_id=ben["id"])
    await api.message("m1")

    async def assigned() -> bool:
        return len(await api.conversations(status="assigned")) == 1

    await eventually(assigned)
    mine = await api.call("GET", "/v1/conversations", key="anna-key-0123456789", params={"assignee": "me"})
    assert len(mine.json()["items"]) == 1
    theirs = await api.call("GET", "/v1/conversations", key="ben-key-0123456789", params={"assignee": "me"})
    assert theirs.json()["items"] == []
    conversation_id = mine.json()["items"][0]["id"]
    reply = await api.call(
        "POST", f"/v1/conversations/{conversation_id}/replies", key="ben-key-0123456789", json={"text": "Hi"}
    )
    assert reply.status_code == 404


async def test_lists_are_paged_with_a_cursor(api: Api) -> None:
    for n in range(3):
        await api.message(f"m{n}")

    async def three() -> bool:
        return len(await api.conversations()) == 3

    await eventually(three)
    first = (await api.call("GET", "/v1/conversations", params={"limit": 2})).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = (
        await api.call("GET", "/v1/conversations", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert {c["id"] for c in first["items"]}.isdisjoint(c["id"] for c in rest["items"])


async def test_sweep_routes_what_no_event_woke_up(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import update

    from services.routing import spec as routing_spec
    from services.routing.models import Agent

    monkeypatch.setattr(routing_spec, "SWEEP_SECONDS", 0.05)
    anna = await api.agent(capacity={"default": 0}, presence="available")
    await api.message("m1")

    async def waiting() -> bool:
        return len(await api.conversations(status="waiting")) == 1

    await eventually(waiting)
    routing = api.app.state.runtimes["routing"]
    async with routing.db.sessions() as session:  # capacity raised behind routing's back
        await session.execute(update(Agent).where(Agent.id == anna["id"]).values(capacity={"default": 1}))
        await session.commit()

    async def assigned() -> bool:
        return len(await api.conversations(status="assigned")) == 1

    await eventually(assigned)


async def test_agents_are_listed_page_by_page(api: Api) -> None:
    names = ["Anna", "Ben", "Clara"]
    for name in names:
        await api.agent(name)
    first = (await api.call("GET", "/v1/agents", params={"limit": 2})).json()
    assert [a["name"] for a in first["items"]] == names[:2]
    assert first["next_cursor"] == first["items"][-1]["id"]
    rest = (await api.call("GET", "/v1/agents", params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [a["name"] for a in rest["items"]] == names[2:]
    assert rest["next_cursor"] is None


async def test_replies_follow_a_conversation_handed_on_and_reopened(api: Api) -> None:
    anna = await api.agent("Anna", presence="available")
    ben = await api.agent("Ben", presence="away")
    keys = {"anna": "anna-key-0123456789", "ben": "ben-key-0123456789"}
    api.add_key(keys["anna"], tenant="acme", role=Role.agent, agent_id=anna["id"])
    api.add_key(keys["ben"], tenant="acme", role=Role.agent, agent_id=ben["id"])
    await api.message("m1", "Meine Rechnung ist falsch")

    async def assigned() -> bool:
        return len(await api.conversations(status="assigned")) == 1

    await eventually(assigned)
    [conversation] = await api.conversations()
    path = f"/v1/conversations/{conversation['id']}"

    async def reply(who: str) -> int:
        answer = await api.call("POST", f"{path}/replies", key=keys[who], json={"text": "Hallo"})
        return answer.status_code

    # Anna leaves and hands it back to the queue; no one else is there, so it waits.
    await api.call("PUT", f"/v1/agents/{anna['id']}/presence", json={"presence": "away"})
    moved = await api.call("POST", f"{path}/transfer", key=keys["anna"], json={"to_queue": "default"})
    assert (moved.status_code, moved.json()["status"]) == (200, "waiting")

    async def anna_answers_no_more() -> bool:
        return await reply("anna") == 404

    await eventually(anna_answers_no_more)
    await api.call("PUT", f"/v1/agents/{ben['id']}/presence", json={"presence": "available"})

    async def ben_answers() -> bool:
        return await reply("ben") == 201

    await eventually(ben_answers)
    await api.call("POST", f"{path}/resolve", key=keys["ben"])

    async def closed() -> bool:
        return await reply("ben") == 409

    await eventually(closed)
    reopened = await api.call("POST", f"{path}/reopen", key=keys["ben"])
    assert reopened.json()["assignee_id"] == ben["id"]
    await eventually(ben_answers)
