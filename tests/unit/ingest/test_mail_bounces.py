"""E-mail bounces: delivery status notifications (Postfix, Exchange) and a mailer daemon's plain bounce
become receipts of the brand's mail, a delay is no failure, and no bounce is ever a customer message,
whether it arrives by IMAP or by the inbound-parse webhook."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest
from prometheus_client import REGISTRY
from webcare.v1 import replies_pb2

from services.ingest import accounts
from services.ingest.channels import imap
from services.ingest.channels.base import Parsed
from services.ingest.channels.mail import form_mail, parse_message, parsed_of
from services.kit.events import MESSAGE_RECEIVED, REPLY_EVENTS
from services.kit.runtime import Runtime
from tests.unit.conftest import Api
from tests.unit.ingest.test_email_webhook import KEY, MAILGUN_BOX, PATH, signed

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "ingest" / "email"
MAILBOX = "service@telco.example"
POSTFIX_ORIGINAL = "4f1c0e9a2b7d4c3e8a6f5b1d2c3e4f5a@telco.example"


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parsed(data: bytes) -> Parsed:
    return parsed_of(parse_message(data), mailbox=MAILBOX)


def bounces(outcome: str) -> float:
    value = REGISTRY.get_sample_value("webcare_ingest_email_bounces_total", {"outcome": outcome})
    return value or 0.0


def test_a_postfix_report_fails_the_original_mail_with_the_diagnostic_and_status_code() -> None:
    result = parsed(raw("bounce_postfix.eml"))

    assert result.messages == []
    [receipt] = result.receipts
    assert (receipt.external_id, receipt.status, receipt.error_code, receipt.recipient) == (
        POSTFIX_ORIGINAL,
        "failed",
        "5.1.1",
        "max.mustermann@kunde.example",
    )
    assert receipt.reason == (
        "Die E-Mail an max.mustermann@kunde.example wurde nicht zugestellt / The e-mail to "
        "max.mustermann@kunde.example could not be delivered: 550 5.1.1 <max.mustermann@kunde.example>: "
        "Recipient address rejected: User unknown in virtual mailbox table"
    )
    assert receipt.reported_at is not None and receipt.reported_at.isoformat() == "2024-03-13T09:16:02+00:00"


def test_an_exchange_report_names_the_original_from_its_attached_message() -> None:
    [receipt] = parsed(raw("bounce_exchange.eml")).receipts

    assert (receipt.external_id, receipt.status, receipt.error_code, receipt.recipient) == (
        "0b2d6e8f1a3c5e7f9b1d3f5a7c9e1b3d@telco.example",
        "failed",
        "5.1.10",
        "erika.musterfrau@kunde.example",
    )
    assert "RESOLVER.ADR.RecipientNotFound" in receipt.reason and "wurde nicht zugestellt" in receipt.reason


def test_a_delayed_report_is_no_failure_and_only_counted() -> None:
    before = bounces("delayed")

    result = parsed(raw("bounce_delayed.eml"))

    assert (result.messages, result.receipts, result.ignored) == ([], [], 1)
    assert bounces("delayed") == before + 1


@pytest.mark.parametrize("action", ["delivered", "relayed"])
def test_a_delivered_or_relayed_report_is_a_delivered_receipt(action: str) -> None:
    data = raw("bounce_postfix.eml").replace(b"Action: failed", f"Action: {action}".encode())

    [receipt] = parsed(data).receipts

    assert (receipt.external_id, receipt.status, receipt.reason) == (POSTFIX_ORIGINAL, "delivered", "")


def test_a_mailer_daemons_plain_bounce_is_read_from_its_quoted_headers() -> None:
    result = parsed(raw("bounce_mailer_daemon.eml"))  # no multipart/report, no Auto-Submitted

    assert result.messages == []
    [receipt] = result.receipts

    assert (receipt.external_id, receipt.status, receipt.error_code, receipt.recipient) == (
        "c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8@telco.example",
        "failed",
        "5.2.1",
        "jonas@kunde.example",
    )
    assert receipt.reason.endswith("550 5.2.1 <jonas@kunde.example>... Mailbox disabled for this recipient")


def test_a_malformed_bounce_is_counted_as_unmatched_and_ignored() -> None:
    before = bounces("unmatched")

    result = parsed(raw("bounce_malformed.eml"))

    assert (result.messages, result.receipts, result.ignored) == ([], [], 1)
    assert bounces("unmatched") == before + 1


def test_customer_mail_and_a_postmaster_writing_by_hand_are_no_bounces() -> None:
    assert parse_message(raw("thread_1.eml")).bounce is None
    by_hand = b"From: Postmaster <postmaster@kunde.example>\nSubject: Frage zum Vertrag\n\nHallo!\n"
    assert parse_message(by_hand).bounce is None
    assert len(parsed(by_hand).messages) == 1


# ------------------------------------------------------------------------- the inbound-parse webhook


async def mailbox(api: Api) -> None:
    await api.channel_account("email", MAILGUN_BOX, secrets={"signing_key": KEY})


def receipts(api: Api) -> list[replies_pb2.DeliveryReceipt]:
    return [e for e in api.published(REPLY_EVENTS) if isinstance(e, replies_pb2.DeliveryReceipt)]


def bounce_fields(**extra: str) -> dict[str, str]:
    return {
        "recipient": MAILGUN_BOX,
        "sender": "",
        "from": "MAILER-DAEMON@mx.telco.example (Mail Delivery System)",
        "subject": "Undelivered Mail Returned to Sender",
        "Content-Type": 'multipart/report; report-type=delivery-status; boundary="x"',
        "body-plain": "This is the mail system at host mx.telco.example.\n\nYour mail was not delivered.",
        **extra,
    }


async def test_a_bounce_posted_whole_by_the_webhook_is_a_receipt_and_no_message(api: Api) -> None:
    await mailbox(api)

    response = await api.client.post(
        PATH, data=signed(bounce_fields(**{"body-mime": raw("bounce_postfix.eml").decode()}))
    )

    assert response.status_code == 200, response.text
    assert api.published(MESSAGE_RECEIVED) == []
    [receipt] = receipts(api)
    assert (receipt.channel, receipt.external_id, receipt.status, receipt.error_code) == (
        "email",
        POSTFIX_ORIGINAL,
        "failed",
        "5.1.1",
    )
    assert "User unknown" in receipt.reason and receipt.recipient == "max.mustermann@kunde.example"


async def test_a_bounce_posted_as_fields_and_files_is_read_from_its_report_parts(api: Api) -> None:
    await mailbox(api)
    status = (
        b"Reporting-MTA: dns; mx.telco.example\n\nFinal-Recipient: rfc822; max.mustermann@kunde.example\n"
        b"Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n"
    )
    headers = f"From: service@telco.example\nMessage-ID: <{POSTFIX_ORIGINAL}>\n".encode()
    files: list[tuple[str, Any]] = [
        ("attachment-1", ("details.txt", status, "message/delivery-status")),
        ("attachment-2", ("headers.txt", headers, "text/rfc822-headers")),
    ]

    response = await api.client.post(PATH, data=signed(bounce_fields()), files=files)

    assert response.status_code == 200, response.text
    assert api.published(MESSAGE_RECEIVED) == []
    [receipt] = receipts(api)
    assert (receipt.external_id, receipt.status, receipt.error_code) == (POSTFIX_ORIGINAL, "failed", "5.1.1")


async def test_a_webhook_bounce_naming_no_original_is_counted_and_ignored(api: Api) -> None:
    await mailbox(api)
    before = bounces("unmatched")

    response = await api.client.post(PATH, data=signed(bounce_fields()))

    assert response.status_code == 200 and response.json()["ignored"] == 1
    assert api.published(MESSAGE_RECEIVED) == [] and receipts(api) == []
    assert bounces("unmatched") == before + 1


def test_a_form_bounce_falls_back_to_its_in_reply_to() -> None:
    fields = bounce_fields(**{"In-Reply-To": f"<{POSTFIX_ORIGINAL}>"})

    [receipt] = parsed_of(form_mail(fields), mailbox=MAILBOX).receipts

    assert (receipt.external_id, receipt.status) == (POSTFIX_ORIGINAL, "failed")


# --------------------------------------------------------------------------------------------- IMAP


class FakeSession:
    """An IMAP mailbox holding one bounce; remembers what was flagged as taken."""

    marked: list[bytes] = []

    def __init__(self, box: imap.Mailbox) -> None:
        self.aborted = False

    def open(self) -> list[bytes]:
        return [b"7"]

    def fetch(self, uid: bytes) -> bytes:
        return raw("bounce_exchange.eml")

    def mark(self, uid: bytes) -> None:
        FakeSession.marked.append(uid)

    def abort(self) -> None:
        self.aborted = True

    def close(self) -> None:
        pass


async def test_an_imap_bounce_is_a_receipt_no_message_and_taken(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt: Runtime = api.app.state.runtimes["ingest"]
    await imap.stop(rt)  # this test polls by hand
    await api.channel_account(
        "email", MAILBOX, secrets={"password": "secret"}, settings={"imap_host": "imap.telco.example"}
    )
    account = await accounts.find(rt, "email", MAILBOX)
    assert account is not None
    FakeSession.marked = []
    monkeypatch.setattr(imap, "_Session", FakeSession)

    assert await imap.poll_account(rt, account) == 1

    assert FakeSession.marked == [b"7"]
    assert api.published(MESSAGE_RECEIVED) == []
    [receipt] = receipts(api)
    assert (receipt.channel_account_id, receipt.external_id, receipt.status) == (
        account.id,
        "0b2d6e8f1a3c5e7f9b1d3f5a7c9e1b3d@telco.example",
        "failed",
    )
