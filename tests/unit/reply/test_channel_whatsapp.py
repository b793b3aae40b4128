"""The WhatsApp sender against a local Cloud API that checks each request as Meta documents it: a text
quoting the customer's message, an approved template outside the 24-hour window, and WhatsApp's
errors read for what they mean (throughput limits for now, re-engagement for good)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.reply.adapters import DeliveryError, Outgoing
from services.reply.channels.base import ChannelSender, DeliveryAccount
from services.reply.channels.whatsapp import WhatsAppSender
from tests.channel_server import serving
from tests.unit.reply.test_channel_meta import Received, meta_error

TOKEN = "EAAG-system-user-token"
PHONE_NUMBER_ID = "106540352242922"
CUSTOMER = "4917612345678"
VERSION = "v21.0"
TEXT = "Hallo Karla, wir kümmern uns!"


def content_problem(body: dict[str, Any]) -> str:
    """What is wrong with a text or template message's own part, or ""."""
    match body.get("type"):
        case "text":
            text = body.get("text")
            if not (isinstance(text, dict) and set(text) <= {"preview_url", "body"} and text.get("body")):
                return "text must be {preview_url, body} with a body"
            context = body.get("context", {"message_id": "given"})
            if not (isinstance(context, dict) and set(context) == {"message_id"} and context["message_id"]):
                return "context must be {message_id}"
        case "template":
            template = body.get("template")
            if not (isinstance(template, dict) and template.get("name")):
                return "a template needs its name"
            if set(template) - {"name", "language", "components"}:
                return f"unknown template fields {sorted(set(template))}"
            language = template.get("language")
            if not (isinstance(language, dict) and set(language) == {"code"} and language["code"]):
                return "a template needs language {code}"
        case other:
            return f"unsupported message type {other!r}"
    return ""


