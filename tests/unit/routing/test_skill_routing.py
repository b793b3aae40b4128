"""Skill-based routing: tenant policies with expiring steps, skills on conversations, explained decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text, update
from sqlmodel import select
from webcare.v1 import common_pb2, messages_pb2

from services.kit.auth import Role
from services.kit.events import new_event, now, timestamp
from services.kit.ids import new_id
from services.kit.runtime import Runtime
from services.routing import service
from services.routing.models import Conversation, RoutingDecision
from tests.unit.conftest import TENANT, Api

BILLING_FIRST = {
    "steps": [
        {
            "name": "billing",
            "requirement": {
                "all": [{"skill": "billing", "min_proficiency": 5}, {"language": "conversation"}]
            },
            "expires_after_seconds": 1,
        },
        {"name": "anyone", "requirement": {"all": []}, "expires_after_seconds": None},
    ]
}


def routing(api: Api) -> Runtime:
    runtime: Runtime = api.app.state.runtimes["routing"]
    return runtime


def classified_event(
    key: str,
    *,
    skills: Sequence[str] = (),
    language: str = "de",
    category: str = "question",
    urgency: int = 2,
    channel: str = "x",
    public: bool = True,
    at: datetime | None = None,
    customer: str = "",
) -> messages_pb2.MessageClassified:
    """A classified customer message as classify announces it, with exactly these facts."""
    return new_event(
        messages_pb2.MessageClassified,
        tenant_id=TENANT,
        message_id=new_id(),
        message=messages_pb2.MessageReceived(
            channel=channel,
            conversation_key=key,
            external_id=new_id(),
            occurred_at=timestamp(at or now()),
            is_public=public,
            author=common_pb2.Author(external_id=customer),
        ),
        language=language,
        category=common_pb2.Category(primary=category),
        urgency=urgency,
        skills=list(skills),
    )


async def classified(api: Api, key: str, *, skills: list[str], language: str = "de") -> str:
    """Hand routing a classified message directly, so the skills are exactly these."""
    event = classified_event(key, skills=skills, language=language)
    async with routing(api).unit_of_work() as uow:
        conversation = await service.take_message(uow, event)
    return conversation.id


async def assign(api: Api) -> int:
    async with routing(api).unit_of_work() as uow:
        return await service.assign_waiting(uow, tenant_id=TENANT)


async def conversation(api: Api, conversation_id: str) -> Conversation:
    async with routing(api).db.sessions() as session:
        row = (await session.exec(select(Conversation).where(Conversation.id == conversation_id))).one()
    return row


async def decisions(api: Api, conversation_id: str, *, key: str | None = None) -> list[dict[str, Any]]:
    response = await api.call(
        "GET", f"/v1/conversations/{conversation_id}/routing", **({"key": key} if key else {})
    )
    assert response.status_code == 200, response.text
    assert response.json()["conversation_id"] == conversation_id
    result: list[dict[str, Any]] = response.json()["decisions"]
    return result


async def test_policy_validation_names_the_problem(api: Api) -> None:
    cases = [
        ({"steps": []}, "at least 1"),
        ({"steps": [{"name": "a", "requirement": {"skil": "billing"}}]}, "unknown or mixed keys ['skil']"),
        ({"steps": [{"name": "a", "requirement": {"all": [{"min_urgency": 9}]}}]}, "min_urgency must be"),
        (
            {"steps": [{"name": "a", "requirement": {"all": []}}, {"name": "b", "requirement": {"all": []}}]},
            "needs expires_after_seconds",
        ),
        ({"steps": [{"name": "a", "requirement": {"all": []}, "expires_after_seconds": 5}]}, "never expires"),
        ({"steps": [{"name": "a", "requirement": {}, "extra": 1}]}, "extra"),
    ]
    for body, reason in cases:
        response = await api.call("PUT", "/v1/routing-policy", json=body)
        assert response.status_code == 422, (body, response.text)
        assert reason in response.text, (body, response.text)


async def test_policy_is_stored_per_tenant_and_needs_a_supervisor(api: Api) -> None:
    default = (await api.call("GET", "/v1/routing-policy")).json()
    assert default["is_default"] is True
    assert [s["name"] for s in default["steps"]] == ["language", "anyone"]
    assert (await api.call("PUT", "/v1/routing-policy", json=BILLING_FIRST)).status_code == 200
    stored = (await api.call("GET", "/v1/routing-policy")).json()
    assert stored["is_default"] is False and stored["steps"] == BILLING_FIRST["steps"]
    api.add_key("other-supervisor", tenant="other", role=Role.supervisor)
    other = (await api.call("GET", "/v1/routing-policy", key="other-supervisor")).json()
    assert other["is_default"] is True
    api.add_key("an-agent", tenant=TENANT, role=Role.agent, agent_id="x")
    assert (
        await api.call("PUT", "/v1/routing-policy", key="an-agent", json=BILLING_FIRST)
    ).status_code == 403


async def test_conversation_collects_the_skills_of_its_messages(api: Api) -> None:
    first = await classified(api, "k1", skills=["billing"])
    again = await classified(api, "k1", skills=["contracts", "billing"])
    assert first == again
    assert (await conversation(api, first)).skills == ["billing", "contracts"]


async def test_policy_requiring_billing_picks_the_billing_agent_over_a_more_idle_one(api: Api) -> None:
    await api.call("PUT", "/v1/routing-policy", json=BILLING_FIRST)
    await api.agent("Idle", presence="available")  # created first: the longest idle by the tie-break
    bea = await api.agent("Bea", skills={"billing": 8}, presence="available")
    # Classify found no skills: only the policy's own billing leaf can prefer Bea over the idler.
    conversation_id = await classified(api, "k1", skills=[])
    assert (await conversation(api, conversation_id)).assignee_id == bea["id"]


async def test_unskilled_agents_only_wait_until_the_step_expires(api: Api) -> None:
    await api.call("PUT", "/v1/routing-policy", json=BILLING_FIRST)
    carl = await api.agent("Carl", presence="available")
    conversation_id = await classified(api, "k1", skills=["billing"])
    assert (await conversation(api, conversation_id)).status == "waiting"
    async with routing(api).db.sessions() as session:  # as if it had waited past the 1 s expiry
        await session.exec(
            update(Conversation)
            .where(Conversation.id == conversation_id)  # type: ignore[arg-type]
            .values(waiting_since=now() - timedelta(seconds=2))
        )
        await session.commit()
    assert await assign(api) == 1
    assert (await conversation(api, conversation_id)).assignee_id == carl["id"]
    steps = [(d["step"], d["outcome"]) for d in await decisions(api, conversation_id)]
    assert steps == [("billing", "waiting"), ("anyone", "assigned")]


async def test_default_policy_prefers_the_agent_covering_the_skills(api: Api) -> None:
    await api.agent("Idle", presence="available")
    bea = await api.agent("Bea", skills={"billing": 3}, presence="available")
    conversation_id = await classified(api, "k1", skills=["billing"])
    assert (await conversation(api, conversation_id)).assignee_id == bea["id"]
    (decision,) = await decisions(api, conversation_id)
    assert decision["step"] == "language"
    winner = next(c for c in decision["candidates"] if c["agent_id"] == bea["id"])
    assert "best skill coverage of 2 eligible" in winner["why"]


async def test_explanation_lists_every_agent_with_its_reasons(api: Api) -> None:
    policy = {
        "steps": [
            {
                "name": "experts",
                "requirement": {
                    "all": [
                        {"skills": "required", "min_proficiency": 5},
                        {"language": "conversation"},
                        {"not": {"category": "crisis"}},
                    ]
                },
                "expires_after_seconds": None,
            }
        ]
    }
    assert (await api.call("PUT", "/v1/routing-policy", json=policy)).status_code == 200
    agents = {
        "Carl": await api.agent("Carl", presence="available"),
        "Dora": await api.agent("Dora", skills={"billing": 9}, presence="away"),
        "Emil": await api.agent("Emil", languages=["en"], skills={"billing": 9}, presence="available"),
        "Finn": await api.agent("Finn", skills={"billing": 9}, capacity={"default": 0}, presence="available"),
        "Gina": await api.agent("Gina", skills={"billing": 2}, presence="available"),
        "Bea": await api.agent("Bea", skills={"billing": 8}, presence="available"),
    }
    conversation_id = await classified(api, "k1", skills=["billing"])
    (decision,) = await decisions(api, conversation_id)
    assert decision["outcome"] == "assigned" and decision["agent_id"] == agents["Bea"]["id"]
    by_name = {c["name"]: c for c in decision["candidates"]}
    assert set(by_name) == set(agents)
    assert by_name["Carl"]["reasons"] == ["skill:billing"]
    assert by_name["Dora"]["reasons"] == ["presence"]
    assert by_name["Emil"]["reasons"] == ["language"]
    assert by_name["Finn"]["reasons"] == ["capacity"]
    assert by_name["Gina"]["reasons"] == ["skill:billing"]
    assert by_name["Bea"]["eligible"] is True and by_name["Bea"]["reasons"] == []
    assert by_name["Bea"]["why"].startswith("covers billing(8), de")
    assert "never assigned, longest idle of 1 eligible" in by_name["Bea"]["why"]
    assert all(c["why"] is None for name, c in by_name.items() if name != "Bea")


async def test_a_failed_leaf_is_named_in_the_reasons(api: Api) -> None:
    policy = {
        "steps": [{"name": "crisis", "requirement": {"category": "crisis"}, "expires_after_seconds": None}]
    }
    await api.call("PUT", "/v1/routing-policy", json=policy)
    await api.agent("Carl", presence="available")
    conversation_id = await classified(api, "k1", skills=[])
    (decision,) = await decisions(api, conversation_id)
    assert decision["outcome"] == "waiting" and decision["agent_id"] is None
    assert decision["candidates"][0]["reasons"] == ["requirement: category=crisis"]


async def test_repeated_attempts_record_a_decision_only_when_something_changed(api: Api) -> None:
    conversation_id = await classified(api, "k1", skills=["billing"])
    for _ in range(3):
        assert await assign(api) == 0
    async with routing(api).db.sessions() as session:
        rows = (
            await session.exec(
                select(RoutingDecision).where(RoutingDecision.conversation_id == conversation_id)
            )
        ).all()
    assert [(r.step, r.outcome) for r in rows] == [("language", "waiting")]
    anna = await api.agent("Anna", presence="available")
    outcomes = [(d["outcome"], d["agent_id"]) for d in await decisions(api, conversation_id)]
    assert outcomes == [("waiting", None), ("assigned", anna["id"])]


async def test_explanation_is_for_supervisors_and_the_assignee_of_the_tenant_only(api: Api) -> None:
    anna = await api.agent("Anna", presence="available")
    ben = await api.agent("Ben")
    conversation_id = await classified(api, "k1", skills=[])
    api.add_key("anna-key", tenant=TENANT, role=Role.agent, agent_id=anna["id"])
    api.add_key("ben-key", tenant=TENANT, role=Role.agent, agent_id=ben["id"])
    api.add_key("other-supervisor", tenant="other", role=Role.supervisor)
    assert len(await decisions(api, conversation_id, key="anna-key")) == 1
    path = f"/v1/conversations/{conversation_id}/routing"
    assert (await api.call("GET", path, key="ben-key")).status_code == 404
    assert (await api.call("GET", path, key="other-supervisor")).status_code == 404
    assert (await api.call("GET", "/v1/conversations/nope/routing")).status_code == 404


async def test_a_stored_policy_that_no_longer_validates_falls_back_to_the_default(api: Api) -> None:
    await api.call("PUT", "/v1/routing-policy", json=BILLING_FIRST)
    async with routing(api).db.engine.begin() as conn:  # as if the rules got stricter since
        await conn.execute(text("UPDATE routing_policies SET steps = :steps"), {"steps": '[{"name": 1}]'})
    anna = await api.agent("Anna", presence="available")
    conversation_id = await classified(api, "k1", skills=["billing"])
    await assign(api)
    assert (await conversation(api, conversation_id)).assignee_id == anna["id"]


async def test_one_conversation_is_shown_to_supervisors_and_its_assignee_of_the_tenant(api: Api) -> None:
    anna = await api.agent("Anna", presence="available")
    ben = await api.agent("Ben")
    conversation_id = await classified(api, "k1", skills=[])
    api.add_key("anna-key", tenant=TENANT, role=Role.agent, agent_id=anna["id"])
    api.add_key("ben-key", tenant=TENANT, role=Role.agent, agent_id=ben["id"])
    api.add_key("other-supervisor", tenant="other", role=Role.supervisor)
    path = f"/v1/conversations/{conversation_id}"
    shown = await api.call("GET", path, key="anna-key")
    assert shown.status_code == 200, shown.text
    assert (shown.json()["id"], shown.json()["assignee_id"]) == (conversation_id, anna["id"])
    assert (await api.call("GET", path)).json()["status"] == "assigned"
    assert (await api.call("GET", path, key="ben-key")).status_code == 404
    assert (await api.call("GET", path, key="other-supervisor")).status_code == 404
    assert (await api.call("GET", "/v1/conversations/nope")).status_code == 404


LAST_AGENT_FIRST: dict[str, Any] = {
    "steps": [
        {"name": "last agent", "requirement": {"last_agent": True}, "expires_after_seconds": 120},
        {"name": "anyone", "requirement": {"all": []}, "expires_after_seconds": None},
    ]
}


async def test_a_last_agent_step_prefers_who_served_the_customer_before(api: Api) -> None:
    assert (await api.call("PUT", "/v1/routing-policy", json=LAST_AGENT_FIRST)).status_code == 200
    anna = await api.agent("Anna", presence="available")
    first = await classified(api, "k1", skills=[])
    await api.call("POST", f"/v1/conversations/{first}/resolve")
    ben = await api.agent("Ben", presence="available")  # never assigned: the longest idle

    async def new_conversation(key: str) -> Conversation:
        async with routing(api).unit_of_work() as uow:  # past the reopen window: a new conversation
            return await service.take_message(uow, classified_event(key), reopen_within=timedelta(0))

    again = await new_conversation("k1")
    assert (again.id != first, again.last_agent_id, again.assignee_id) == (True, anna["id"], anna["id"])
    stranger = await new_conversation("k2")  # nobody served them: anyone, here the longest idle
    assert (stranger.last_agent_id, stranger.assignee_id) == (None, ben["id"])

    await api.call("POST", f"/v1/conversations/{again.id}/resolve")
    await api.call("PUT", f"/v1/agents/{anna['id']}/presence", json={"presence": "away"})
    waits = await new_conversation("k1")
    assert (waits.status, waits.last_agent_id) == ("waiting", anna["id"])  # for Anna, a while
    async with routing(api).db.sessions() as session:  # as if it had waited past the 120 s step
        await session.exec(
            update(Conversation)
            .where(Conversation.id == waits.id)  # type: ignore[arg-type]
            .values(waiting_since=now() - timedelta(seconds=121))
        )
        await session.commit()
    assert await assign(api) == 1
    assert (await conversation(api, waits.id)).assignee_id == ben["id"]
    steps = [(d["step"], d["outcome"]) for d in await decisions(api, waits.id)]
    assert steps == [("last agent", "waiting"), ("anyone", "assigned")]
    invalid = {"steps": [{"name": "x", "requirement": {"last_agent": False}, "expires_after_seconds": None}]}
    assert (await api.call("PUT", "/v1/routing-policy", json=invalid)).status_code == 422
