"""Durable delivery: a reply is stored before it is sent, retried after refusals for now with
backoff (or the channel's Retry-After), failed with a reason after a permanent refusal, sent again
after its sender stopped, never twice for one idempotency key; receipts move it to delivered and
read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select
from webcare.v1 import replies_pb2

from services.kit.auth import Principal, Role
from services.kit.events import REPLY_EVENTS, new_event, now, timestamp
from services.kit.runtime import Runtime
from services.reply import dispatch, outcomes, receipts, service
from services.reply.adapters import DeliveryError, Outgoing
from services.reply.models import ConversationView, EarlyReceipt, ReplyIn
from tests.unit.conftest import ADMIN_KEY, TENANT, Api, eventually

CONVERSATION = "conv-1"


@dataclass
class Scripted:
    """A channel that answers each try as scripted: an id, or an error to raise."""

    answers: list[str | DeliveryError] = field(default_factory=list)
    sent: list[Outgoing] = field(default_factory=list)

    async def send(self, message: Outgoing) -> str:
        self.sent.append(message)
        answer = self.answers.pop(0) if self.answers else f"ext-{len(self.sent)}"
        if isinstance(answer, DeliveryError):
            raise answer
        return answer


def reply_runtime(api: Api) -> Runtime:
    runtime: Runtime = api.app.state.runtimes["reply"]
    return runtime


@pytest.fixture
async def channel(api: Api) -> Scripted:
    """The reply service sends through a scripted channel, to a conversation it knows."""
    rt = reply_runtime(api)
    scripted = Scripted()
    dispatch.dispatcher(rt).adapter = scripted
    await dispatch.stop(rt)  # the tests run the dispatcher's passes themselves
    async with rt.unit_of_work() as uow:
        uow.session.add(
            ConversationView(
                id=CONVERSATION,
                tenant_id=TENANT,
                channel="whatsapp",
                channel_account_id="acct-1",
                customer_id="4917612345678",
                is_public=False,
                in_reply_to="wamid.customer",
            )
        )
    return scripted


async def post(api: Api, text: str = "Hallo Karla, wir kümmern uns!", *, key: str | None = None) -> Any:
    headers = {**api.headers(ADMIN_KEY), **({"Idempotency-Key": key} if key else {})}
    return await api.client.post(
        f"/v1/conversations/{CONVERSATION}/replies", json={"text": text}, headers=headers
    )


def events(api: Api, kind: type[Any]) -> list[Any]:
    return [e for e in api.published(REPLY_EVENTS) if isinstance(e, kind)]


async def test_a_reply_is_sent_at_once_with_its_idempotency_key(api: Api, channel: Scripted) -> None:
    answer = await post(api)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["status"], body["external_id"], body["attempts"]) == ("sent", "ext-1", 1)
    [message] = channel.sent
    assert (message.recipient, message.in_reply_to, message.idempotency_key) == (
        "4917612345678",
        "wamid.customer",
        body["idempotency_key"],
    )
    [sent] = events(api, replies_pb2.ReplySent)
    assert (sent.reply_id, sent.external_id, sent.channel_account_id) == (body["id"], "ext-1", "acct-1")


async def test_a_refusal_for_now_is_tried_again_after_the_channels_retry_after(
    api: Api, channel: Scripted
) -> None:
    channel.answers = [DeliveryError("429 too many requests", permanent=False, retry_after=30)]
    answer = (await post(api)).json()
    assert answer["status"] == "queued" and answer["failure_reason"] == "429 too many requests"
    rt = reply_runtime(api)
    worker = dispatch.dispatcher(rt)
    assert await worker.pass_once(at=now() + timedelta(seconds=20)) == 0  # Retry-After not over yet
    assert events(api, replies_pb2.ReplySent) == []
    assert await worker.pass_once(at=now() + timedelta(seconds=31)) == 1
    shown = (await api.call("GET", f"/v1/conversations/{CONVERSATION}/replies/{answer['id']}")).json()
    assert (shown["status"], shown["attempts"], shown["external_id"]) == ("sent", 2, "ext-2")
    assert len({m.idempotency_key for m in channel.sent}) == 1 and len(channel.sent) == 2
    assert len(events(api, replies_pb2.ReplySent)) == 1


async def test_a_permanent_refusal_fails_with_a_reason_the_agent_can_act_on(
    api: Api, channel: Scripted
) -> None:
    reason = "outside the 24-hour window: send an approved template"
    channel.answers = [DeliveryError(reason, permanent=True)]
    answer = (await post(api)).json()
    assert (answer["status"], answer["failure_reason"]) == ("failed", reason)
    [failed] = events(api, replies_pb2.ReplyFailed)
    assert (failed.reply_id, failed.reason, failed.permanent) == (answer["id"], reason, True)
    assert await dispatch.dispatcher(reply_runtime(api)).pass_once(at=now() + timedelta(hours=1)) == 0


async def test_refusals_for_now_give_up_after_the_retry_period(api: Api, channel: Scripted) -> None:
    channel.answers = [DeliveryError("503", permanent=False, retry_after=3000)] * 2
    answer = (await post(api)).json()
    worker = dispatch.dispatcher(reply_runtime(api))
    assert await worker.pass_once(at=now() + timedelta(seconds=3001)) == 1  # the next wait passes the hour
    shown = (await api.call("GET", f"/v1/conversations/{CONVERSATION}/replies/{answer['id']}")).json()
    assert shown["status"] == "failed"
    [failed] = events(api, replies_pb2.ReplyFailed)
    assert failed.permanent is False and failed.reason.startswith("gave up after 2 tries")


async def test_an_idempotency_key_returns_the_first_reply_and_sends_once(api: Api, channel: Scripted) -> None:
    first = await post(api, key="agent-console-42")
    again = await post(api, key="agent-console-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and len(channel.sent) == 1
    other = await post(api, "Etwas anderes", key="agent-console-42")
    assert other.status_code == 409


async def test_a_reply_whose_sender_stopped_is_sent_again_once_its_lease_runs_out(
    api: Api, channel: Scripted
) -> None:
    rt = reply_runtime(api)
    worker = dispatch.dispatcher(rt)
    supervisor = Principal(tenant_id=TENANT, role=Role.supervisor, key_id="key-1")
    async with rt.unit_of_work() as uow:  # accepted and committed; the process dies before sending
        reply, _ = await service.accept_reply(
            uow,
            principal=supervisor,
            conversation_id=CONVERSATION,
            data=ReplyIn(text="Hallo"),
            idempotency_key=None,
            lease_until=worker.lease(now()),
        )
    assert await worker.pass_once() == 0  # another process holds it still
    assert await worker.pass_once(at=now() + timedelta(seconds=61)) == 1
    assert [m.reply_id for m in channel.sent] == [reply.id]
    assert channel.sent[0].attempt == 2  # the sender knows an earlier try may have reached the channel
    assert [e.reply_id for e in events(api, replies_pb2.ReplySent)] == [reply.id]


async def receipt(api: Api, external_id: str, status: str, **fields: Any) -> None:
    event = new_event(
        replies_pb2.DeliveryReceipt,
        tenant_id=TENANT,
        channel="whatsapp",
        channel_account_id="acct-1",
        external_id=external_id,
        status=status,
        reported_at=timestamp(now()),
        **fields,
    )
    async with reply_runtime(api).unit_of_work() as uow:
        await receipts.take(uow, event)


async def test_receipts_move_a_reply_to_delivered_and_read_never_back(api: Api, channel: Scripted) -> None:
    answer = (await post(api)).json()
    await receipt(api, "ext-1", "read")
    await receipt(api, "ext-1", "delivered")  # late: changes nothing
    await receipt(api, "unknown", "delivered")  # not ours
    shown = (await api.call("GET", f"/v1/conversations/{CONVERSATION}/replies/{answer['id']}")).json()
    assert shown["status"] == "read" and shown["read_at"] is not None and shown["delivered_at"] is not None
    assert [e.status for e in events(api, replies_pb2.ReplyDelivered)] == ["read"]


async def test_a_failed_receipt_fails_the_reply(api: Api, channel: Scripted) -> None:
    answer = (await post(api)).json()
    await receipt(api, "ext-1", "failed", reason="Message undeliverable", error_code="131026")
    shown = (await api.call("GET", f"/v1/conversations/{CONVERSATION}/replies/{answer['id']}")).json()
    assert (shown["status"], shown["failure_reason"]) == ("failed", "Message undeliverable")
    [failed] = events(api, replies_pb2.ReplyFailed)
    assert failed.reply_id == answer["id"] and failed.permanent


async def test_a_receipt_faster_than_the_sent_record_is_kept_and_applied_then(
    api: Api, channel: Scripted
) -> None:
    async def early_receipts_then_sent(message: Outgoing) -> str:
        # The channel reports delivery and reading before reply has recorded the id it answered.
        await receipt(api, "wamid.fast", "delivered")
        await receipt(api, "wamid.fast", "read")
        return "wamid.fast"

    channel.send = early_receipts_then_sent  # type: ignore[method-assign]
    answer = (await post(api)).json()
    assert (answer["status"], answer["external_id"]) == ("read", "wamid.fast")
    assert [e.status for e in events(api, replies_pb2.ReplyDelivered)] == ["delivered", "read"]
    async with reply_runtime(api).unit_of_work() as uow:
        assert (await uow.session.exec(select(EarlyReceipt))).all() == []


async def test_receipts_of_messages_reply_never_sent_are_pruned(api: Api, channel: Scripted) -> None:
    await receipt(api, "sent-by-hand", "delivered")
    rt = reply_runtime(api)
    assert await receipts.prune_early_receipts(rt, now() + timedelta(days=1)) == 0
    assert await receipts.prune_early_receipts(rt, now() + timedelta(days=8)) == 1


async def test_a_send_is_written_down_even_when_the_database_fails_for_a_moment(
    api: Api, channel: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = outcomes.write_sent
    failures = [OperationalError("UPDATE replies", {}, ConnectionResetError("server closed the connection"))]

    async def flaky(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return await real(*args, **kwargs)

    monkeypatch.setattr(outcomes, "write_sent", flaky)
    answer = (await post(api)).json()
    assert (answer["status"], answer["external_id"]) == ("sent", "ext-1") and failures == []
    assert len(channel.sent) == 1  # not left to the lease, which would have sent it again
    assert len(events(api, replies_pb2.ReplySent)) == 1


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    low = dispatch.Backoff(base_seconds=1, max_seconds=60, rng=lambda: 0.0)
    high = dispatch.Backoff(base_seconds=1, max_seconds=60, rng=lambda: 1.0)
    assert [low.delay(n) for n in (1, 2, 3, 8)] == [0.5, 1.0, 2.0, 30.0]
    assert [high.delay(n) for n in (1, 2, 3, 8)] == [1.0, 2.0, 4.0, 60.0]
    assert low.delay(3, retry_after=17) == 17


async def test_the_rate_limiter_keeps_each_account_to_its_rate() -> None:
    clock = [0.0]

    async def sleep(seconds: float) -> None:
        clock[0] += seconds

    limiter = dispatch.RateLimiter({"whatsapp": 80.0, "default": 2.0}, clock=lambda: clock[0], sleep=sleep)
    for _ in range(80):
        await limiter.acquire("whatsapp", "number-1")
    assert clock[0] == 0.0  # a second's burst at once
    await limiter.acquire("whatsapp", "number-1")
    assert clock[0] == pytest.approx(1 / 80)
    await limiter.acquire("whatsapp", "number-2")  # another number has its own bucket
    assert clock[0] == pytest.approx(1 / 80)
    for _ in range(3):
        await limiter.acquire("x", "account")
    assert clock[0] == pytest.approx(1 / 80 + 0.5)


async def test_the_dispatcher_sends_what_is_due_when_woken(api: Api, channel: Scripted) -> None:
    channel.answers = [DeliveryError("500", permanent=False, retry_after=0)]
    answer = (await post(api)).json()
    assert answer["status"] == "queued"
    rt = reply_runtime(api)
    await dispatch.start(rt, channel)  # the service's own loop
    try:

        async def sent() -> bool:
            shown = await api.call("GET", f"/v1/conversations/{CONVERSATION}/replies/{answer['id']}")
            return bool(shown.json()["status"] == "sent")

        dispatch.dispatcher(rt).wake.set()
        await eventually(sent)
    finally:
        await dispatch.stop(rt)
