"""Facebook and Instagram senders against a local Graph API that checks each request as Meta documents
it: comment replies in public, the Send API in private (HUMAN_AGENT outside the 24-hour window), and
Graph errors read for what they mean (throttling for now, an expired token for good)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.reply.adapters import DeliveryError, Outgoing
from services.reply.channels.base import ChannelSender, DeliveryAccount
from services.reply.channels.meta import FacebookSender, InstagramSender
from tests.channel_server import serving

TOKEN = "EAAG-page-token"
PAGE_ID = "104857600"
IG_USER_ID = "17841400000000001"
VERSION = "v21.0"


def meta_error(
    message: str, *, code: int, status: int = 400, headers: dict[str, str] | None = None
) -> Response:
    """An error as the Graph API answers one."""
    body = {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "Axyz"}}
    return JSONResponse(body, status_code=status, headers=headers)


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    authorization: str
    body: Any


def send_api_problem(body: Any, *, untagged_type: str | None) -> str:
    """What is wrong with a Send API body, or "" when it is as documented."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    tagged = "tag" in body
    expected = {"recipient", "message"}
    if tagged:
        expected |= {"messaging_type", "tag"}
    elif untagged_type:
        expected.add("messaging_type")
    if set(body) != expected:
        return f"expected the fields {sorted(expected)}, got {sorted(body)}"
    if tagged and (body["tag"], body["messaging_type"]) != ("HUMAN_AGENT", "MESSAGE_TAG"):
        return "a tagged message needs messaging_type MESSAGE_TAG and tag HUMAN_AGENT"
    if not tagged and untagged_type and body["messaging_type"] != untagged_type:
        return f"messaging_type must be {untagged_type}"
    recipient, message = body["recipient"], body["message"]
    if not (isinstance(recipient, dict) and set(recipient) == {"id"} and recipient["id"]):
        return "recipient must be {id}"
    if not (isinstance(message, dict) and set(message) == {"text"} and message["text"]):
        return "message must be {text}"
    return ""


@dataclass
class FakeGraph:
    """The Graph API of one account: POST /{comment}/{comment_edge} {message}, the replies it keeps
    read back at GET /{comment}/{comment_edge}?fields=id,{text_field},from, and the Send API at
    POST /{account_node}/messages; anything else is refused the way Graph refuses it. `refusals` are
    answered first, one per request."""

    account_node: str
    comment_edge: str
    untagged_type: str | None
    text_field: str = "message"  # Facebook comments hold their text in `message`, Instagram's in `text`
    time_field: str = "created_time"  # and their time in `created_time`, Instagram's in `timestamp`
    received: list[Received] = field(default_factory=list)
    refusals: list[Response] = field(default_factory=list)
    replies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by comment, oldest first
    queries: list[dict[str, str]] = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self.handle, methods=["GET", "POST", "DELETE"])])

    async def handle(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        self.received.append(
            Received(request.method, request.url.path, request.headers.get("authorization", ""), body)
        )
        if self.refusals:
            return self.refusals.pop(0)
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return meta_error("Invalid OAuth access token - Cannot parse access token", code=190)
        if request.method == "GET":
            return self.listing(request)
        if not request.headers.get("content-type", "").startswith("application/json"):
            return meta_error("(#100) The body must be JSON", code=100)
        match request.method, request.url.path.strip("/").split("/"):
            case "POST", [version, node, "messages"] if version == VERSION and node == self.account_node:
                problem = send_api_problem(body, untagged_type=self.untagged_type)
                if problem:
                    return meta_error(f"(#100) {problem}", code=100)
                return JSONResponse({"recipient_id": body["recipient"]["id"], "message_id": "m_reply-1"})
            case "POST", [version, comment, edge] if version == VERSION and edge == self.comment_edge:
                if not (isinstance(body, dict) and set(body) == {"message"} and body["message"]):
                    return meta_error("(#100) The parameter message is required", code=100)
                kept = self.replies.setdefault(comment, [])
                posted = f"{comment}-reply-{len(kept) + 1}"
                at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
                author = {"id": self.account_node}
                kept.append(
                    {"id": posted, self.text_field: body["message"], "from": author, self.time_field: at}
                )
                return JSONResponse({"id": posted})
        return meta_error(f"Unsupported {request.method} request to {request.url.path}", code=100)

    def listing(self, request: Request) -> Response:
        """GET /{comment}/{comment_edge}: the comment's replies with the fields asked for."""
        query = dict(request.query_params)
        self.queries.append(query)
        match request.url.path.strip("/").split("/"):
            case [version, comment, edge] if version == VERSION and edge == self.comment_edge:
                fields = query.get("fields", "").split(",")
                if not {"id", self.text_field, "from", self.time_field} <= set(fields):
                    named = f"id, {self.text_field}, from and {self.time_field}"
                    return meta_error(f"(#100) fields must name {named}", code=100)
                found = self.replies.get(comment, [])
                if query.get("order") == "reverse_chronological":
                    found = found[::-1]
                data = [{name: item[name] for name in fields if name in item} for item in found]
                return JSONResponse({"data": data, "paging": {"cursors": {"before": "b", "after": "a"}}})
        return meta_error(f"Unsupported GET request to {request.url.path}", code=100)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False) as shared:
        yield shared


