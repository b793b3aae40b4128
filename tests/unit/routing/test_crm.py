"""The reference CRM connector: a conversation's author is looked up in the tenant's CRM as it opens;
what it knows enriches the profile and routing (a CRM VIP goes first); answers are remembered; a slow
or down CRM never holds routing up; the token is encrypted and never shown."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from prometheus_client import REGISTRY
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.kit.errors import Unprocessable
from services.kit.events import encode
from services.routing import crm
from services.routing.models import Conversation, CrmConnector, Status
from services.routing.repository import ConversationRepository
from tests.channel_server import serving
from tests.unit.conftest import TENANT, Api, eventually
from tests.unit.routing.test_customers import looked_up
from tests.unit.routing.test_skill_routing import classified_event, routing

TOKEN = "crm-token-0123456789"
VERA = {"id": "crm-1", "name": "Vera Wichtig", "vip": True, "segment": "gold", "language": "en"}


@dataclass
class FakeCrm:
    """The reference contract on 127.0.0.1: known people by (channel, external_id), and the calls."""

    known: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    delay: float = 0.0
    calls: list[dict[str, str]] = field(default_factory=list)

    def app(self) -> Starlette:
        async def customers(request: Request) -> Response:
            self.calls.append(dict(request.query_params))
            if request.headers.get("authorization") != f"Bearer {TOKEN}":
                return JSONResponse({"error": "unauthorised"}, status_code=401)
            if set(request.query_params) != {"channel", "external_id"}:
                return JSONResponse({"error": "bad query"}, status_code=400)
            await asyncio.sleep(self.delay)
            record = self.known.get((request.query_params["channel"], request.query_params["external_id"]))
            return JSONResponse(record) if record is not None else Response(status_code=404)

        return Starlette(routes=[Route("/api/customers", customers)])


@pytest.fixture
async def fake_crm() -> AsyncIterator[tuple[FakeCrm, str]]:
    """A CRM knowing Vera (x: u-vera), and its base URL."""
    server = FakeCrm(known={("x", "u-vera"): VERA})
    async with serving(server.app()) as url:
        yield server, url + "/api"


def lookups(outcome: str) -> float:
    return REGISTRY.get_sample_value("webcare_crm_lookups_total", {"outcome": outcome}) or 0.0


async def connect(api: Api, base_url: str, **fields: Any) -> dict[str, Any]:
    answer = await api.call("PUT", "/v1/crm-connector", json={"base_url": base_url, "token": TOKEN, **fields})
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def publish(api: Api, key: str, author: str) -> None:
    """Classify's announcement of a message by `author` on x, through the bus (so the consumer's batch
    preparation runs)."""
    await api.app.state.bus.publish(
        encode(classified_event(key, customer=author), source="classify", key=key)
    )


async def conversation_of(api: Api, key: str, *, routed: bool = False) -> Conversation:
    """The open conversation of a key, once routing opened it (with `routed`: gave it to an agent,
    assigned or offered)."""
    found: Conversation | None = None

    async def there() -> bool:
        nonlocal found
        async with routing(api).unit_of_work() as uow:
            found = await ConversationRepository(uow.session).open_by_key(TENANT, key)
        return found is not None and (not routed or found.assignee_id is not None)

    await eventually(there)
    assert found is not None
    return found


async def test_a_crm_hit_enriches_the_profile_and_its_vip_goes_first(
    api: Api, fake_crm: tuple[FakeCrm, str]
) -> None:
    server, url = fake_crm
    await connect(api, url)
    await publish(api, "c-plain", "u-plain")
    plain = await conversation_of(api, "c-plain")
    await publish(api, "c-vera", "u-vera")
    vera = await conversation_of(api, "c-vera")
    assert server.calls == [
        {"channel": "x", "external_id": "u-plain"},
        {"channel": "x", "external_id": "u-vera"},
    ]
    assert (vera.vip, plain.vip) == (True, False)
    assert vera.priority > plain.priority
    assert (vera.customer["segment"], vera.customer["language"]) == ("gold", "en")  # what policies test
    profile = await looked_up(api, "x", "u-vera")
    assert profile is not None
    assert (profile["external_id"], profile["name"]) == ("crm-1", "Vera Wichtig")
    assert profile["attributes"] == {"vip": True, "segment": "gold", "language": "en"}
    # One free place: the CRM's VIP gets it, though the other customer wrote first.
    await api.agent(capacity={"default": 1}, presence="available")
    await conversation_of(api, "c-vera", routed=True)
    waiting = await conversation_of(api, "c-plain")
    assert (waiting.status, waiting.assignee_id) == (Status.waiting.value, None)


async def test_a_policy_routes_by_the_segment_the_crm_gave(api: Api, fake_crm: tuple[FakeCrm, str]) -> None:
    _, url = fake_crm
    await connect(api, url)
    assert (await api.call("PUT", "/v1/queues/gold", json={})).status_code in (200, 201)
    rule = {"when": {"customer": "segment", "equals": "gold"}, "queue": "gold"}
    policy = (await api.call("GET", "/v1/routing-policy")).json()
    policy = {key: value for key, value in policy.items() if key not in ("is_default", "updated_at")}
    answer = await api.call("PUT", "/v1/routing-policy", json={**policy, "queue_rules": [rule]})
    assert answer.status_code == 200, answer.text
    await publish(api, "c-vera", "u-vera")
    await publish(api, "c-plain", "u-plain")
    assert (await conversation_of(api, "c-vera")).queue == "gold"
    assert (await conversation_of(api, "c-plain")).queue == "default"


async def test_the_same_author_again_within_cache_seconds_is_not_asked_again(
    api: Api, fake_crm: tuple[FakeCrm, str]
) -> None:
    server, url = fake_crm
    await connect(api, url, cache_seconds=300)
    cached = lookups("cached")
    await publish(api, "c-1", "u-vera")
    await conversation_of(api, "c-1")
    await publish(api, "c-2", "u-vera")
    second = await conversation_of(api, "c-2")
    assert len(server.calls) == 1
    assert second.vip and second.customer["segment"] == "gold"
    assert lookups("cached") == cached + 1


async def test_an_unknown_author_changes_nothing_and_is_remembered(
    api: Api, fake_crm: tuple[FakeCrm, str]
) -> None:
    server, url = fake_crm
    await connect(api, url)
    misses = lookups("miss")
    await publish(api, "c-1", "u-nobody")
    first = await conversation_of(api, "c-1")
    await publish(api, "c-2", "u-nobody")
    await conversation_of(api, "c-2")
    assert len(server.calls) == 1
    assert lookups("miss") == misses + 1
    assert not first.vip and "segment" not in first.customer
    profile = await looked_up(api, "x", "u-nobody")
    assert profile is not None
    assert (profile["external_id"], profile["attributes"]) == (None, {})


async def test_a_slow_crm_does_not_hold_routing_up(api: Api, fake_crm: tuple[FakeCrm, str]) -> None:
    server, url = fake_crm
    server.delay = 2.0
    await connect(api, url, timeout_ms=200)
    await api.agent(presence="available")
    timeouts = lookups("timeout")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await publish(api, "c-1", "u-vera")
    routed = await conversation_of(api, "c-1", routed=True)
    assert loop.time() - started < 1.5  # the CRM took 2 s; routing did not wait for it
    assert not routed.vip
    assert lookups("timeout") == timeouts + 1


async def test_a_crm_that_is_down_counts_as_an_error_and_routing_goes_on(api: Api) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    await connect(api, f"http://127.0.0.1:{port}")
    await api.agent(presence="available")
    errors = lookups("error")
    await publish(api, "c-1", "u-vera")
    await conversation_of(api, "c-1", routed=True)
    assert lookups("error") == errors + 1


async def test_the_token_is_encrypted_and_never_returned(api: Api, fake_crm: tuple[FakeCrm, str]) -> None:
    _, url = fake_crm
    put = await connect(api, url + "/", timeout_ms=250)
    assert put["base_url"] == url and put["timeout_ms"] == 250 and put["cache_seconds"] == 300
    got = await api.call("GET", "/v1/crm-connector")
    assert got.status_code == 200
    assert "token" not in got.json() and TOKEN not in got.text and "token" not in put
    async with routing(api).unit_of_work() as uow:
        row = await uow.session.get(CrmConnector, TENANT)
    assert row is not None and TOKEN not in row.token
    assert crm.box_of(routing(api)).open(row.token) == {"token": TOKEN}
    assert (await api.call("DELETE", "/v1/crm-connector")).status_code == 204
    assert (await api.call("GET", "/v1/crm-connector")).status_code == 404


async def test_connector_settings_are_checked(api: Api) -> None:
    too_slow = {"base_url": "https://crm.example.com", "token": TOKEN, "timeout_ms": 5000}
    assert (await api.call("PUT", "/v1/crm-connector", json=too_slow)).status_code == 422
    with pytest.raises(Unprocessable) as refused:
        await crm.check_base_url("http://crm.example.com", allow_private_networks=False)
    assert refused.value.status == 422
    with pytest.raises(Unprocessable):
        await crm.check_base_url("https://127.0.0.1/api", allow_private_networks=False)
