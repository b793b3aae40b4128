"""The senders' transport (aiohttp under httpx) against a real HTTP server on 127.0.0.1: requests
arrive as sent, answers come back as httpx responses, connections are kept, and failures are the
httpx errors the senders catch."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from services.reply.transport import channel_transport

LIMITS = httpx.Limits(max_connections=8, max_keepalive_connections=4)


def message(n: int) -> dict[str, object]:
    return {"messaging_product": "whatsapp", "to": "491701234567", "text": {"body": f"Hallo {n} 👋"}}


class Server:
    def __init__(self) -> None:
        self.seen: list[dict[str, object]] = []
        self.peers: set[object] = set()
        self.url = ""

    async def messages(self, request: web.Request) -> web.Response:
        self.peers.add(request.transport.get_extra_info("peername") if request.transport else None)
        self.seen.append(
            {
                "method": request.method,
                "path": request.path,
                "query": dict(request.query),
                "authorization": request.headers.get("Authorization"),
                "content_type": request.headers.get("Content-Type"),
                "body": await request.json(),
            }
        )
        return web.json_response(
            {"messages": [{"id": "wamid.HBgM"}]}, status=200, headers={"X-Fb-Trace-Id": "t1"}
        )

    async def slow(self, request: web.Request) -> web.Response:
        await asyncio.sleep(1)
        return web.json_response({})

    async def limited(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"error": {"message": "rate limit", "code": 130429}}, status=429, headers={"Retry-After": "7"}
        )


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    state = Server()
    app = web.Application()
    app.router.add_post("/v21.0/{phone}/messages", state.messages)
    app.router.add_post("/slow", state.slow)
    app.router.add_post("/limited", state.limited)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    state.url = f"http://127.0.0.1:{port}"
    yield state
    await runner.cleanup()


async def test_requests_arrive_as_sent_and_answers_come_back_on_kept_connections(server: Server) -> None:
    async with httpx.AsyncClient(transport=channel_transport(LIMITS), timeout=5) as client:
        for n in range(5):
            response = await client.post(
                f"{server.url}/v21.0/106540352242922/messages",
                params={"n": str(n)},
                json={
                    "messaging_product": "whatsapp",
                    "to": "491701234567",
                    "text": {"body": f"Hallo {n} 👋"},
                },
                headers={"Authorization": "Bearer EAAG-token"},
            )
            assert response.status_code == 200
            assert response.json() == {"messages": [{"id": "wamid.HBgM"}]}
            assert response.headers["x-fb-trace-id"] == "t1"
    assert [seen["query"] for seen in server.seen] == [{"n": str(n)} for n in range(5)]
    first = server.seen[0]
    assert (first["method"], first["path"], first["authorization"]) == (
        "POST",
        "/v21.0/106540352242922/messages",
        "Bearer EAAG-token",
    )
    assert first["content_type"] == "application/json"
    assert first["body"] == {
        "messaging_product": "whatsapp",
        "to": "491701234567",
        "text": {"body": "Hallo 0 👋"},
    }
    assert len(server.peers) == 1  # one connection, kept between the requests


async def test_a_refusal_is_a_response_with_its_headers(server: Server) -> None:
    async with httpx.AsyncClient(transport=channel_transport(LIMITS), timeout=5) as client:
        response = await client.post(f"{server.url}/limited", content=json.dumps({}))
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.json()["error"]["code"] == 130429


async def test_an_unreachable_channel_is_an_httpx_error() -> None:
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()  # nothing listens there now
    async with httpx.AsyncClient(transport=channel_transport(LIMITS), timeout=5) as client:
        with pytest.raises(httpx.TransportError):
            await client.post(f"http://127.0.0.1:{port}/v21.0/1/messages", json={})


async def test_a_channel_that_does_not_answer_in_time_is_a_timeout(server: Server) -> None:
    async with httpx.AsyncClient(transport=channel_transport(LIMITS), timeout=0.3) as client:
        with pytest.raises(httpx.TimeoutException):
            await client.post(f"{server.url}/slow", json={})
