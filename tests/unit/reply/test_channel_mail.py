"""The mail sender against a real SMTP server on 127.0.0.1 (aiosmtpd): the reply arrives in the
customer's thread with its subject, In-Reply-To, References and a Message-ID that is the same on every
try; logins are made when the account has credentials; 4xx and lost connections are for now, 5xx,
refused logins and an unusable account for good."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from services.reply.adapters import DeliveryError, Outgoing
from services.reply.channels.base import DeliveryAccount
from services.reply.channels.mail import NO_SUBJECT, MailSender, reply_subject

USER = "support@acme.de"
PASSWORD = "s3cret-smtp-password"
# The test server takes logins over plain text, which aiosmtpd warns about.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

TEXT = "Hallo Frau Müller,\n\nIhr Paket ist unterwegs. Grüße aus Köln 📦\n\nIhr Acme-Team"


@dataclass
class Inbox:
    """An SMTP server's handler: keeps what it accepted, or answers RCPT or DATA as scripted."""

    mails: list[Envelope] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    rcpt_answer: str = ""
    data_answer: str = ""

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_answer:
            return self.rcpt_answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_answer:
            return self.data_answer
        self.mails.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        """Accept USER with PASSWORD only."""
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        if (login, password) != (USER, PASSWORD):
            return AuthResult(success=False, handled=False)
        self.logins.append(login)
        return AuthResult(success=True)

    def received(self) -> EmailMessage:
        """The one mail accepted, parsed."""
        assert len(self.mails) == 1
        content = self.mails[0].original_content
        assert content is not None
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def running(inbox: Inbox, **options: Any) -> Iterator[int]:
    """An SMTP server on 127.0.0.1 handing what it gets to `inbox`; its port."""
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    """A server without TLS and without logins."""
    handler = Inbox()
    with running(handler) as port:
        yield handler, port


@pytest.fixture
def guarded() -> Iterator[tuple[Inbox, int]]:
    """A server that takes mail only after a login (over plain text, as this is a test)."""
    handler = Inbox()
    with running(
        handler, authenticator=handler.authenticate, auth_required=True, auth_require_tls=False
    ) as port:
        yield handler, port


def account(port: int, /, **settings: str) -> DeliveryAccount:
    return DeliveryAccount(
        channel_account_id="acct-mail",
        tenant_id="acme",
        channel="email",
        settings={
            "host": "127.0.0.1",
            "port": str(port),
            "from_address": USER,
            "from_name": "Acme Kundenservice",
            "security": "none",
            **settings,
        },
    )


def outgoing(**changes: Any) -> Outgoing:
    message = Outgoing(
        reply_id="reply-1",
        tenant_id="acme",
        channel="email",
        channel_account_id="acct-mail",
        recipient="karla.mueller@example.org",
        in_reply_to="CAF=q7x2@mail.example.org",
        public=False,
        text=TEXT,
        idempotency_key="key-1",
        subject="Lieferung verspätet",
        references=("root-1@mail.example.org", "CAF=q7x2@mail.example.org", "<middle-2@acme.de>"),
    )
    return replace(message, **changes)