@pytest.fixture
async def facebook_graph() -> AsyncIterator[tuple[FakeGraph, DeliveryAccount]]:
    """Meta's Graph API for one Page, and the Page's delivery account pointed at it."""
    graph = FakeGraph(account_node=PAGE_ID, comment_edge="comments", untagged_type="RESPONSE")
    async with serving(graph.app()) as url:
        yield graph, account("facebook", f"{url}/{VERSION}", page_id=PAGE_ID)


@pytest.fixture
async def instagram_graph() -> AsyncIterator[tuple[FakeGraph, DeliveryAccount]]:
    """Instagram's Graph API for one professional account, and its delivery account pointed at it."""
    graph = FakeGraph(
        account_node=IG_USER_ID,
        comment_edge="replies",
        untagged_type=None,
        text_field="text",
        time_field="timestamp",
    )
    async with serving(graph.app()) as url:
        yield graph, account("instagram", f"{url}/{VERSION}", ig_user_id=IG_USER_ID)


def account(channel: str, base_url: str, **settings: str) -> DeliveryAccount:
    return DeliveryAccount(
        channel_account_id=f"acct-{channel}",
        tenant_id="tenant-1",
        channel=channel,
        base_url=base_url,
        settings=settings,
        credentials={"access_token": TOKEN},
    )


