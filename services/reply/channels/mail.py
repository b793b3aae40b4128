"""Replies by e-mail over SMTP, threaded into the customer's mail by In-Reply-To and References.

Settings: `host`, `port`, `from_address`, optional `from_name` and `security` (`starttls`, the
default, `tls` or `none`); credentials: `username` and `password` when the server wants a login.

SMTP has no idempotency key, but Message-ID serves as one: it is derived from the reply's idempotency
key, so every try of a reply carries the same Message-ID and receivers that drop duplicates keep one.
The sender returns that Message-ID without angle brackets, as ingest keys mails.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import ClassVar

import aiosmtplib

from services.reply.adapters import DeliveryError, Outgoing
from services.reply.channels.base import TIMEOUT_SECONDS, DeliveryAccount

CHANNEL = "email"
SECURITY = ("starttls", "tls", "none")
# The subject of an answer to a mail that had none.
NO_SUBJECT = "Ihre Nachricht an uns / Your message to us"
_ANSWER = re.compile(r"^\s*(re|aw)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Server:
    """Where and how an account hands its mail over."""

    host: str
    port: int
    security: str = "starttls"
    username: str | None = None
    password: str | None = None


class MailSender:
    """Sends replies as e-mail through the account's SMTP server."""

    channel: ClassVar[str] = CHANNEL
    settings: ClassVar[tuple[str, ...]] = ("host", "port", "from_address")
    credentials: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.timeout = timeout

    async def send(self, message: Outgoing, account: DeliveryAccount) -> str:
        """Hand the reply to the SMTP server; its Message-ID, without angle brackets."""
        server = server_of(account)
        from_address = account.settings.get("from_address", "").strip()
        mail = compose(message, from_address=from_address, from_name=account.settings.get("from_name", ""))
        try:
            await aiosmtplib.send(
                mail,
                sender=from_address,
                recipients=[parseaddr(message.recipient)[1]],
                hostname=server.host,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.security == "tls",
                start_tls=server.security == "starttls",
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPException as exc:
            raise refused(exc) from exc
        except OSError as exc:
            raise DeliveryError(f"could not reach the mail server: {exc}", permanent=False) from exc
        return str(mail["Message-ID"]).strip("<>")


def server_of(account: DeliveryAccount) -> Server:
    """The account's SMTP server, or a permanent DeliveryError naming what is wrong with it."""
    settings, credentials = account.settings, account.credentials
    security = settings.get("security", "starttls").strip().lower() or "starttls"
    if not settings.get("host"):
        raise _misconfigured("has no SMTP host")
    try:
        port = int(settings.get("port", ""))
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise _misconfigured(f"has no valid SMTP port ({settings.get('port', '')!r})")
    if security not in SECURITY:
        raise _misconfigured(f"has the security {security!r}; use one of {', '.join(SECURITY)}")
    username, password = credentials.get("username") or None, credentials.get("password") or None
    if (username is None) != (password is None):
        raise _misconfigured("has a username or a password, but not both")
    return Server(settings["host"], port, security, username, password)


def compose(message: Outgoing, *, from_address: str, from_name: str = "") -> EmailMessage:
    """The reply as a mail in the customer's thread, with a Message-ID that is the same on every try."""
    try:
        sender = Address(display_name=_one_line(from_name), addr_spec=from_address.strip())
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise _misconfigured(f"has no valid from_address ({from_address!r})") from exc
    recipient = parseaddr(message.recipient)[1]
    if "@" not in recipient or not sender.domain:
        raise DeliveryError(
            f"cannot mail {message.recipient!r} from {from_address!r}: not an e-mail address", permanent=True
        )
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = recipient
    mail["Subject"] = reply_subject(message.subject)
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail["Message-ID"] = f"<{message_id(message, domain=sender.domain)}>"
    thread = references(message)
    if thread:
        mail["In-Reply-To"] = thread[-1]
        mail["References"] = " ".join(thread)
    mail.set_content(message.text, charset="utf-8", cte="quoted-printable")
    return mail


def reply_subject(subject: str) -> str:
    """The subject with one "Re: " before it (none added to "Re:" or the German "AW:")."""
    subject = _one_line(subject)
    if not subject:
        return NO_SUBJECT
    return subject if _ANSWER.match(subject) else f"Re: {subject}"


def references(message: Outgoing) -> list[str]:
    """The thread's Message-IDs in angle brackets, oldest first, ending with the mail answered."""
    found: list[str] = []
    for raw in (*message.references, message.in_reply_to):
        bare = "".join(raw.split()).strip("<>")
        # ingest keys over-long Message-IDs by their hash, which no mail carries
        if not bare or bare.startswith("sha256:"):
            continue
        item = f"<{bare}>"
        if item in found:
            found.remove(item)
        found.append(item)
    return found


def message_id(message: Outgoing, *, domain: str) -> str:
    """The reply's Message-ID (no angle brackets): one per tenant and idempotency key."""
    key = f"{message.tenant_id}\n{message.idempotency_key or message.reply_id}"
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}"


def refused(exc: aiosmtplib.SMTPException) -> DeliveryError:
    """The DeliveryError for an SMTP failure: 4xx and lost connections are for now, 5xx for good."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        exc = exc.recipients[0]
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        said = f"{exc.code} {exc.message}".strip()
        if isinstance(exc, aiosmtplib.SMTPAuthenticationError) and exc.code >= 500:
            return DeliveryError(
                f"the mail server refused the login ({said}); fix the username and password of the "
                "delivery account",
                permanent=True,
            )
        if 500 <= exc.code < 600:
            return DeliveryError(f"the mail server refused the mail: {said}", permanent=True)
        return DeliveryError(f"the mail server answered {said} (try again later)", permanent=False)
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected | aiosmtplib.SMTPConnectError | TimeoutError):
        return DeliveryError(f"could not reach the mail server: {exc.message}", permanent=False)
    return DeliveryError(
        f"the mail server cannot serve the account: {exc.message}; check its security setting and "
        "credentials",
        permanent=True,
    )


def _misconfigured(problem: str) -> DeliveryError:
    return DeliveryError(f"the e-mail delivery account {problem}", permanent=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())
