"""A bounce of a reply sent by e-mail fails the reply with a reason the agent can read and announces
ReplyFailed, also when the bounce outruns reply's record of the sent mail. The bounce goes the whole
way: ingest's webhook, the DeliveryReceipt on the bus, reply's receipts consumer."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest
from sqlmodel import select
from webcare.v1 import replies_pb2

from services.kit.events import MESSAGE_RECEIVED, REPLY_EVENTS, new_event
from services.kit.runtime import Runtime
from services.reply import dispatch, receipts
from services.reply.adapters import Outgoing
from services.reply.channels.mail import compose
from services.reply.models import ConversationView, EarlyReceipt
from tests.unit.conftest import ADMIN_KEY, TENANT, Api, eventually
from tests.unit.ingest.test_email_webhook import KEY, PATH, signed

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "ingest" / "email"
MAILBOX = "service@telco.example"
CUSTOMER = "max.mustermann@kunde.example"
CONVERSATION = "conv-mail"
FIXTURE_ID = b"<4f1c0e9a2b7d4c3e8a6f5b1d2c3e4f5a@telco.example>"


class Mailer:
    """Sends nothing, but answers with the Message-ID the mail sender would have given the mail."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.before_answer: Any = None

    async def send(self, message: Outgoing) -> str:
        message_id = str(compose(message, from_address=MAILBOX)["Message-ID"]).strip("<>")
        self.sent.append(message_id)
        if self.before_answer is not None:
            await self.before_answer(message_id)
        return message_id


@pytest.fixture
async def mailer(api: Api) -> Mailer:
    """Reply sends through the Mailer, in an e-mail conversation; ingest has the mailbox."""
    rt: Runtime = api.app.state.runtimes["reply"]
    fake = Mailer()
    dispatch.dispatcher(rt).adapter = fake
    await dispatch.stop(rt)
    async with rt.unit_of_work() as uow:
        uow.session.add(
            ConversationView(
                id=CONVERSATION,
                tenant_id=TENANT,
                channel="email",
                channel_account_id="acct-mail",
                customer_id=CUSTOMER,
                in_reply_to="CAF1-thread-1@mail.example.de",
                subject="Rechnung März doppelt abgebucht",
            )
        )
    await api.channel_account("email", MAILBOX, secrets={"signing_key": KEY})
    return fake


async def bounce(api: Api, message_id: str) -> None:
    """The Postfix bounce of the mail with `message_id`, as the inbound-parse webhook posts it."""
    mime = (FIXTURES / "bounce_postfix.eml").read_bytes().replace(FIXTURE_ID, f"<{message_id}>".encode())
    fields = {
        "recipient": MAILBOX,
        "from": "MAILER-DAEMON@mx.telco.example (Mail Delivery System)",
        "subject": "Undelivered Mail Returned to Sender",
        "body-mime": mime.decode(),
    }
    response = await api.client.post(PATH, data=signed(fields))
    assert response.status_code == 200, response.text


async def post_reply(api: Api) -> dict[str, Any]:
    response = await api.client.post(
        f"/v1/conversations/{CONVERSATION}/replies",
        json={"text": "Guten Tag, wir erstatten den Betrag."},
        headers=api.headers(ADMIN_KEY),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def shown(api: Api, reply_id: str) -> dict[str, Any]:
    body: dict[str, Any] = (
        await api.call("GET", f"/v1/conversations/{CONVERSATION}/replies/{reply_id}")
    ).json()
    return body


def failures(api: Api) -> list[replies_pb2.ReplyFailed]:
    return [e for e in api.published(REPLY_EVENTS) if isinstance(e, replies_pb2.ReplyFailed)]


async def test_a_bounce_fails_the_mail_reply_with_the_reason_and_announces_it(
    api: Api, mailer: Mailer
) -> None:
    reply = await post_reply(api)
    assert (reply["status"], reply["external_id"]) == ("sent", mailer.sent[0])

    await bounce(api, mailer.sent[0])

    async def failed() -> bool:
        return bool((await shown(api, reply["id"]))["status"] == "failed")

    await eventually(failed)
    reason = (await shown(api, reply["id"]))["failure_reason"]
    assert reason.startswith(f"Die E-Mail an {CUSTOMER} wurde nicht zugestellt / The e-mail to {CUSTOMER}")
    assert "User unknown in virtual mailbox table" in reason
    [event] = failures(api)
    assert (event.reply_id, event.reason, event.permanent) == (reply["id"], reason, True)
    assert api.published(MESSAGE_RECEIVED) == []  # the bounce is no customer writing


async def test_a_bounce_before_the_sent_record_is_kept_and_fails_the_reply_then(
    api: Api, mailer: Mailer
) -> None:
    rt: Runtime = api.app.state.runtimes["reply"]

    async def bounced_at_once(message_id: str) -> None:
        await bounce(api, message_id)

        async def kept() -> bool:
            async with rt.unit_of_work() as uow:
                return len((await uow.session.exec(select(EarlyReceipt))).all()) == 1

        await eventually(kept)

    mailer.before_answer = bounced_at_once
    reply = await post_reply(api)

    assert reply["status"] == "failed" and "wurde nicht zugestellt" in reply["failure_reason"]
    [event] = failures(api)
    assert event.reply_id == reply["id"]
    async with rt.unit_of_work() as uow:
        assert (await uow.session.exec(select(EarlyReceipt))).all() == []


async def test_a_receipt_naming_the_message_id_in_angle_brackets_finds_the_reply(
    api: Api, mailer: Mailer
) -> None:
    reply = await post_reply(api)
    event = new_event(
        replies_pb2.DeliveryReceipt,
        tenant_id=TENANT,
        channel="email",
        external_id=f" <{mailer.sent[0]}> ",
        status="failed",
        error_code="5.1.1",
    )
    async with api.app.state.runtimes["reply"].unit_of_work() as uow:
        await receipts.take(uow, event)

    assert (await shown(api, reply["id"]))["status"] == "failed"
    assert [e.reply_id for e in failures(api)] == [reply["id"]]
