"""The X sender against a local stand-in for X API v2 that checks each request as X documents it:
posts answer the customer's post, a thread chains each part to the one before and gives the first
post's id, DMs go to the customer; rate limits and outages are for now, bad tokens and duplicate
posts for good, and a thread broken after its first part is never posted twice."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from services.reply.adapters import DeliveryError, Outgoing
from services.reply.channels.base import TIMEOUT_SECONDS, DeliveryAccount
from services.reply.channels.x import XSender
from tests.channel_server import serving

TOKEN = "x-user-context-token"
CUSTOMER_POST = "1790000000000000001"
CUSTOMER = "2244994945"
DM_PATH = re.compile(r"^/2/dm_conversations/with/([0-9]+)/messages$")


def problem(status: int, title: str, detail: str) -> JSONResponse:
    """An error as X API v2 answers it (RFC 7807 problem)."""
    return JSONResponse(
        {"title": title, "detail": detail, "type": "about:blank", "status": status}, status_code=status
    )


@dataclass
class FakeX:
    """What X received, and scripted answers for the next requests (None: a normal success)."""

    received: list[tuple[str, Any]] = field(default_factory=list)
    answers: list[Response | None] = field(default_factory=list)
    posts: int = 0

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE"])
        async def endpoint(request: Request) -> Response:
            return await self.answer(request)

        return app

    async def answer(self, request: Request) -> Response:
        path = request.url.path
        if request.method != "POST" or not (path == "/2/tweets" or DM_PATH.match(path)):
            return problem(404, "Not Found Error", f"no endpoint {request.method} {path}")
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return problem(401, "Unauthorized", "Unauthorized")
        if request.headers.get("content-type") != "application/json":
            return problem(415, "Unsupported Media Type", "send JSON")
        body = await request.json()
        if not valid(path, body):
            return problem(
                400, "Invalid Request", f"One or more parameters to your request was invalid: {body}"
            )
        self.received.append((path, body))
        scripted = self.answers.pop(0) if self.answers else None
        if scripted is not None:
            return scripted
        if path == "/2/tweets":
            self.posts += 1
            return JSONResponse(
                {"data": {"id": f"18000000000000000{self.posts:02}", "text": body["text"]}}, 201
            )
        return JSONResponse({"data": {"dm_conversation_id": f"123-{CUSTOMER}", "dm_event_id": "dm-777"}}, 201)


def valid(path: str, body: Any) -> bool:
    """The body X documents: {"text"} and, for a reply, {"reply": {"in_reply_to_tweet_id"}}."""
    if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"]:
        return False
    if path != "/2/tweets":
        return set(body) == {"text"}
    reply = body.get("reply", {"in_reply_to_tweet_id": "0"})
    return set(body) <= {"text", "reply"} and set(reply) == {"in_reply_to_tweet_id"}


@pytest.fixture
async def x() -> AsyncIterator[tuple[FakeX, XSender, DeliveryAccount]]:
    """A stand-in for X, the sender, and an account that sends to the stand-in."""
    fake = FakeX()
    async with serving(fake.app()) as base, httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
        yield fake, XSender(client), account(base)


def account(base: str, token: str = TOKEN) -> DeliveryAccount:
    return DeliveryAccount(
        channel_account_id="acct-x",
        tenant_id="acme",
        channel="x",
        base_url=base,
        credentials={"access_token": token},
    )


def outgoing(**changes: Any) -> Outgoing:
    message = Outgoing(
        reply_id="reply-1",
        tenant_id="acme",
        channel="x",
        channel_account_id="acct-x",
        recipient=CUSTOMER,
        in_reply_to=CUSTOMER_POST,
        public=True,
        text="Hallo Karla, wir kümmern uns! 🙂",
        idempotency_key="key-1",
    )
    return replace(message, **changes)


async def test_a_public_reply_is_a_post_answering_the_customer(
    x: tuple[FakeX, XSender, DeliveryAccount],
) -> None:
    fake, sender, acct = x
    assert await sender.send(outgoing(), acct) == "1800000000000000001"
    assert fake.received == [
        (
            "/2/tweets",
            {"text": "Hallo Karla, wir kümmern uns! 🙂", "reply": {"in_reply_to_tweet_id": CUSTOMER_POST}},
        )
    ]


async def test_a_thread_chains_each_part_to_the_one_before_and_gives_the_first_id(
    x: tuple[FakeX, XSender, DeliveryAccount],
) -> None:
    fake, sender, acct = x
    parts = ("Teil eins 1/3", "Teil zwei 2/3", "Teil drei 3/3")
    assert await sender.send(outgoing(parts=parts), acct) == "1800000000000000001"
    assert [body for _, body in fake.received] == [
        {"text": parts[0], "reply": {"in_reply_to_tweet_id": CUSTOMER_POST}},
        {"text": parts[1], "reply": {"in_reply_to_tweet_id": "1800000000000000001"}},
        {"text": parts[2], "reply": {"in_reply_to_tweet_id": "1800000000000000002"}},
    ]


async def test_a_private_reply_is_a_direct_message_to_the_customer(
    x: tuple[FakeX, XSender, DeliveryAccount],
) -> None:
    fake, sender, acct = x
    assert await sender.send(outgoing(public=False, in_reply_to="dm-customer"), acct) == "dm-777"
    assert fake.received == [
        (f"/2/dm_conversations/with/{CUSTOMER}/messages", {"text": "Hallo Karla, wir kümmern uns! 🙂"})
    ]


async def test_a_rate_limit_is_for_now_and_waits_until_x_resets_it(
    x: tuple[FakeX, XSender, DeliveryAccount],
) -> None:
    fake, sender, acct = x
    limited = problem(429, "Too Many Requests", "Too Many Requests")
    limited.headers["x-rate-limit-reset"] = str(int(time.time()) + 120)
    fake.answers = [limited]
    with pytest.raises(DeliveryError) as refused:
        await sender.send(outgoing(), acct)
    assert not refused.value.permanent
    assert refused.value.retry_after is not None
    assert 110 <= refused.value.retry_after <= 121


async def test_an_outage_is_for_now(x: tuple[FakeX, XSender, DeliveryAccount]) -> None:
    fake, sender, acct = x
    fake.answers = [problem(503, "Service Unavailable", "Service Unavailable")]
    with pytest.raises(DeliveryError) as refused:
        await sender.send(outgoing(), acct)
    assert not refused.value.permanent
    assert "503" in str(refused.value)


async def test_a_refused_token_is_for_good_and_asks_for_a_new_one(
    x: tuple[FakeX, XSender, DeliveryAccount],
) -> None:
    fake, sender, acct = x
    with pytest.raises(DeliveryError) as refused:
        await sender.send(outgoing(), replace(acct, credentials={"access_token": "expired"}))
    assert refused.value.permanent
    assert "401" in str(refused.value)
    assert "renew the access token" in str(refused.value)
    assert fake.received == []


async def test_a_duplicate_post_is_for_good_and_says_so(x: tuple[FakeX, XSender, DeliveryAccount]) -> None:
    fake, sender, acct = x
    fake.answers = [
        problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
    ]
    with pytest.raises(DeliveryError) as refused:
        await sender.send(outgoing(), acct)
    assert refused.value.permanent
    assert "duplicate" in str(refused.value)
    assert "access token" not in str(refused.value)


async def test_errors_in_the_v1_shape_are_quoted(x: tuple[FakeX, XSender, DeliveryAccount]) -> None:
    fake, sender, acct = x
    fake.answers = [JSONResponse({"errors": [{"message": "Tweet needs to be a bit shorter."}]}, 400)]
    with pytest.raises(DeliveryError) as refused:
        await sender.send(outgoing(), acct)
    assert refused.value.permanent
    assert "Tweet needs to be a bit shorter." in str(refused.value)


async def test_a_thread_broken_after_its_first_part_is_not_tried_again(
    x: tuple[FakeX, XSender, DeliveryAccount],
) -> None:
    fake, sender, acct = x
    fake.answers = [None, problem(503, "Service Unavailable", "Service Unavailable")]
    parts = ("Teil eins 1/3", "Teil zwei 2/3", "Teil drei 3/3")
    with pytest.raises(DeliveryError) as refused:
        await sender.send(outgoing(parts=parts), acct)
    assert refused.value.permanent
    assert "posted 1 of 3 parts" in str(refused.value)
    assert "1800000000000000001" in str(refused.value)
    assert len(fake.received) == 2


async def test_an_unreachable_x_is_for_now() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
        with pytest.raises(DeliveryError) as refused:
            await XSender(client).send(outgoing(), account(f"http://127.0.0.1:{port}"))
    assert not refused.value.permanent