async def test_a_reply_arrives_in_the_customers_thread(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    message_id = await MailSender().send(outgoing(), account(port))
    envelope = handler.mails[0]
    assert (envelope.mail_from, envelope.rcpt_tos) == (USER, ["karla.mueller@example.org"])
    mail = handler.received()
    assert mail["From"].addresses[0].display_name == "Acme Kundenservice"
    assert mail["From"].addresses[0].addr_spec == USER
    assert mail["To"] == "karla.mueller@example.org"
    assert mail["Subject"] == "Re: Lieferung verspätet"
    assert mail["In-Reply-To"] == "<CAF=q7x2@mail.example.org>"
    assert mail["References"].split() == [
        "<root-1@mail.example.org>",
        "<middle-2@acme.de>",
        "<CAF=q7x2@mail.example.org>",
    ]
    assert mail["Message-ID"] == f"<{message_id}>"
    assert message_id.endswith("@acme.de")
    assert mail["Date"] is not None
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail.get_content().replace("\r\n", "\n").rstrip("\n") == TEXT  # CRLF on the wire


async def test_every_try_of_a_reply_carries_the_same_message_id(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    sender = MailSender()
    first = await sender.send(outgoing(), account(port))
    again = await sender.send(outgoing(), account(port))
    other = await sender.send(outgoing(idempotency_key="key-2"), account(port))
    assert first == again != other
    ids = [
        message_from_bytes(m.original_content or b"", policy=policy.default)["Message-ID"]
        for m in handler.mails
    ]
    assert ids == [f"<{first}>", f"<{first}>", f"<{other}>"]


async def test_a_mail_without_a_thread_has_no_threading_headers(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    await MailSender().send(outgoing(in_reply_to="", references=(), subject=""), account(port))
    mail = handler.received()
    assert mail["In-Reply-To"] is None
    assert mail["References"] is None
    assert mail["Subject"] == NO_SUBJECT


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Lieferung", "Re: Lieferung"),
        ("Re: Lieferung", "Re: Lieferung"),
        ("RE:Lieferung", "RE:Lieferung"),
        ("AW: Lieferung", "AW: Lieferung"),
        ("Aw: Lieferung", "Aw: Lieferung"),
        ("Reklamation", "Re: Reklamation"),
        ("  Frage\r\n zur Rechnung ", "Re: Frage zur Rechnung"),
        ("", NO_SUBJECT),
    ],
)
def test_re_is_added_to_a_subject_once(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


async def test_the_account_logs_in_when_it_has_credentials(guarded: tuple[Inbox, int]) -> None:
    handler, port = guarded
    sending = replace(account(port), credentials={"username": USER, "password": PASSWORD})
    await MailSender().send(outgoing(), sending)
    assert handler.logins == [USER]
    assert handler.received()["Subject"] == "Re: Lieferung verspätet"


async def test_a_refused_login_is_for_good_and_asks_to_fix_the_credentials(
    guarded: tuple[Inbox, int],
) -> None:
    handler, port = guarded
    sending = replace(account(port), credentials={"username": USER, "password": "wrong"})
    with pytest.raises(DeliveryError) as refused:
        await MailSender().send(outgoing(), sending)
    assert refused.value.permanent
    assert "535" in str(refused.value)
    assert "username and password" in str(refused.value)
    assert handler.mails == []


async def test_a_temporary_refusal_is_for_now(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    handler.data_answer = "450 try later"
    with pytest.raises(DeliveryError) as refused:
        await MailSender().send(outgoing(), account(port))
    assert not refused.value.permanent
    assert "450 try later" in str(refused.value)


async def test_an_unknown_mailbox_is_for_good_with_the_servers_words(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    handler.rcpt_answer = "550 no such user"
    with pytest.raises(DeliveryError) as refused:
        await MailSender().send(outgoing(), account(port))
    assert refused.value.permanent
    assert "550 no such user" in str(refused.value)


async def test_a_closed_port_is_for_now() -> None:
    with pytest.raises(DeliveryError) as refused:
        await MailSender(timeout=2).send(outgoing(), account(free_port()))
    assert not refused.value.permanent


async def test_starttls_against_a_server_without_it_is_for_good(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    with pytest.raises(DeliveryError) as refused:
        await MailSender().send(outgoing(), account(port, security="starttls"))
    assert refused.value.permanent
    assert "STARTTLS" in str(refused.value)
    assert handler.mails == []


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"port": "smtp"}, "port"),
        ({"security": "ssl"}, "security"),
        ({"from_address": "support"}, "from_address"),
        ({"host": ""}, "host"),
    ],
)
async def test_an_unusable_account_fails_for_good_naming_what_is_wrong(
    settings: dict[str, str], named: str
) -> None:
    with pytest.raises(DeliveryError) as refused:
        await MailSender().send(outgoing(), account(free_port(), **settings))
    assert refused.value.permanent
    assert named in str(refused.value)
