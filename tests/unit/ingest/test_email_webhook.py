"""The inbound-parse webhook: Mailgun and SendGrid fields, Mailgun's signature, replays, mailboxes."""

from __future__ import annotations

import hashlib
import hmac
import json
import pathlib
import secrets
import time
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select
from webcare.v1 import messages_pb2

from services.ingest import service as ingest_service
from services.ingest.channels import email as email_channel
from services.ingest.channels import imap
from services.ingest.channels.email_tables import EmailWebhookToken
from services.ingest.models import Delivery
from services.kit.errors import Unavailable, Unprocessable
from services.kit.events import MESSAGE_RECEIVED, now
from tests.unit.conftest import Api

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "ingest" / "email"
KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
MAILGUN_BOX = "service@telco.example"
SENDGRID_BOX = "support@telco.example"
PATH = "/v1/webhooks/email"


def fixture(name: str) -> dict[str, str]:
    fields: dict[str, str] = json.loads((FIXTURES / name).read_text())
    return fields


def signed(
    fields: dict[str, str], *, key: str = KEY, age: float = 0, token: str | None = None
) -> dict[str, str]:
    """The fields with a fresh Mailgun signature: hex HMAC-SHA256(key, timestamp + token)."""
    timestamp = str(int(time.time() - age))
    token = token or secrets.token_hex(25)
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return {**fields, "timestamp": timestamp, "token": token, "signature": signature}


async def mailboxes(api: Api) -> None:
    for box in (MAILGUN_BOX, SENDGRID_BOX):
        await api.channel_account("email", box, secrets={"signing_key": KEY})


def received(api: Api) -> list[messages_pb2.MessageReceived]:
    return [e for e in api.published(MESSAGE_RECEIVED) if isinstance(e, messages_pb2.MessageReceived)]


async def deliveries(api: Api) -> int:
    rt = api.app.state.runtimes["ingest"]
    async with rt.db.sessions() as session:
        count = (await session.exec(select(func.count()).select_from(Delivery))).one()
    return int(count)


async def test_a_mailgun_delivery_becomes_one_message_with_the_new_text(api: Api) -> None:
    await mailboxes(api)

    response = await api.client.post(PATH, data=signed(fixture("mailgun_forward.json")))

    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "accepted": 1, "duplicates": 0, "ignored": 0}
    [event] = received(api)
    assert event.channel == "email" and event.is_public is False
    assert event.external_id == "CAF1-mg-2@mail.example.de"
    assert event.conversation_key == "email:CAF1-mg-1@mail.example.de"
    assert event.in_reply_to == "reply-7@telco.example"
    assert event.subject == "Re: Ihre Störungsmeldung"
    assert (event.author.external_id, event.author.name) == ("max.mustermann@example.de", "Max Mustermann")
    assert event.text == "Hallo,\n\nmein Anschluss ist seit gestern tot. Können Sie einen Techniker schicken?"
    assert event.sent_at.ToDatetime().isoformat() == "2024-03-12T18:20:05"


async def test_a_sendgrid_multipart_delivery_carries_attachment_metadata(api: Api) -> None:
    await mailboxes(api)
    files = {"attachment1": ("router.jpg", b"\xff\xd8\xff\xe0fake-jpeg" * 100, "image/jpeg")}

    response = await api.client.post(PATH, data=signed(fixture("sendgrid_parse.json")), files=files)

    assert response.status_code == 200, response.text
    [event] = received(api)
    assert event.external_id == "CAB-sg-1@mail.example.com"
    assert event.text == "My router is still broken, the photo is attached."
    assert [(a.kind, a.mime_type, a.name, a.size) for a in event.attachments] == [
        ("image", "image/jpeg", "router.jpg", 1300)
    ]
    rt = api.app.state.runtimes["ingest"]
    async with rt.db.sessions() as session:
        stored = (await session.exec(select(Delivery.body))).one()
    assert "fake-jpeg" not in stored and "router.jpg" in stored


async def test_the_recipient_is_found_in_a_list_with_display_names_and_any_case(api: Api) -> None:
    await mailboxes(api)
    fields = {k: v for k, v in fixture("sendgrid_parse.json").items() if k != "envelope"}
    fields["to"] = "Someone Else <other@example.org>, Telco Support <Support@Telco.Example>"

    response = await api.client.post(PATH, data=signed(fields))

    assert response.status_code == 200, response.text
    assert received(api)[0].channel_account_id


