"""The live chat: visitor sessions, the WebSocket both ways, and reconnecting without loss.

The `api` fixture talks ASGI over httpx, which has no WebSockets: the embedded app is served by a
real uvicorn on a free 127.0.0.1 port here, and the widget is played by the `websockets` client.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select
from webcare.v1 import messages_pb2, replies_pb2
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

from services.ingest.channels import chat
from services.ingest.channels.chat_tables import ChatReply
from services.kit.auth import Role
from services.kit.bus.base import DLQ_SUFFIX
from services.kit.events import MESSAGE_RECEIVED, REPLY_EVENTS, encode, new_event
from services.kit.runtime import Runtime
from tests.unit.conftest import Api, eventually

WIDGET = "wgt-telco-de"
SECRET = "widget-session-secret-0123456789"
SHOP = "https://shop.telco.example"


class Chat:
    """The embedded app served for real: its base URLs and helpers to play the widget."""

    def __init__(self, api: Api, port: int) -> None:
        self.api = api
        self.ws = f"ws://127.0.0.1:{port}/v1/chat"

    @property
    def rt(self) -> Runtime:
        rt: Runtime = self.api.app.state.runtimes["ingest"]
        return rt

    async def session(self, widget: str = WIDGET, **body: Any) -> dict[str, Any]:
        response = await self.api.client.post("/v1/chat/sessions", json={"widget_id": widget, **body})
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def connect(
        self, token: str, *, after: int | str | None = None, origin: str | None = None, in_url: bool = True
    ) -> connect:
        params = [f"token={token}"] if in_url else []
        params += [f"after={after}"] if after is not None else []
        protocols = None if in_url else [Subprotocol(chat.SUBPROTOCOL), Subprotocol(f"token.{token}")]
        return connect(
            f"{self.ws}?{'&'.join(params)}", origin=Origin(origin) if origin else None, subprotocols=protocols
        )

    def received(self) -> list[messages_pb2.MessageReceived]:
        events = self.api.published(MESSAGE_RECEIVED)
        return [e for e in events if isinstance(e, messages_pb2.MessageReceived) and e.channel == "chat"]

    async def reply_sent(self, session_id: str, text: str, *, reply_id: str = "", **fields: Any) -> str:
        """Publish a ReplySent as the reply service would; returns its reply id."""
        event = new_event(
            replies_pb2.ReplySent,
            tenant_id="acme",
            reply_id=reply_id or f"r-{time.monotonic_ns()}",
            conversation_id=f"c-{session_id}",
            channel=fields.pop("channel", "chat"),
            recipient=session_id,
            text=text,
            **fields,
        )
        await self.api.app.state.bus.send([encode(event, source="reply", key=event.conversation_id)])
        return event.reply_id

    async def stored(self) -> int:
        async with self.rt.db.sessions() as session:
            return (await session.exec(select(func.count()).select_from(ChatReply))).one()


@pytest.fixture
async def served(api: Api) -> AsyncIterator[Chat]:
    """The app on a real socket, and a chat widget account with a session secret."""
    config = uvicorn.Config(api.app, host="127.0.0.1", port=0, lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await eventually(started)
    port = server.servers[0].sockets[0].getsockname()[1]
    await api.channel_account("chat", WIDGET, name="Telco Web", secrets={"session_secret": SECRET})
    yield Chat(api, port)
    server.should_exit = True
    await task


async def recv(ws: ClientConnection, seconds: float = 5.0) -> dict[str, Any]:
    frame: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), seconds))
    return frame


async def send(ws: ClientConnection, frame: dict[str, Any]) -> dict[str, Any]:
    await ws.send(json.dumps(frame))
    return await recv(ws)


async def closed_with(ws: ClientConnection) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


def message(client_id: str, text: str = "Hallo, mein Router blinkt rot 🚨", **fields: Any) -> dict[str, Any]:
    return {"type": "message", "client_id": client_id, "text": text, **fields}


async def test_a_session_gets_a_token_signed_with_the_widgets_secret(served: Chat) -> None:
    opened = await served.session(visitor={"name": "Karla Kunde", "email": "karla@example.de"})
    claims = chat.read_token(opened["token"])
    assert claims.session_id == opened["session_id"] and claims.widget_id == WIDGET
    assert chat.token_signed_by(opened["token"], SECRET)
    assert not chat.token_signed_by(opened["token"], "another-secret")
    expires = datetime.fromisoformat(opened["expires_at"].replace("Z", "+00:00"))
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(hours=24)
    assert opened["session_id"] != (await served.session())["session_id"]

    unknown = await served.api.client.post("/v1/chat/sessions", json={"widget_id": "nope"})
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_widget"
    await served.api.channel_account("chat", "wgt-no-secret")
    unsigned = await served.api.client.post("/v1/chat/sessions", json={"widget_id": "wgt-no-secret"})
    assert unsigned.status_code == 404
    bad_email = await served.api.client.post(
        "/v1/chat/sessions", json={"widget_id": WIDGET, "visitor": {"email": "not an address"}}
    )
    assert bad_email.status_code == 422


async def test_a_session_resumes_only_with_its_last_token(served: Chat) -> None:
    first = await served.session(visitor={"name": "Karla"})
    alone = await served.api.client.post(
        "/v1/chat/sessions", json={"widget_id": WIDGET, "session_id": first["session_id"]}
    )
    assert alone.status_code == 401, alone.text
    resumed = await served.session(session_id=first["session_id"], token=first["token"])
    assert resumed["session_id"] == first["session_id"]

    expired = chat.sign_token(
        chat.Claims(
            first["session_id"], WIDGET, chat.read_token(first["token"]).account_id, int(time.time()) - 60
        ),
        SECRET,
    )
    assert (await served.session(token=expired))["session_id"] == first["session_id"]
    forged = chat.sign_token(chat.read_token(first["token"]), "not-the-widgets-secret")
    refused = await served.api.client.post("/v1/chat/sessions", json={"widget_id": WIDGET, "token": forged})
    assert refused.status_code == 401
    other = await served.session()
    mixed = await served.api.client.post(
        "/v1/chat/sessions",
        json={"widget_id": WIDGET, "session_id": first["session_id"], "token": other["token"]},
    )
    assert mixed.status_code == 401


async def test_bad_or_expired_tokens_are_closed_with_4401(served: Chat) -> None:
    opened = await served.session()
    claims = chat.read_token(opened["token"])
    expired = chat.sign_token(
        chat.Claims(claims.session_id, WIDGET, claims.account_id, int(time.time()) - 1), SECRET
    )
    forged = chat.sign_token(claims, "not-the-widgets-secret")
    tampered = chat.sign_token(claims, SECRET)[:-2] + "AA"
    for token in ("", "garbage", "a.b", expired, forged, tampered):
        async with served.connect(token) as ws:
            assert await closed_with(ws) == chat.CLOSE_TOKEN, token
    assert served.received() == []


async def test_the_token_may_come_as_a_subprotocol_instead_of_in_the_url(served: Chat) -> None:
    opened = await served.session()
    async with served.connect(opened["token"], in_url=False) as ws:
        assert ws.subprotocol == chat.SUBPROTOCOL
        assert (await send(ws, message("c-1")))["type"] == "ack"
    async with served.connect(opened["token"][:-2] + "AA", in_url=False) as ws:
        assert await closed_with(ws) == chat.CLOSE_TOKEN


async def test_a_token_that_expires_while_connected_closes_the_socket(served: Chat) -> None:
    opened = await served.session()
    claims = chat.read_token(opened["token"])
    soon = chat.sign_token(
        chat.Claims(claims.session_id, WIDGET, claims.account_id, int(time.time()) + 2), SECRET
    )
    async with served.connect(soon) as ws:
        assert await send(ws, {"type": "ping"}) == {"type": "pong"}
        assert await closed_with(ws) == chat.CLOSE_TOKEN


async def test_a_message_is_published_once_with_the_sessions_fields_and_acked_with_its_id(
    served: Chat,
) -> None:
    opened = await served.session(visitor={"name": "Karla Kunde", "email": "karla@example.de"})
    sid = opened["session_id"]
    text = "Mein Internet ist weg 😤 — الإنترنت لا يعمل"
    attachment = {"kind": "image", "url": "https://cdn.shop.example/a.png", "mime_type": "image/png"}
    async with served.connect(opened["token"]) as ws:
        ack = await send(ws, message("c-1", text, attachments=[attachment]))
    assert ack["type"] == "ack" and ack["client_id"] == "c-1" and ack["duplicate"] is False
    [event] = served.received()
    assert event.message_id == ack["message_id"]
    assert event.external_id == f"{sid}:c-1"
    assert event.conversation_key == f"chat:{sid}"
    assert (event.author.external_id, event.author.name, event.author.handle) == (
        sid,
        "Karla Kunde",
        "karla@example.de",
    )
    assert event.text == text and event.is_public is False
    account = chat.read_token(opened["token"]).account_id
    assert event.channel_account_id == account
    assert [(a.kind, a.url) for a in event.attachments] == [("image", attachment["url"])]


async def test_a_resent_client_id_is_one_event_and_acked_as_duplicate(served: Chat) -> None:
    opened = await served.session()
    async with served.connect(opened["token"]) as ws:
        first = await send(ws, message("c-1"))
    # The widget reconnects and resends what it had no ack for.
    async with served.connect(opened["token"]) as ws:
        again = await send(ws, message("c-1"))
        other = await send(ws, message("c-2"))
    assert again["duplicate"] is True and again["message_id"] == first["message_id"]
    assert other["duplicate"] is False
    assert [e.external_id.rsplit(":", 1)[1] for e in served.received()] == ["c-1", "c-2"]


async def test_an_agents_reply_reaches_the_visitors_socket(served: Chat) -> None:
    api = served.api
    anna = await api.agent("Anna", presence="available")
    api.add_key("anna-key-0123456789", tenant="acme", role=Role.agent, agent_id=anna["id"])
    opened = await served.session(visitor={"name": "Karla"})
    async with served.connect(opened["token"]) as ws:
        assert (await send(ws, message("c-1", "Wo bleibt meine Rechnung?")))["type"] == "ack"

        async def assigned() -> bool:
            return len(await api.conversations(status="assigned")) == 1

        await eventually(assigned)
        [conversation] = await api.conversations(status="assigned")
        assert conversation["assignee_id"] == anna["id"]
        answer = "Ihre Rechnung ist unterwegs 📬"
        response = await api.call(
            "POST",
            f"/v1/conversations/{conversation['id']}/replies",
            key="anna-key-0123456789",
            json={"text": answer},
        )
        assert response.status_code == 201, response.text
        frame = await recv(ws)
    assert frame["type"] == "reply" and frame["seq"] == 1 and frame["text"] == answer
    assert frame["reply_id"] == response.json()["id"]
    assert frame["sent_at"].endswith("Z")


async def test_replies_sent_while_away_arrive_after_reconnecting_with_after(served: Chat) -> None:
    opened = await served.session()
    sid = opened["session_id"]
    async with served.connect(opened["token"]) as ws:
        await served.reply_sent(sid, "Erste Antwort")
        first = await recv(ws)
    assert (first["seq"], first["text"]) == (1, "Erste Antwort")
    await served.reply_sent(sid, "Zweite Antwort")
    await served.reply_sent(sid, "Third answer")

    async def stored() -> bool:
        return await served.stored() == 3

    await eventually(stored)
    async with served.connect(opened["token"], after=first["seq"]) as ws:
        missed = [await recv(ws), await recv(ws)]
        assert await send(ws, {"type": "ping"}) == {"type": "pong"}  # nothing else was queued before it
    assert [(f["seq"], f["text"]) for f in missed] == [(2, "Zweite Antwort"), (3, "Third answer")]
    async with served.connect(opened["token"]) as ws:
        assert [(await recv(ws))["seq"] for _ in range(3)] == [1, 2, 3]
    async with served.connect(opened["token"], after=99) as ws:  # a stale widget store
        await served.reply_sent(sid, "Vierte")
        assert (await recv(ws))["seq"] == 4
    async with served.connect(opened["token"], after="-1") as ws:
        assert await closed_with(ws) == chat.CLOSE_POLICY


async def test_a_replayed_reply_sent_is_stored_once(served: Chat) -> None:
    opened = await served.session()
    sid = opened["session_id"]
    # All on the conversation's key, so on one partition and handled in this order.
    event = new_event(
        replies_pb2.ReplySent, tenant_id="acme", reply_id="r-1", conversation_id=f"c-{sid}", channel="chat"
    )
    event.recipient, event.text = sid, "Einmal"
    record = encode(event, source="reply", key=f"c-{sid}")
    bus = served.api.app.state.bus
    await bus.send([record])
    await bus.send([record])  # redelivered as is
    await served.reply_sent(sid, "Einmal", reply_id="r-1")  # published again under a new event id
    await served.reply_sent(sid, "Danach", reply_id="r-2")
    await served.reply_sent(sid, "Not for chat", channel="x")
    await served.reply_sent("no-such-session", "Lost")

    # Behind the replays on their partition: once it is stored, they were handled.
    await served.reply_sent(sid, "Zuletzt", reply_id="r-3")

    async def three() -> bool:
        return await served.stored() == 3

    await eventually(three)
    assert served.api.published(REPLY_EVENTS + DLQ_SUFFIX) == []  # none failed its way to the DLQ
    async with served.connect(opened["token"]) as ws:
        frames = [await recv(ws) for _ in range(3)]
        assert await send(ws, {"type": "ping"}) == {"type": "pong"}
    assert [(f["seq"], f["reply_id"]) for f in frames] == [(1, "r-1"), (2, "r-2"), (3, "r-3")]


async def test_a_reply_another_replica_stored_arrives_by_polling(served: Chat) -> None:
    opened = await served.session()
    async with served.connect(opened["token"]) as ws:
        assert await send(ws, {"type": "ping"}) == {"type": "pong"}
        # Stored as another replica's consumer would: no wake-up reaches this process.
        async with served.rt.unit_of_work() as uow:
            from services.ingest.channels.chat_tables import ChatRepository

            repo = ChatRepository(uow.session)
            seq = await repo.next_seq(tenant_id="acme", session_id=opened["session_id"])
            assert seq == 1
            repo.add_reply(
                ChatReply(
                    reply_id="r-elsewhere",
                    tenant_id="acme",
                    session_id=opened["session_id"],
                    seq=seq,
                    text="Von nebenan",
                    sent_at=datetime.now(UTC),
                )
            )
        frame = await recv(ws, seconds=chat.POLL_SECONDS * 3)
    assert frame["reply_id"] == "r-elsewhere"


async def test_sockets_are_woken_only_after_the_reply_commits(served: Chat) -> None:
    opened = await served.session()
    hub = chat.hub_of(served.rt)
    wake = hub.join(opened["session_id"])
    try:
        event = new_event(
            replies_pb2.ReplySent, tenant_id="acme", reply_id="r-1", conversation_id="c-1", channel="chat"
        )
        event.recipient, event.text = opened["session_id"], "Hallo"
        async with served.rt.unit_of_work() as uow:
            await chat.store_reply(served.rt, uow, event)
            assert not wake.is_set()
        assert wake.is_set()
        wake.clear()
        event.reply_id = "r-2"

        async def rolled_back() -> None:
            async with served.rt.unit_of_work() as uow:
                await chat.store_reply(served.rt, uow, event)
                raise RuntimeError("the transaction rolls back")

        with pytest.raises(RuntimeError):
            await rolled_back()
        assert not wake.is_set()
    finally:
        hub.leave(opened["session_id"], wake)


BAD_FRAMES: list[tuple[str | bytes, str]] = [
    ("not json {", "malformed"),
    ("[1, 2]", "malformed"),
    ('"message"', "malformed"),
    ('{"type": "typing"}', "unknown_type"),
    ("{}", "unknown_type"),
    ('{"type": "message", "client_id": "c-1"}', "invalid_message"),
    ('{"type": "message", "client_id": "c-1", "text": 42}', "invalid_message"),
    ('{"type": "message", "text": "Hallo"}', "invalid_message"),
    (json.dumps(message("x" * 129)), "invalid_message"),
    (json.dumps(message("c-1", "a" * 65_537)), "invalid_message"),
    (
        json.dumps(message("c-1", attachments=[{"kind": "image", "url": "javascript:alert(1)"}])),
        "invalid_message",
    ),
    ("[" * 100_000 + "]" * 100_000, "malformed"),
    ("x" * (chat.MAX_FRAME_CHARS + 1), "too_large"),
    (b"\x00\x01binary", "binary_not_supported"),
]


async def test_bad_frames_get_error_frames_and_the_socket_keeps_working(served: Chat) -> None:
    opened = await served.session()
    async with served.connect(opened["token"]) as ws:
        for raw, code in BAD_FRAMES:
            await ws.send(raw)
            answer = await recv(ws)
            assert (answer["type"], answer["error"]) == ("error", code), (raw[:80], answer)
        answer = await send(ws, message("c-1", "a" * 65_537))
        assert answer["client_id"] == "c-1"
        longest = "🙂" * 30_000 + "ب" * 35_536
        ack = await send(ws, message("c-1", longest))
        assert ack["type"] == "ack"
    [event] = served.received()
    assert event.text == longest


async def test_only_allowed_origins_may_use_a_widget(served: Chat) -> None:
    await served.api.channel_account(
        "chat", "wgt-shop", secrets={"session_secret": SECRET}, settings={"allowed_origins": [SHOP]}
    )
    client = served.api.client
    evil = await client.post(
        "/v1/chat/sessions", json={"widget_id": "wgt-shop"}, headers={"Origin": "https://evil.example"}
    )
    assert evil.status_code == 403 and evil.json()["error"] == "origin_not_allowed"
    missing = await client.post("/v1/chat/sessions", json={"widget_id": "wgt-shop"})
    assert missing.status_code == 403
    good = await client.post(
        "/v1/chat/sessions", json={"widget_id": "wgt-shop"}, headers={"Origin": SHOP + "/"}
    )
    assert good.status_code == 201 and good.headers["access-control-allow-origin"] == SHOP + "/"
    preflight = await client.options("/v1/chat/sessions", headers={"Origin": SHOP})
    assert preflight.status_code == 204 and "POST" in preflight.headers["access-control-allow-methods"]

    token = good.json()["token"]
    for origin in ("https://evil.example", None):
        async with served.connect(token, origin=origin) as ws:
            assert await closed_with(ws) == chat.CLOSE_POLICY
    async with served.connect(token, origin=SHOP) as ws:
        assert await send(ws, {"type": "ping"}) == {"type": "pong"}
    # A widget without allowed_origins may run anywhere.
    async with served.connect((await served.session())["token"], origin="https://anywhere.example") as ws:
        assert await send(ws, {"type": "ping"}) == {"type": "pong"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
frame_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["message", "ping", "reply", "ack", ""]) | scalars},
    optional={
        "client_id": st.text(max_size=140) | scalars | json_values,
        "text": st.text(max_size=200) | scalars | json_values,
        "attachments": st.lists(
            st.dictionaries(st.sampled_from(["kind", "url", "size", "name", "latitude"]), json_values),
            max_size=3,
        )
        | json_values,
    },
)
# Mostly frame-shaped (they reach the deeper checks), but also any text, bytes and JSON at all.
hostile = st.one_of(
    frame_like.map(json.dumps),
    frame_like.map(json.dumps),
    frame_like.map(json.dumps),
    st.text(max_size=300),
    st.binary(max_size=300),
    json_values.map(json.dumps),
)


def hostile_frames() -> list[str | bytes]:
    found: list[str | bytes] = []

    @settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(hostile)
    def collect(frame: str | bytes) -> None:
        found.append(frame)

    collect()
    return found


async def test_random_frames_never_kill_the_socket_or_the_server(served: Chat) -> None:
    opened = await served.session()
    frames = hostile_frames()
    async with served.connect(opened["token"]) as ws:
        for frame in frames:
            await ws.send(frame)
            answer = await recv(ws)
            assert answer["type"] in {"error", "ack", "pong"}, (frame, answer)
            if answer["type"] == "error":
                assert answer["error"] not in {"internal_error"}, (frame, answer)
        assert await send(ws, {"type": "ping"}) == {"type": "pong"}
    async with served.connect(opened["token"]) as ws:
        assert await send(ws, {"type": "ping"}) == {"type": "pong"}
    assert (await served.api.client.get("/healthz")).status_code == 200