def reply(**overrides: Any) -> Outgoing:
    fields: dict[str, Any] = {
        "reply_id": "reply-1",
        "tenant_id": "tenant-1",
        "channel": "facebook",
        "channel_account_id": "acct-facebook",
        "recipient": "6543210987",
        "in_reply_to": "",
        "public": False,
        "text": "Hallo Karla, wir kümmern uns!",
        "idempotency_key": "key-1",
    }
    return Outgoing(**(fields | overrides))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_public_facebook_reply_answers_the_comment(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph
    sender: ChannelSender = FacebookSender(client)

    posted = await sender.send(reply(public=True, in_reply_to="111_222"), page)

    assert posted == "111_222-reply-1"
    assert graph.received == [
        Received("POST", f"/{VERSION}/111_222/comments", f"Bearer {TOKEN}", {"message": reply().text})
    ]


async def test_a_private_facebook_reply_is_a_messenger_response(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph

    posted = await FacebookSender(client).send(reply(), page)

    assert posted == "m_reply-1"
    assert graph.received == [
        Received(
            "POST",
            f"/{VERSION}/{PAGE_ID}/messages",
            f"Bearer {TOKEN}",
            {
                "recipient": {"id": "6543210987"},
                "messaging_type": "RESPONSE",
                "message": {"text": reply().text},
            },
        )
    ]


async def test_a_messenger_reply_outside_the_window_carries_the_human_agent_tag(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph

    await FacebookSender(client).send(reply(human_agent_tag=True), page)

    assert graph.received[0].body == {
        "recipient": {"id": "6543210987"},
        "messaging_type": "MESSAGE_TAG",
        "tag": "HUMAN_AGENT",
        "message": {"text": reply().text},
    }


async def test_a_reply_in_parts_is_sent_as_one_message(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph

    await FacebookSender(client).send(reply(parts=("1/2 Hallo", "2/2 Karla")), page)

    assert [r.body["message"] for r in graph.received] == [{"text": reply().text}]


async def test_a_public_instagram_reply_answers_the_comment(
    client: httpx.AsyncClient, instagram_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, ig_account = instagram_graph
    sender: ChannelSender = InstagramSender(client)

    posted = await sender.send(
        reply(channel="instagram", public=True, in_reply_to="17900000000000"), ig_account
    )

    assert posted == "17900000000000-reply-1"
    assert graph.received == [
        Received("POST", f"/{VERSION}/17900000000000/replies", f"Bearer {TOKEN}", {"message": reply().text})
    ]


async def test_a_private_instagram_reply_is_a_direct_message(
    client: httpx.AsyncClient, instagram_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, ig_account = instagram_graph

    posted = await InstagramSender(client).send(reply(channel="instagram"), ig_account)

    assert posted == "m_reply-1"
    assert graph.received == [
        Received(
            "POST",
            f"/{VERSION}/{IG_USER_ID}/messages",
            f"Bearer {TOKEN}",
            {"recipient": {"id": "6543210987"}, "message": {"text": reply().text}},
        )
    ]


async def test_an_instagram_message_outside_the_window_carries_the_human_agent_tag(
    client: httpx.AsyncClient, instagram_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, ig_account = instagram_graph

    await InstagramSender(client).send(reply(channel="instagram", human_agent_tag=True), ig_account)

    assert graph.received[0].body == {
        "recipient": {"id": "6543210987"},
        "messaging_type": "MESSAGE_TAG",
        "tag": "HUMAN_AGENT",
        "message": {"text": reply().text},
    }


async def test_the_fake_graph_refuses_a_request_off_the_documented_shape(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph
    wrong_page = account("facebook", page.base_url, page_id="999")

    with pytest.raises(DeliveryError) as refused:
        await FacebookSender(client).send(reply(), wrong_page)

    assert graph.received[0].path == f"/{VERSION}/999/messages"
    assert refused.value.permanent
    assert "Unsupported POST request" in str(refused.value)


async def test_a_429_is_for_now_with_the_channels_retry_after(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph
    graph.refusals.append(meta_error("Too many calls", code=1, status=429, headers={"Retry-After": "7"}))

    with pytest.raises(DeliveryError) as refused:
        await FacebookSender(client).send(reply(), page)

    assert not refused.value.permanent
    assert refused.value.retry_after == 7.0


async def test_a_server_error_is_for_now(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph
    graph.refusals.append(meta_error("An unexpected error has occurred", code=2, status=500))

    with pytest.raises(DeliveryError) as refused:
        await FacebookSender(client).send(reply(), page)

    assert not refused.value.permanent
    assert "500" in str(refused.value)


@pytest.mark.parametrize(("code", "status"), [(4, 403), (17, 400), (32, 403), (613, 400), (80006, 400)])
async def test_meta_throttling_with_a_4xx_is_for_now(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount], code: int, status: int
) -> None:
    graph, page = facebook_graph
    graph.refusals.append(
        meta_error("(#613) Calls to this api have exceeded the rate limit.", code=code, status=status)
    )

    with pytest.raises(DeliveryError) as refused:
        await FacebookSender(client).send(reply(public=True, in_reply_to="111_222"), page)

    assert not refused.value.permanent
    assert f"code {code}" in str(refused.value)


async def test_an_expired_token_is_for_good_and_asks_for_a_new_one(
    client: httpx.AsyncClient, instagram_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, ig_account = instagram_graph
    graph.refusals.append(meta_error("Error validating access token: Session has expired", code=190))

    with pytest.raises(DeliveryError) as refused:
        await InstagramSender(client).send(reply(channel="instagram"), ig_account)

    assert refused.value.permanent
    assert "renew the access token" in str(refused.value)
    assert "Session has expired" in str(refused.value)


async def test_another_graph_error_is_for_good_with_metas_words(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph
    graph.refusals.append(meta_error("(#551) This person isn't available right now.", code=551))

    with pytest.raises(DeliveryError) as refused:
        await FacebookSender(client).send(reply(), page)

    assert refused.value.permanent
    assert "This person isn't available right now" in str(refused.value)


async def test_a_success_without_an_id_is_for_now(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph
    graph.refusals.append(JSONResponse({"success": True}))

    with pytest.raises(DeliveryError) as refused:
        await FacebookSender(client).send(reply(), page)

    assert not refused.value.permanent


async def test_a_public_reply_without_a_comment_is_for_good(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph

    with pytest.raises(DeliveryError) as refused:
        await FacebookSender(client).send(reply(public=True), page)

    assert refused.value.permanent
    assert graph.received == []


async def test_an_unreachable_graph_is_for_now(client: httpx.AsyncClient) -> None:
    page = account("facebook", f"http://127.0.0.1:{closed_port()}/{VERSION}", page_id=PAGE_ID)

    with pytest.raises(DeliveryError) as refused:
        await FacebookSender(client).send(reply(), page)

    assert not refused.value.permanent
    assert "could not reach facebook" in str(refused.value)


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        (FacebookSender, f"https://graph.facebook.com/{VERSION}/{PAGE_ID}/messages"),
        (InstagramSender, f"https://graph.instagram.com/{VERSION}/{IG_USER_ID}/messages"),
    ],
)
async def test_without_a_base_url_the_documented_graph_address_is_used(
    sender: type[FacebookSender | InstagramSender], expected: str
) -> None:
    urls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200, json={"recipient_id": "6543210987", "message_id": "m_1"})

    node = {"page_id": PAGE_ID} if sender is FacebookSender else {"ig_user_id": IG_USER_ID}
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as offline:
        await sender(offline).send(reply(), account(sender.channel, "", **node))

    assert urls == [expected]


# A public reply tried again -------------------------------------------------------------------------


Graph = tuple[FakeGraph, DeliveryAccount, str]


@pytest.fixture(params=["facebook", "instagram"])
async def either_graph(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[FakeGraph, DeliveryAccount, str]]:
    """Facebook's or Instagram's Graph API, the account pointed at it, and the channel."""
    if request.param == "facebook":
        graph = FakeGraph(account_node=PAGE_ID, comment_edge="comments", untagged_type="RESPONSE")
        settings = {"page_id": PAGE_ID}
    else:
        graph = FakeGraph(
            account_node=IG_USER_ID,
            comment_edge="replies",
            untagged_type=None,
            text_field="text",
            time_field="timestamp",
        )
        settings = {"ig_user_id": IG_USER_ID}
    async with serving(graph.app()) as url:
        yield graph, account(request.param, f"{url}/{VERSION}", **settings), request.param


async def test_a_retried_public_reply_that_a_lost_try_posted_is_found_not_posted_again(
    client: httpx.AsyncClient, either_graph: Graph
) -> None:
    graph, owner, channel = either_graph
    sender: ChannelSender = (FacebookSender if channel == "facebook" else InstagramSender)(client)
    quoted = {graph.text_field: reply().text, "from": {"id": "someone-else"}, "id": "c1-by-someone"}
    graph.replies["c1"] = [quoted]  # a customer quoting the answer word for word is not the answer
    accepted = datetime.now(UTC) - timedelta(seconds=30)
    tried = reply(public=True, in_reply_to="c1", accepted_at=accepted)
    first = await sender.send(tried, owner)  # its answer never arrived

    again = await sender.send(replace(tried, attempt=2), owner)

    assert again == first == "c1-reply-2"
    assert [r.method for r in graph.received] == ["POST", "GET"]  # looked, found it, posted nothing
    assert len(graph.replies["c1"]) == 2
    [query] = graph.queries
    assert query["fields"] == f"id,{graph.text_field},from,{graph.time_field}"
    assert query.get("order") == ("reverse_chronological" if channel == "facebook" else None)


async def test_a_retried_public_reply_no_try_posted_is_posted_and_a_first_try_does_not_look(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph
    sender = FacebookSender(client)

    assert await sender.send(reply(public=True, in_reply_to="c2", attempt=3), page) == "c2-reply-1"
    assert await sender.send(reply(public=True, in_reply_to="c3"), page) == "c3-reply-1"
    assert [(r.method, r.path) for r in graph.received] == [
        ("GET", f"/{VERSION}/c2/comments"),
        ("POST", f"/{VERSION}/c2/comments"),
        ("POST", f"/{VERSION}/c3/comments"),
    ]


async def test_a_retry_that_cannot_look_is_throttled_for_now_or_posts_when_reading_is_refused(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    graph, page = facebook_graph
    sender = FacebookSender(client)
    graph.refusals.append(meta_error("(#32) Page request limit reached", code=32, status=403))

    with pytest.raises(DeliveryError) as throttled:
        await sender.send(reply(public=True, in_reply_to="c4", attempt=2), page)
    assert not throttled.value.permanent and [r.method for r in graph.received] == ["GET"]

    graph.refusals.append(meta_error("(#10) Requires pages_read_engagement permission", code=10, status=403))
    assert await sender.send(reply(public=True, in_reply_to="c4", attempt=2), page) == "c4-reply-1"
    assert [r.method for r in graph.received] == ["GET", "GET", "POST"]


async def test_the_same_words_posted_before_the_reply_was_accepted_are_another_reply(
    client: httpx.AsyncClient, facebook_graph: tuple[FakeGraph, DeliveryAccount]
) -> None:
    """An agent may answer a comment twice in the same words (a template): the older answer is not
    taken for a try of the newer one, which is posted."""
    graph, page = facebook_graph
    older = {"id": "c5-older", "message": reply().text, "from": {"id": PAGE_ID}}
    graph.replies["c5"] = [older | {"created_time": "2026-11-01T09:30:00+0000"}]
    tried = reply(public=True, in_reply_to="c5", attempt=2, accepted_at=datetime.now(UTC))

    assert await FacebookSender(client).send(tried, page) == "c5-reply-2"
    assert [r.method for r in graph.received] == ["GET", "POST"]
