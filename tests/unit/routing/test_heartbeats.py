"""Presence kept alive by heartbeats: an agent whose client went quiet goes offline by itself."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from services.kit.auth import Role
from services.kit.events import now
from services.routing import service, spec
from services.routing.models import Conversation
from tests.unit.conftest import TENANT, Api, eventually
from tests.unit.routing.test_skill_routing import classified, routing

QUIET = timedelta(seconds=90)


async def expire(api: Api, *, after: timedelta) -> list[str]:
    """Run the sweep's expiry as if `after` had passed."""
    async with routing(api).unit_of_work() as uow:
        return await service.expire_presence(uow, quiet_for=QUIET, at=now() + after)


async def test_an_agent_whose_client_stops_heartbeating_goes_offline_and_gets_nothing_new(api: Api) -> None:
    anna = await api.agent("Anna", presence="available")
    assert await expire(api, after=timedelta(seconds=60)) == []  # not quiet long enough yet
    assert await expire(api, after=timedelta(seconds=91)) == [anna["id"]]

    shown = (await api.call("GET", f"/v1/agents/{anna['id']}")).json()
    assert shown["presence"] == "offline"
    conversation_id = await classified(api, "k1", skills=[])
    async with routing(api).unit_of_work() as uow:
        waiting = await uow.session.get(Conversation, conversation_id)
    assert waiting is not None and (waiting.status, waiting.assignee_id) == ("waiting", None)


async def test_heartbeats_keep_the_presence_and_an_expired_one_stays_offline_till_set(api: Api) -> None:
    anna = await api.agent("Anna", presence="available")
    api.add_key("anna-key", tenant=TENANT, role=Role.agent, agent_id=anna["id"])
    beat = await api.call("POST", f"/v1/agents/{anna['id']}/heartbeat", key="anna-key")
    assert beat.status_code == 200, beat.text
    assert beat.json()["presence"] == "available"
    assert beat.json()["last_seen_at"] >= anna["last_seen_at"]

    async with routing(api).unit_of_work() as uow:  # the beat was 80 s ago, creation longer
        agent = await service.get_agent(uow, tenant_id=TENANT, agent_id=anna["id"])
        agent.last_seen_at = now() - timedelta(seconds=80)
        uow.session.add(agent)
    assert await expire(api, after=timedelta(seconds=5)) == []
    assert await expire(api, after=timedelta(seconds=11)) == [anna["id"]]

    beat = await api.call("POST", f"/v1/agents/{anna['id']}/heartbeat", key="anna-key")
    assert beat.json()["presence"] == "offline"  # the client learns it and sets the presence again
    path = f"/v1/agents/{anna['id']}/presence"
    again = await api.call("PUT", path, key="anna-key", json={"presence": "away"})
    assert again.json()["presence"] == "away"


async def test_offline_agents_are_left_alone_and_others_cannot_beat_for_an_agent(api: Api) -> None:
    offline = await api.agent("Olaf")  # offline from the start: nothing to expire
    ben = await api.agent("Ben", presence="away")
    assert await expire(api, after=timedelta(hours=1)) == [ben["id"]]

    api.add_key("ben-key", tenant=TENANT, role=Role.agent, agent_id=ben["id"])
    api.add_key("other-supervisor", tenant="other", role=Role.supervisor)
    path = f"/v1/agents/{offline['id']}/heartbeat"
    assert (await api.call("POST", path, key="ben-key")).status_code == 404
    assert (await api.call("POST", path, key="other-supervisor")).status_code == 404
    assert (await api.call("POST", path)).status_code == 200  # the tenant's admin may
    assert (await api.call("POST", "/v1/agents/nobody/heartbeat")).status_code == 404


async def test_the_sweep_sets_quiet_agents_offline(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    anna = await api.agent("Anna", presence="available")
    async with routing(api).unit_of_work() as uow:
        agent = await service.get_agent(uow, tenant_id=TENANT, agent_id=anna["id"])
        agent.last_seen_at = now() - timedelta(seconds=120)
        uow.session.add(agent)
    monkeypatch.setattr(spec, "SWEEP_SECONDS", 0.02)
    sweep = asyncio.create_task(spec._sweep(routing(api)))  # a second sweep, fast, beside the app's
    try:

        async def offline() -> bool:
            return bool((await api.call("GET", f"/v1/agents/{anna['id']}")).json()["presence"] == "offline")

        await eventually(offline)
    finally:
        sweep.cancel()
        await asyncio.gather(sweep, return_exceptions=True)