def cloud_api_problem(body: Any) -> str:
    """What is wrong with a Cloud API message body, or "" when it is as documented."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    allowed = {"messaging_product", "recipient_type", "to", "type", "context", body.get("type")}
    if set(body) - allowed:
        return f"unexpected fields {sorted(set(body) - allowed)}"
    if body.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if body.get("recipient_type", "individual") != "individual":
        return "recipient_type must be individual"
    if not str(body.get("to", "")).isdigit():
        return "to must be a phone number"
    return content_problem(body)


@dataclass
class FakeCloudApi:
    """The Cloud API of one business phone number: POST /{phone_number_id}/messages; anything else is
    refused the way Graph refuses it. `refusals` are answered first, one per request."""

    received: list[Received] = field(default_factory=list)
    refusals: list[Response] = field(default_factory=list)

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
        if not request.headers.get("content-type", "").startswith("application/json"):
            return meta_error("(#100) The body must be JSON", code=100)
        if (request.method, request.url.path) != ("POST", f"/{VERSION}/{PHONE_NUMBER_ID}/messages"):
            return meta_error(f"Unsupported {request.method} request to {request.url.path}", code=100)
        problem = cloud_api_problem(body)
        if problem:
            return meta_error(f"(#100) Invalid parameter: {problem}", code=100)
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": "wamid.HBgNNDkxNzYxMjM0NTY3OBUCABEYEjA"}],
            }
        )


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False) as shared:
        yield shared


@pytest.fixture
async def cloud_api() -> AsyncIterator[tuple[FakeCloudApi, DeliveryAccount]]:
    """The Cloud API for one phone number, and its delivery account pointed at it."""
    fake = FakeCloudApi()
    async with serving(fake.app()) as url:
        yield fake, account(f"{url}/{VERSION}")


def account(base_url: str) -> DeliveryAccount:
    return DeliveryAccount(
        channel_account_id="acct-whatsapp",
        tenant_id="tenant-1",
        channel="whatsapp",
        base_url=base_url,
        settings={"phone_number_id": PHONE_NUMBER_ID},
        credentials={"access_token": TOKEN},
    )


def reply(**overrides: Any) -> Outgoing:
    fields: dict[str, Any] = {
        "reply_id": "reply-1",
        "tenant_id": "tenant-1",
        "channel": "whatsapp",
        "channel_account_id": "acct-whatsapp",
        "recipient": CUSTOMER,
        "in_reply_to": "wamid.customer",
        "public": False,
        "text": TEXT,
        "idempotency_key": "key-1",
    }
    return Outgoing(**(fields | overrides))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_reply_is_a_text_quoting_the_customers_message(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount]
) -> None:
    fake, number = cloud_api
    sender: ChannelSender = WhatsAppSender(client)

    sent = await sender.send(reply(), number)

    assert sent == "wamid.HBgNNDkxNzYxMjM0NTY3OBUCABEYEjA"
    assert fake.received == [
        Received(
            "POST",
            f"/{VERSION}/{PHONE_NUMBER_ID}/messages",
            f"Bearer {TOKEN}",
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": CUSTOMER,
                "type": "text",
                "text": {"preview_url": False, "body": TEXT},
                "context": {"message_id": "wamid.customer"},
            },
        )
    ]


async def test_a_reply_to_no_message_has_no_context(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount]
) -> None:
    fake, number = cloud_api

    await WhatsAppSender(client).send(reply(in_reply_to="", parts=("1/2 Hallo", "2/2 Karla")), number)

    assert [r.body for r in fake.received] == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": CUSTOMER,
            "type": "text",
            "text": {"preview_url": False, "body": TEXT},
        }
    ]


async def test_a_template_is_sent_with_its_language_and_body_parameters(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount]
) -> None:
    fake, number = cloud_api
    template = reply(
        template_name="service_follow_up",
        template_language="de",
        template_parameters=("Karla", "4711"),
    )

    sent = await WhatsAppSender(client).send(template, number)

    assert sent.startswith("wamid.")
    assert fake.received[0].body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": CUSTOMER,
        "type": "template",
        "template": {
            "name": "service_follow_up",
            "language": {"code": "de"},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": "Karla"}, {"type": "text", "text": "4711"}],
                }
            ],
        },
    }


async def test_a_template_without_parameters_has_no_components(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount]
) -> None:
    fake, number = cloud_api

    await WhatsAppSender(client).send(reply(template_name="hello_world", template_language="en_US"), number)

    assert fake.received[0].body["template"] == {"name": "hello_world", "language": {"code": "en_US"}}


async def test_the_fake_cloud_api_refuses_a_request_off_the_documented_shape(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount]
) -> None:
    fake, number = cloud_api

    with pytest.raises(DeliveryError) as refused:
        await WhatsAppSender(client).send(reply(recipient="+49 176 12345678"), number)

    assert fake.received[0].body["to"] == "+49 176 12345678"
    assert refused.value.permanent
    assert "to must be a phone number" in str(refused.value)


async def test_a_429_is_for_now_with_the_channels_retry_after(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount]
) -> None:
    fake, number = cloud_api
    fake.refusals.append(meta_error("Too many requests", code=4, status=429, headers={"Retry-After": "3"}))

    with pytest.raises(DeliveryError) as refused:
        await WhatsAppSender(client).send(reply(), number)

    assert not refused.value.permanent
    assert refused.value.retry_after == 3.0


async def test_a_server_error_is_for_now(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount]
) -> None:
    fake, number = cloud_api
    fake.refusals.append(meta_error("Service temporarily unavailable", code=131016, status=503))

    with pytest.raises(DeliveryError) as refused:
        await WhatsAppSender(client).send(reply(), number)

    assert not refused.value.permanent


@pytest.mark.parametrize("code", [613, 130429, 131056])
async def test_whatsapp_throttling_with_a_400_is_for_now(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount], code: int
) -> None:
    fake, number = cloud_api
    fake.refusals.append(meta_error("(#130429) Rate limit hit", code=code))

    with pytest.raises(DeliveryError) as refused:
        await WhatsAppSender(client).send(reply(), number)

    assert not refused.value.permanent


async def test_more_than_24_hours_after_the_customer_wrote_a_template_is_needed(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount]
) -> None:
    fake, number = cloud_api
    fake.refusals.append(meta_error("(#131047) Re-engagement message", code=131047))

    with pytest.raises(DeliveryError) as refused:
        await WhatsAppSender(client).send(reply(), number)

    assert refused.value.permanent
    assert "send an approved template" in str(refused.value)


async def test_an_invalid_token_is_for_good_and_asks_for_a_new_one(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount]
) -> None:
    fake, number = cloud_api
    fake.refusals.append(meta_error("Error validating access token", code=190, status=401))

    with pytest.raises(DeliveryError) as refused:
        await WhatsAppSender(client).send(reply(), number)

    assert refused.value.permanent
    assert "renew the access token" in str(refused.value)


async def test_a_success_without_a_message_id_is_for_now(
    client: httpx.AsyncClient, cloud_api: tuple[FakeCloudApi, DeliveryAccount]
) -> None:
    fake, number = cloud_api
    fake.refusals.append(JSONResponse({"messaging_product": "whatsapp", "messages": []}))

    with pytest.raises(DeliveryError) as refused:
        await WhatsAppSender(client).send(reply(), number)

    assert not refused.value.permanent


async def test_an_unreachable_cloud_api_is_for_now(client: httpx.AsyncClient) -> None:
    with pytest.raises(DeliveryError) as refused:
        await WhatsAppSender(client).send(reply(), account(f"http://127.0.0.1:{closed_port()}/{VERSION}"))

    assert not refused.value.permanent
    assert "could not reach whatsapp" in str(refused.value)


async def test_without_a_base_url_the_documented_graph_address_is_used() -> None:
    urls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200, json={"messages": [{"id": "wamid.1"}]})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as offline:
        await WhatsAppSender(offline).send(reply(), account(""))

    assert urls == [f"https://graph.facebook.com/{VERSION}/{PHONE_NUMBER_ID}/messages"]