@pytest.mark.parametrize(
    "change",
    [
        {"signature": "0" * 64},
        {"signature": ""},
        {"token": "another-token-than-the-signed-one-0123456789abcdef"},
    ],
)
async def test_a_bad_or_missing_signature_is_refused_and_nothing_is_stored(
    api: Api, change: dict[str, str]
) -> None:
    await mailboxes(api)

    response = await api.client.post(PATH, data={**signed(fixture("mailgun_forward.json")), **change})

    assert response.status_code == 401, response.text
    assert received(api) == [] and await deliveries(api) == 0


async def test_a_signature_with_another_key_is_refused(api: Api) -> None:
    await mailboxes(api)

    response = await api.client.post(PATH, data=signed(fixture("mailgun_forward.json"), key="key-other"))

    assert response.status_code == 401


async def test_an_unsigned_delivery_is_refused(api: Api) -> None:
    await mailboxes(api)
    fields = {k: v for k, v in fixture("mailgun_forward.json").items() if k not in ("signature", "token")}

    response = await api.client.post(PATH, data=fields)

    assert response.status_code == 401
    assert await deliveries(api) == 0


async def test_an_old_delivery_is_refused(api: Api) -> None:
    await mailboxes(api)

    response = await api.client.post(PATH, data=signed(fixture("mailgun_forward.json"), age=3600))

    assert response.status_code == 401
    assert response.json()["error"] == "stale_delivery"
    assert received(api) == []


async def test_a_replayed_token_is_refused(api: Api) -> None:
    await mailboxes(api)
    delivery = signed(fixture("mailgun_forward.json"))

    first = await api.client.post(PATH, data=delivery)
    again = await api.client.post(PATH, data=delivery)

    assert first.status_code == 200
    assert again.status_code == 401 and again.json()["error"] == "replayed_delivery"
    assert len(received(api)) == 1


async def test_expired_tokens_are_deleted(api: Api) -> None:
    await mailboxes(api)
    rt = api.app.state.runtimes["ingest"]
    async with rt.unit_of_work() as uow:
        uow.session.add(
            EmailWebhookToken(token="old", channel_account_id="a", seen_at=now() - timedelta(days=1))
        )

    response = await api.client.post(PATH, data=signed(fixture("mailgun_forward.json")))

    assert response.status_code == 200
    async with rt.db.sessions() as session:
        tokens = (await session.exec(select(EmailWebhookToken.token))).all()
    assert "old" not in tokens and len(tokens) == 1


