"""Webhooks (CRM out): a tenant subscribes an outside system to event types; each event of those
types is queued once per subscription, POSTed signed, retried with backoff while the receiver refuses
it, dead after the retry period (and replayable), and never held up by another, slow receiver."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from google.protobuf.message import Message
from sqlmodel import col, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from webcare.v1 import common_pb2, conversations_pb2, messages_pb2, replies_pb2

from services.kit.auth import Role
from services.kit.errors import Unprocessable
from services.kit.events import new_event, now
from services.kit.runtime import Runtime
from services.reply import consumers, webhooks
from services.reply.config import ReplySettings
from services.reply.models import WebhookDelivery, WebhookSubscription
from tests.channel_server import serving
from tests.unit.conftest import TENANT, Api, eventually

SECRET = "a-shared-secret-of-the-crm-0123"
TIMEOUT = 0.3  # seconds a receiver has to answer, in these tests


@dataclass
class Receiver:
    """A CRM's webhook endpoint: it verifies the signature and the timestamp's age as the docs say,
    then answers as scripted (200 when the script is used up), after `delay` seconds."""

    secret: str = SECRET
    answers: list[int] = field(default_factory=list)
    delay: float = 0.0
    got: list[dict[str, Any]] = field(default_factory=list)  # verified deliveries, as sent
    refused: list[str] = field(default_factory=list)  # why requests were refused

    async def hook(self, request: Request) -> Response:
        raw = await request.body()
        stamp = request.headers.get("webcare-timestamp", "")
        expected = hmac.new(self.secret.encode(), f"{stamp}.".encode() + raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get("webcare-signature", ""), f"v1={expected}"):
            self.refused.append("signature")
            return Response("bad signature", status_code=401)
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > 300:
            self.refused.append("stale")
            return Response("stale timestamp", status_code=400)
        if self.delay:
            await asyncio.sleep(self.delay)
        body = json.loads(raw)
        assert request.headers["content-type"] == "application/json"
        assert request.headers["webcare-event-id"] == body["id"]
        self.got.append(body)
        status = self.answers.pop(0) if self.answers else 200
        return Response("ok" if status < 300 else "not now", status_code=status)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self.hook, methods=["POST"])])


def reply_runtime(api: Api) -> Runtime:
    runtime: Runtime = api.app.state.runtimes["reply"]
    return runtime


@pytest.fixture
async def sender(api: Api) -> webhooks.Sender:
    """The reply service's webhook sender, with a short timeout; the tests run its passes themselves."""
    rt = reply_runtime(api)
    await webhooks.stop(rt)
    settings = ReplySettings(webhook_timeout_seconds=TIMEOUT, webhook_concurrency_per_subscription=4)
    rt.state["webhook_sender"] = worker = webhooks.Sender(rt, rt.state["http"], settings)
    return worker


@pytest.fixture
async def crm() -> AsyncIterator[tuple[Receiver, str]]:
    """A receiver answering 200, and its URL."""
    receiver = Receiver()
    async with serving(receiver.app()) as base:
        yield receiver, f"{base}/hook"


async def subscribe(api: Api, url: str, *types: str, secret: str = SECRET) -> dict[str, Any]:
    answer = await api.call(
        "POST", "/v1/webhook-subscriptions", json={"url": url, "secret": secret, "event_types": types}
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def opened(conversation_id: str = "conv-1") -> conversations_pb2.ConversationOpened:
    return new_event(
        conversations_pb2.ConversationOpened, tenant_id=TENANT, conversation_id=conversation_id, channel="x"
    )


async def handle(api: Api, event: Message) -> None:
    """Reply's webhook consumer handles the event, as Kafka would hand it over."""
    rt = reply_runtime(api)
    async with rt.unit_of_work() as uow:
        await consumers.on_webhook_event(rt, uow, event)


async def rows(api: Api) -> Sequence[WebhookDelivery]:
    async with reply_runtime(api).unit_of_work() as uow:
        return (await uow.session.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id)))).all()


