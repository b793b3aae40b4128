"""Delivery accounts: what each channel needs is required, the credentials are encrypted at rest and
never shown, and a reply goes through its account's channel sender to the channel's API (here a
local Cloud API that checks every request as Meta documents it)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from webcare.v1 import replies_pb2

from services.kit.errors import Unprocessable
from services.kit.events import REPLY_EVENTS, now
from services.kit.runtime import Runtime
from services.reply import delivery, dispatch
from services.reply.adapters import DeliveryError, Outgoing
from services.reply.delivery import ChannelRouter, DeliveryAccountIn
from services.reply.models import ConversationView, DeliveryAccount
from tests.channel_server import serving
from tests.unit.conftest import TENANT, Api
from tests.unit.reply.test_channel_whatsapp import PHONE_NUMBER_ID, TOKEN, VERSION, FakeCloudApi

ACCOUNT = "acct-wa-1"


def reply_runtime(api: Api) -> Runtime:
    runtime: Runtime = api.app.state.runtimes["reply"]
    return runtime


@pytest.fixture
async def cloud_api() -> AsyncIterator[tuple[FakeCloudApi, str]]:
    fake = FakeCloudApi()
    async with serving(fake.app()) as url:
        yield fake, f"{url}/{VERSION}"


async def put(api: Api, body: dict[str, Any], account: str = ACCOUNT) -> Any:
    return await api.call("PUT", f"/v1/delivery-accounts/{account}", json=body)


def whatsapp(base_url: str) -> dict[str, Any]:
    return {
        "channel": "whatsapp",
        "base_url": base_url,
        "settings": {"phone_number_id": PHONE_NUMBER_ID},
        "credentials": {"access_token": TOKEN},
    }


async def test_an_account_needs_what_its_channel_needs(api: Api) -> None:
    for body, missing in (
        ({"channel": "whatsapp", "credentials": {"access_token": "t"}}, "phone_number_id"),
        ({"channel": "facebook", "settings": {"page_id": "1"}}, "access_token"),
        ({"channel": "email", "settings": {"host": "smtp.example.de", "port": "587"}}, "from_address"),
        ({"channel": "review", "settings": {"provider": "trustpilot"}}, "business_user_id"),
        ({"channel": "review", "settings": {"provider": "generic"}}, "reply_url"),
    ):
        answer = await put(api, body)
        assert (answer.status_code, answer.json()["error"]) == (422, "incomplete_account"), answer.text
        assert missing in answer.json()["detail"]
    assert (await put(api, {"channel": "fax"})).status_code == 422
    port = {"channel": "email", "settings": {"host": "h", "port": "99999", "from_address": "a@b.de"}}
    assert (await put(api, port)).json()["error"] == "invalid_port"


async def test_credentials_are_encrypted_at_rest_and_never_shown(api: Api) -> None:
    created = await put(api, whatsapp("http://127.0.0.1:9/v21.0"))
    assert created.status_code == 201, created.text
    shown = created.json()
    assert shown["credentials"] == ["access_token"] and TOKEN not in created.text
    replaced = await put(api, whatsapp("http://127.0.0.1:9/v21.0"))
    assert replaced.status_code == 200
    listed = await api.call("GET", "/v1/delivery-accounts")
    assert [a["channel_account_id"] for a in listed.json()["items"]] == [ACCOUNT] and TOKEN not in listed.text
    async with reply_runtime(api).unit_of_work() as uow:
        row = await uow.session.get(DeliveryAccount, (TENANT, ACCOUNT))
        assert row is not None
        stored = row.credentials
    assert TOKEN not in stored and stored.startswith("gAAAA")  # a Fernet token
    assert (await api.call("DELETE", f"/v1/delivery-accounts/{ACCOUNT}")).status_code == 204
    assert (await api.call("GET", f"/v1/delivery-accounts/{ACCOUNT}")).status_code == 404
    assert (await api.call("DELETE", f"/v1/delivery-accounts/{ACCOUNT}")).status_code == 404


async def test_outside_tests_a_channel_api_must_be_public_and_https(api: Api) -> None:
    async with reply_runtime(api).unit_of_work() as uow:
        for url, problem in (
            ("http://graph.example.com/v21.0", "https"),
            ("https://127.0.0.1/v21.0", "non-public"),
            ("https://localhost:8443", "non-public"),
        ):
            with pytest.raises(Unprocessable, match=problem) as refused:
                await delivery.put_account(
                    uow,
                    tenant_id=TENANT,
                    channel_account_id=ACCOUNT,
                    data=DeliveryAccountIn.model_validate(whatsapp(url)),
                    senders=delivery.router_of(reply_runtime(api)).senders,
                    box=delivery.router_of(reply_runtime(api)).box,
                    allow_private_networks=False,
                )
            assert refused.value.code == "invalid_base_url"


async def test_a_reply_reaches_the_channels_api_through_its_delivery_account(
    api: Api, cloud_api: tuple[FakeCloudApi, str]
) -> None:
    fake, base_url = cloud_api
    rt = reply_runtime(api)
    await dispatch.stop(rt)
    assert (await put(api, whatsapp(base_url))).status_code == 201
    async with rt.unit_of_work() as uow:
        uow.session.add(
            ConversationView(
                id="conv-wa",
                tenant_id=TENANT,
                channel="whatsapp",
                channel_account_id=ACCOUNT,
                customer_id="4917612345678",
                in_reply_to="wamid.first",
                last_message_external_id="wamid.latest",
                last_customer_message_at=now(),
            )
        )
    answer = await api.call("POST", "/v1/conversations/conv-wa/replies", json={"text": "Hallo Karla! 👋"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["status"], body["external_id"]) == ("sent", "wamid.HBgNNDkxNzYxMjM0NTY3OBUCABEYEjA")
    [received] = fake.received
    assert (received.method, received.path, received.authorization) == (
        "POST",
        f"/{VERSION}/{PHONE_NUMBER_ID}/messages",
        f"Bearer {TOKEN}",
    )
    assert received.body["to"] == "4917612345678" and received.body["text"]["body"] == "Hallo Karla! 👋"
    assert received.body["context"] == {"message_id": "wamid.latest"}
    [sent] = [e for e in api.published(REPLY_EVENTS) if isinstance(e, replies_pb2.ReplySent)]
    assert sent.external_id == body["external_id"]


async def test_an_unknown_account_fails_with_what_to_register_where_there_is_no_stand_in(api: Api) -> None:
    rt = reply_runtime(api)
    router = delivery.router_of(rt)
    strict = ChannelRouter(rt, router.senders, router.box)  # no loopback stand-in, as in production
    message = Outgoing(
        reply_id="r1",
        tenant_id=TENANT,
        channel="whatsapp",
        channel_account_id="acct-unknown",
        recipient="49",
        in_reply_to="",
        public=False,
        text="Hallo",
    )
    with pytest.raises(DeliveryError) as failed:
        await strict.send(message)
    assert failed.value.permanent and "PUT /v1/delivery-accounts/acct-unknown" in str(failed.value)
    chat = dataclasses.replace(message, channel="chat")
    assert await strict.send(chat) == "chat-r1"  # ingest's socket delivers chat replies