async def test_a_delivery_that_failed_here_can_be_retried_with_its_token(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    await mailboxes(api)
    delivery = signed(fixture("mailgun_forward.json"))

    async def bus_away(*args: Any, **kwargs: Any) -> Any:
        raise Unavailable("the event bus is not reachable")

    with monkeypatch.context() as patch:
        patch.setattr(ingest_service, "accept", bus_away)
        failed = await api.client.post(PATH, data=delivery)
    retried = await api.client.post(PATH, data=delivery)

    assert failed.status_code == 503
    assert retried.status_code == 200 and len(received(api)) == 1


async def test_an_unknown_mailbox_is_404(api: Api) -> None:
    await mailboxes(api)
    fields = {**fixture("mailgun_forward.json"), "recipient": "nobody@elsewhere.example"}

    response = await api.client.post(PATH, data=signed(fields))

    assert response.status_code == 404 and response.json()["error"] == "unknown_account"


@pytest.mark.parametrize("missing", [("recipient", "To"), ("from", "sender", "message-headers")])
async def test_a_delivery_without_recipient_or_sender_is_400(api: Api, missing: tuple[str, ...]) -> None:
    await mailboxes(api)
    fields = {k: v for k, v in fixture("mailgun_forward.json").items() if k not in missing}

    response = await api.client.post(PATH, data=signed(fields))

    assert response.status_code == 400, response.text
    assert received(api) == []


async def test_deeply_nested_json_fields_are_no_server_error(api: Api) -> None:
    await mailboxes(api)
    fields = {**fixture("sendgrid_parse.json"), "envelope": "[" * 100_000, "message-headers": "{" * 100_000}

    response = await api.client.post(PATH, data=signed(fields))

    assert response.status_code == 200, response.text


async def test_a_duplicate_delivery_gives_one_event(api: Api) -> None:
    await mailboxes(api)

    first = await api.client.post(PATH, data=signed(fixture("mailgun_forward.json")))
    again = await api.client.post(PATH, data=signed(fixture("mailgun_forward.json")))

    assert first.json()["accepted"] == 1
    assert again.status_code == 200 and again.json()["duplicates"] == 1
    assert len(received(api)) == 1


async def test_an_auto_reply_is_answered_200_and_ignored(api: Api) -> None:
    await mailboxes(api)
    fields = {**fixture("mailgun_forward.json"), "Auto-Submitted": "auto-replied"}

    response = await api.client.post(PATH, data=signed(fields))

    assert response.status_code == 200 and response.json()["ignored"] == 1
    assert received(api) == []


FIELD_NAMES = [
    "recipient", "to", "from", "sender", "subject", "text", "html", "headers", "body-plain", "body-html",
    "stripped-text", "Message-Id", "In-Reply-To", "References", "message-headers", "envelope", "timestamp",
    "token", "signature", "Date", "Auto-Submitted",
]  # fmt: skip


@st.composite
def forms(draw: st.DrawFn) -> tuple[dict[str, str], bool]:
    fields = draw(st.dictionaries(st.sampled_from(FIELD_NAMES), st.text(max_size=200), max_size=12))
    if draw(st.booleans()):
        fields["recipient"] = draw(st.sampled_from([MAILGUN_BOX, f"X <{SENDGRID_BOX}>", "a@b", ""]))
    return fields, draw(st.booleans())


async def test_random_form_fields_never_give_a_server_error(api: Api) -> None:
    await mailboxes(api)
    cases: list[tuple[dict[str, str], bool]] = []

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(forms())
    def collect(case: tuple[dict[str, str], bool]) -> None:
        cases.append(case)

    collect()
    for fields, sign in cases:
        response = await api.client.post(PATH, data=signed(fields) if sign else fields)
        assert response.status_code < 500, (fields, response.text)


async def test_random_bodies_never_give_a_server_error(api: Api) -> None:
    await mailboxes(api)
    bodies: list[tuple[bytes, str]] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.binary(max_size=2000),
        st.sampled_from(
            [
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=xyz",
                "multipart/form-data",
                "application/json",
                "text/plain",
            ]
        ),
    )
    def collect(body: bytes, content_type: str) -> None:
        bodies.append((body, content_type))

    collect()
    for body, content_type in bodies:
        response = await api.client.post(PATH, content=body, headers={"Content-Type": content_type})
        assert response.status_code < 500, (body, content_type, response.text)


@pytest.mark.parametrize(
    ("external_id", "settings", "problem"),
    [
        ("Service@Telco.example", {}, "lower case"),
        ("not an address", {}, "lower case"),
        (MAILGUN_BOX, {"imap_host": "imap.telco.example", "imap_port": 0}, "imap_port"),
        (MAILGUN_BOX, {"imap_host": "imap.telco.example", "imap_ssl": "yes"}, "imap_ssl"),
        (MAILGUN_BOX, {"imap_host": "imap.telco.example", "poll_seconds": 0.5}, "poll_seconds"),
        (MAILGUN_BOX, {"imap_host": "imap telco", "poll_seconds": 30}, "imap_host"),
    ],
)
def test_unusable_mailbox_settings_are_refused(
    external_id: str, settings: dict[str, Any], problem: str
) -> None:
    with pytest.raises(Unprocessable, match=problem):
        email_channel.check_account(external_id, settings)


def test_mailbox_settings_have_defaults() -> None:
    email_channel.check_account(MAILGUN_BOX, {})  # a webhook-only mailbox
    box = imap.mailbox_settings({"imap_host": "imap.telco.example"}, address=MAILGUN_BOX)

    assert box is not None
    assert (box.port, box.ssl, box.username, box.folder, box.poll_seconds) == (
        993,
        True,
        MAILGUN_BOX,
        "INBOX",
        60,
    )
    assert imap.mailbox_settings({"imap_host": "h", "imap_ssl": False}, address="a@b") == imap.Mailbox(
        host="h", port=143, ssl=False, username="a@b", password="", folder="INBOX", poll_seconds=60
    )