async def log(api: Api, subscription_id: str) -> list[dict[str, Any]]:
    answer = await api.call("GET", f"/v1/webhook-subscriptions/{subscription_id}/deliveries")
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def test_subscriptions_are_created_listed_and_deleted_and_never_show_their_secret(api: Api) -> None:
    created = await api.call(
        "POST",
        "/v1/webhook-subscriptions",
        json={
            "url": "http://127.0.0.1:9/hook",
            "secret": SECRET,
            "event_types": ["reply.sent", "csat.received"],
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["Location"] == f"/v1/webhook-subscriptions/{body['id']}"
    assert (body["url"], body["event_types"], body["active"]) == (
        "http://127.0.0.1:9/hook",
        ["reply.sent", "csat.received"],
        True,
    )
    listed = (await api.call("GET", "/v1/webhook-subscriptions")).json()["items"]
    shown = (await api.call("GET", f"/v1/webhook-subscriptions/{body['id']}")).json()
    for answer in (created.text, json.dumps(listed), json.dumps(shown)):
        assert SECRET not in answer and "secret" not in answer
    assert [item["id"] for item in listed] == [body["id"]] and shown == body
    rt = reply_runtime(api)
    async with rt.unit_of_work() as uow:
        row = await uow.session.get(WebhookSubscription, body["id"])
    assert row is not None and SECRET not in row.secret
    assert webhooks.box_of(rt).open(row.secret) == {"secret": SECRET}
    assert (await api.call("DELETE", f"/v1/webhook-subscriptions/{body['id']}")).status_code == 204
    assert (await api.call("GET", f"/v1/webhook-subscriptions/{body['id']}")).status_code == 404
    assert (await api.call("DELETE", f"/v1/webhook-subscriptions/{body['id']}")).status_code == 404


async def test_receivers_are_https_addresses_on_the_internet_unless_private_networks_are_allowed() -> None:
    for url in (
        "http://crm.example.com/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.8/hook",
        "not a url",
    ):
        with pytest.raises(Unprocessable) as refused:
            await webhooks.check_url(url, allow_private_networks=False)
        assert refused.value.code == "invalid_url" and "base_url" not in refused.value.detail
    await webhooks.check_url("http://127.0.0.1:8080/hook", allow_private_networks=True)
    with pytest.raises(Unprocessable):
        await webhooks.check_url("ftp://127.0.0.1/hook", allow_private_networks=True)


async def test_unknown_event_types_short_secrets_and_bad_urls_are_refused(api: Api) -> None:
    good: dict[str, Any] = {
        "url": "http://127.0.0.1:9/hook",
        "secret": SECRET,
        "event_types": ["lead.detected"],
    }
    changes: list[dict[str, Any]] = [
        {"event_types": ["conversation.reopened"]},
        {"event_types": []},
        {"secret": "too-short"},
        {"url": "ftp://127.0.0.1/hook"},
    ]
    for change in changes:
        answer = await api.call("POST", "/v1/webhook-subscriptions", json={**good, **change})
        assert answer.status_code == 422, (change, answer.text)


async def test_unknown_ids_and_other_tenants_ids_are_404(api: Api) -> None:
    mine = await subscribe(api, "http://127.0.0.1:9/hook", "reply.sent")
    for method, path in (
        ("GET", "/v1/webhook-subscriptions/nope"),
        ("DELETE", "/v1/webhook-subscriptions/nope"),
        ("GET", "/v1/webhook-subscriptions/nope/deliveries"),
        ("POST", "/v1/webhook-dead-letters/nope/replay"),
    ):
        assert (await api.call(method, path)).status_code == 404, path
    api.add_key("other-tenant-admin-key-0123456789", tenant="other", role=Role.admin)
    other = await api.call(
        "GET", f"/v1/webhook-subscriptions/{mine['id']}", key="other-tenant-admin-key-0123456789"
    )
    assert other.status_code == 404


async def test_an_event_becomes_one_delivery_per_subscription_even_when_handled_twice(api: Api) -> None:
    conversations = await subscribe(
        api, "http://127.0.0.1:9/a", "conversation.opened", "conversation.resolved"
    )
    replies = await subscribe(api, "http://127.0.0.1:9/b", "reply.sent")
    event = opened()
    await handle(api, event)
    await handle(api, event)  # Kafka delivered it again
    await handle(
        api, new_event(conversations_pb2.ConversationTransferred, tenant_id=TENANT, conversation_id="c")
    )
    await handle(
        api, new_event(conversations_pb2.ConversationAssigned, tenant_id="other", conversation_id="c")
    )
    [row] = await rows(api)
    assert (row.subscription_id, row.event_id, row.event_type, row.status) == (
        conversations["id"],
        event.event_id,
        "conversation.opened",
        "pending",
    )
    body = json.loads(row.body)
    assert (body["id"], body["type"], body["tenant"]) == (event.event_id, "conversation.opened", TENANT)
    assert body["occurred_at"].endswith("Z") and body["data"]["conversation_id"] == "conv-1"
    sent = new_event(replies_pb2.ReplySent, tenant_id=TENANT, reply_id="r-1", conversation_id="conv-1")
    await handle(api, sent)
    assert [(r.subscription_id, r.event_type) for r in await rows(api)][1:] == [(replies["id"], "reply.sent")]
    assert (await api.call("DELETE", f"/v1/webhook-subscriptions/{conversations['id']}")).status_code == 204
    assert [r.subscription_id for r in await rows(api)] == [replies["id"]]  # its log went with it


async def test_a_lead_classified_becomes_lead_detected(api: Api) -> None:
    await subscribe(api, "http://127.0.0.1:9/hook", "lead.detected")

    def classified(primary: str, *, lead: bool = False) -> messages_pb2.MessageClassified:
        message = messages_pb2.MessageReceived(
            message_id="m-1", text="Was kostet das? Ruf an: 0171 2345678", lead=lead
        )
        return new_event(
            messages_pb2.MessageClassified,
            tenant_id=TENANT,
            message_id="m-1",
            message=message,
            category=common_pb2.Category(primary=primary, confidence=0.9),
            redacted_preview="Was kostet das? Ruf an: [PHONE]",
        )

    lead, question, heard = classified("lead"), classified("question"), classified("question", lead=True)
    for event in (lead, question, heard):
        await handle(api, event)
    found = await rows(api)
    assert [(r.event_id, r.event_type) for r in found] == [
        (lead.event_id, "lead.detected"),
        (heard.event_id, "lead.detected"),
    ]
    data = json.loads(found[0].body)["data"]
    assert data["category"]["primary"] == "lead" and data["text"] == "Was kostet das? Ruf an: [PHONE]"
    assert "0171" not in found[0].body  # the private data the customer wrote stays in the platform


async def test_an_opened_conversation_reaches_the_crm_signed(
    api: Api, sender: webhooks.Sender, crm: tuple[Receiver, str]
) -> None:
    receiver, url = crm
    subscription = await subscribe(api, url, "conversation.opened")
    await api.message("wh-1", "Hallo, meine Bestellung ist nicht angekommen")

    async def queued() -> bool:
        return len(await rows(api)) == 1

    await eventually(queued)  # reply's consumer "webhooks" fanned the routing event out
    assert await sender.pass_once() == 1
    [body] = receiver.got
    assert body["type"] == "conversation.opened" and body["tenant"] == TENANT and receiver.refused == []
    [conversation] = await api.conversations()
    assert body["data"]["conversation_id"] == conversation["id"]
    [entry] = await log(api, subscription["id"])
    assert (entry["status"], entry["attempts"], entry["last_status_code"], entry["last_error"]) == (
        "delivered",
        1,
        200,
        None,
    )
    assert entry["delivered_at"] is not None and await sender.pass_once(at=now() + timedelta(days=2)) == 0


async def test_a_survey_answer_reaches_the_crm_as_csat_received(
    api: Api, sender: webhooks.Sender, crm: tuple[Receiver, str]
) -> None:
    receiver, url = crm
    await subscribe(api, url, "csat.received")
    answer = await api.call(
        "POST", "/v1/surveys", json={"external_id": "s-1", "kind": "csat", "score": 5, "agent_id": "anna"}
    )
    assert answer.status_code == 201, answer.text

    async def queued() -> bool:
        return len(await rows(api)) == 1

    await eventually(queued)  # reporting announced it, reply's consumer "webhooks" fanned it out
    assert await sender.pass_once() == 1
    [body] = receiver.got
    assert body["type"] == "csat.received"
    assert (body["data"]["kind"], body["data"]["score"], body["data"]["agent_id"]) == ("csat", 5, "anna")


async def test_a_receiver_that_cannot_verify_the_signature_refuses_it(
    api: Api, sender: webhooks.Sender, crm: tuple[Receiver, str]
) -> None:
    receiver, url = crm
    subscription = await subscribe(api, url, "conversation.opened", secret="not-the-secret-the-crm-knows")
    await handle(api, opened())
    assert await sender.pass_once() == 1
    assert receiver.refused == ["signature"] and receiver.got == []
    [entry] = await log(api, subscription["id"])
    assert (entry["status"], entry["last_status_code"]) == ("pending", 401)


async def test_a_refusal_for_now_is_tried_again_with_backoff_then_delivered(
    api: Api, sender: webhooks.Sender, crm: tuple[Receiver, str]
) -> None:
    receiver, url = crm
    receiver.answers = [500]
    subscription = await subscribe(api, url, "conversation.opened")
    await handle(api, opened())
    assert await sender.pass_once() == 1
    [entry] = await log(api, subscription["id"])
    assert (entry["status"], entry["attempts"], entry["last_status_code"]) == ("pending", 1, 500)
    assert entry["last_error"].startswith("HTTP 500") and entry["next_attempt_at"] is not None
    assert await sender.pass_once() == 0  # not due yet
    assert await sender.pass_once(at=now() + timedelta(hours=2)) == 1
    [entry] = await log(api, subscription["id"])
    assert (entry["status"], entry["attempts"], entry["last_status_code"], entry["last_error"]) == (
        "delivered",
        2,
        200,
        None,
    )
    assert len(receiver.got) == 2 and receiver.got[0]["id"] == receiver.got[1]["id"]


async def test_a_hanging_receiver_does_not_hold_up_another_subscription(
    api: Api, sender: webhooks.Sender, crm: tuple[Receiver, str]
) -> None:
    fast, fast_url = crm
    slow = Receiver(delay=TIMEOUT * 5)
    async with serving(slow.app()) as base:
        hanging = await subscribe(api, f"{base}/hook", "conversation.opened")
        working = await subscribe(api, fast_url, "conversation.opened")
        await handle(api, opened())
        started = time.monotonic()
        assert await sender.pass_once() == 2
        assert time.monotonic() - started < TIMEOUT * 4
    assert len(fast.got) == 1
    assert (await log(api, working["id"]))[0]["status"] == "delivered"
    [entry] = await log(api, hanging["id"])
    assert (entry["status"], entry["last_status_code"]) == ("pending", None)
    assert "Timeout" in entry["last_error"]


async def test_one_subscription_holds_at_most_its_share_of_the_slots(
    api: Api, sender: webhooks.Sender, crm: tuple[Receiver, str]
) -> None:
    _, url = crm
    busy = await subscribe(api, url, "conversation.opened")
    other = await subscribe(api, url, "reply.sent")
    for n in range(6):
        await handle(api, opened(f"conv-{n}"))
    await handle(
        api, new_event(replies_pb2.ReplySent, tenant_id=TENANT, reply_id="r-1", conversation_id="conv-0")
    )
    assert await sender.pass_once() == 5  # four of the busy subscription's, and the other's one
    assert [e["status"] for e in await log(api, other["id"])] == ["delivered"]
    assert sorted(e["status"] for e in await log(api, busy["id"])) == ["delivered"] * 4 + ["pending"] * 2
    assert await sender.pass_once() == 2


async def test_past_the_retry_period_a_delivery_is_dead_and_a_replay_delivers_it(
    api: Api, sender: webhooks.Sender, crm: tuple[Receiver, str]
) -> None:
    receiver, url = crm
    receiver.answers = [503, 503]
    subscription = await subscribe(api, url, "conversation.opened")
    await handle(api, opened())
    assert await sender.pass_once() == 1
    assert await sender.pass_once(at=now() + timedelta(hours=25)) == 1  # the next try would be past a day
    dead = (await api.call("GET", "/v1/webhook-dead-letters")).json()["items"]
    assert [(d["subscription_id"], d["status"], d["attempts"], d["last_status_code"]) for d in dead] == [
        (subscription["id"], "dead", 2, 503)
    ]
    assert await sender.pass_once(at=now() + timedelta(days=3)) == 0
    replayed = await api.call("POST", f"/v1/webhook-dead-letters/{dead[0]['id']}/replay")
    assert replayed.status_code == 200, replayed.text
    assert (replayed.json()["status"], replayed.json()["attempts"]) == ("pending", 0)
    again = await api.call("POST", f"/v1/webhook-dead-letters/{dead[0]['id']}/replay")
    assert again.status_code == 409 and again.json()["error"] == "not_dead"
    assert await sender.pass_once() == 1
    [entry] = await log(api, subscription["id"])
    assert (entry["status"], entry["attempts"], entry["last_status_code"]) == ("delivered", 1, 200)
    assert entry["replayed_at"] is not None and len(receiver.got) == 3
    assert (await api.call("GET", "/v1/webhook-dead-letters")).json()["items"] == []
    done = await api.call("POST", f"/v1/webhook-dead-letters/{dead[0]['id']}/replay")
    assert done.status_code == 409


async def test_the_sender_loop_delivers_what_is_due_when_woken(
    api: Api, sender: webhooks.Sender, crm: tuple[Receiver, str]
) -> None:
    receiver, url = crm
    await subscribe(api, url, "conversation.resolved")
    await handle(
        api, new_event(conversations_pb2.ConversationResolved, tenant_id=TENANT, conversation_id="c-9")
    )
    rt = reply_runtime(api)
    await webhooks.start(rt, rt.state["http"])  # the service's own loop
    try:
        webhooks.sender(rt).wake.set()

        async def delivered() -> bool:
            return [r.status for r in await rows(api)] == ["delivered"]

        await eventually(delivered)
    finally:
        await webhooks.stop(rt)
    assert [body["type"] for body in receiver.got] == ["conversation.resolved"]
