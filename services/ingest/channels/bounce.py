"""E-mail bounces read as delivery receipts of the mails the brand sent.

A delivery status notification (RFC 3464: `multipart/report; report-type=delivery-status`) reports
each recipient in a `message/delivery-status` part (`Action`, `Status`, `Diagnostic-Code`,
`Final-Recipient`) and carries the original's headers in a `message/rfc822` or `text/rfc822-headers`
part, whose Message-ID is the id reply recorded when it sent the mail. A mailer daemon's plain bounce
(From MAILER-DAEMON or postmaster) is read as well as it can be: the original Message-ID from an
attached or quoted header block, or from the bounce's In-Reply-To. `Action: failed` becomes a failed
receipt, `delivered` and `relayed` a delivered one; `delayed` is no failure and only counted. A bounce
is never a customer message; one that names no original Message-ID is counted, logged and ignored.
Nothing here raises on bad input.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.errors import MessageError
from email.message import Message
from email.parser import BytesHeaderParser, HeaderParser
from email.policy import compat32
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from prometheus_client import Counter

from services.ingest.channels.base import Parsed, Receipt, text_of

log = logging.getLogger(__name__)

BOUNCES = Counter(
    "webcare_ingest_email_bounces_total",
    "Recipients reported in e-mail bounces by outcome (failed, delivered, delayed, other), and bounces "
    "that name no original Message-ID (unmatched)",
    ["outcome"],
)

STATUS_TYPES = ("message/delivery-status", "message/global-delivery-status")
ORIGINAL_TYPES = ("message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers")
REPORT_TYPES = STATUS_TYPES + ORIGINAL_TYPES  # the parts of a bounce that the form of a webhook may carry
DAEMONS = ("mailer-daemon", "postmaster")
MAX_PARTS = 200
MAX_REPORT_BYTES = 1024 * 1024
MAX_REASON = 1000
# Actions (RFC 3464 2.3.3) and the receipt status each becomes; `delayed` becomes none.
RECEIPT_OF = {"failed": "failed", "delivered": "delivered", "relayed": "delivered", "expanded": "delivered"}
_ID = re.compile(r"<([^<>\s]+)>")
_CODE = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
_FAILURE_CODE = re.compile(r"\b[45]\.\d{1,3}\.\d{1,3}\b")
_SMTP_REPLY = re.compile(r"\b[45]\d\d\b")
_HEADER_LINE = re.compile(r"^([ \t>]*)[A-Za-z][A-Za-z0-9-]*:")
_DELAYED = re.compile(
    r"delay|will (be )?retr|still (be )?trying|not (yet )?been delivered|verzögert|noch nicht zugestellt",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery|failure|returned|rejected|unzustellbar|zustellung|nicht zugestellt",
    re.IGNORECASE,
)
# What the stdlib's lenient MIME classes raise on hostile input (as in services.ingest.channels.mail).
_BROKEN = (MessageError, ValueError, TypeError, LookupError, AttributeError, IndexError, AssertionError)


@dataclass(frozen=True)
class Report:
    """What a bounce says about one recipient of the original mail."""

    action: str  # failed | delayed | delivered | relayed | expanded, lower case
    status: str = ""  # the enhanced status code, e.g. 5.1.1
    recipient: str = ""
    diagnostic: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class Bounce:
    """A bounce: the Message-ID of the mail it is about ("" when it names none) and its reports."""

    original_id: str
    reports: tuple[Report, ...]
    own_id: str = ""  # the bounce's own Message-ID, for the log
    date: datetime | None = None


@dataclass
class Evidence:
    """What a mail shows of being a bounce, whichever way it arrived (MIME, or an inbound-parse form)."""

    head: Message  # the mail's own headers
    text: str = ""  # its human-readable text
    status_blocks: list[Message] = field(default_factory=list)  # of message/delivery-status parts
    originals: list[Message] = field(default_factory=list)  # the original's headers


def evidence_of_message(message: Message) -> Evidence:
    """The bounce evidence of a parsed MIME message."""
    evidence = Evidence(head=message)
    texts: list[str] = []
    try:
        for part in _parts(message):
            kind = part.get_content_type()
            if kind in STATUS_TYPES:
                evidence.status_blocks += _status_blocks(part)
            elif kind in ORIGINAL_TYPES:
                evidence.originals += _original_headers(part)
            elif kind == "text/plain" and not _is_attachment(part):
                texts.append(_text(part))
    except _BROKEN as exc:  # what was read so far is the evidence
        log.info("email: a part of a possible bounce is unreadable: %r", exc)
    evidence.text = "\n".join(texts)
    return evidence


def evidence_of_form(
    headers: Iterable[tuple[str, str]], text: str, parts: Sequence[tuple[str, bytes]]
) -> Evidence:
    """The bounce evidence of an inbound-parse form: its header fields, its text, and the report parts
    it posted as files (content type, bytes)."""
    head = Message()
    for name, value in headers:
        head[name] = value
    evidence = Evidence(head=head, text=text)
    for kind, data in parts:
        if kind in STATUS_TYPES:
            evidence.status_blocks += _blocks(data[:MAX_REPORT_BYTES].decode("utf-8", "replace"))
        elif kind in ORIGINAL_TYPES:
            evidence.originals.append(BytesHeaderParser(policy=compat32).parsebytes(data[:MAX_REPORT_BYTES]))
    return evidence


def bounce_of(evidence: Evidence) -> Bounce | None:
    """The bounce a mail is, or None when it is none (a customer's mail, an auto-reply, a read receipt)."""
    try:
        head = evidence.head
        standard = head.get_content_type() == "multipart/report" and _report_type(head) == "delivery-status"
        if not standard and not _from_daemon(evidence):
            return None
        reports = [report for block in evidence.status_blocks if (report := _report(block)) is not None]
        if not reports:
            reports = [_guessed(evidence)]
        return Bounce(
            original_id=_original_id(evidence),
            reports=tuple(reports),
            own_id=_bare_id(_header(head, "message-id")),
            date=_date(_header(head, "date")),
        )
    except _BROKEN as exc:  # undocumented failures of the stdlib's classes: no bounce to read
        log.warning("email: cannot read a possible bounce: %r", exc)
        return None


def parsed_of(bounce: Bounce, *, mailbox: str) -> Parsed:
    """The receipts of a bounce to `mailbox`; counted, and logged when it cannot be matched or is moot."""
    if not bounce.original_id:
        BOUNCES.labels("unmatched").inc()
        log.warning(
            "email: a bounce to %s (Message-ID %r) names no original Message-ID; ignored",
            mailbox,
            bounce.own_id,
        )
        return Parsed(ignored=1)
    parsed = Parsed()
    for report in bounce.reports:
        status = RECEIPT_OF.get(report.action)
        BOUNCES.labels(status or ("delayed" if report.action == "delayed" else "other")).inc()
        if status is None:
            continue
        parsed.receipts.append(
            Receipt(
                external_id=bounce.original_id,
                status=status,
                recipient=report.recipient,
                reported_at=report.at or bounce.date,
                reason=reason(report) if status == "failed" else "",
                error_code=report.status,
            )
        )
    if not parsed.receipts:
        log.info(
            "email: a bounce to %s about %s reports no failure or delivery (%s); ignored",
            mailbox,
            bounce.original_id,
            ", ".join(report.action or "no action" for report in bounce.reports),
        )
        parsed.ignored = 1
    return parsed


def reason(report: Report) -> str:
    """Why a mail failed, for the agent, in German and English."""
    to = f" an {report.recipient}" if report.recipient else ""
    to_en = f" to {report.recipient}" if report.recipient else ""
    said = report.diagnostic or (f"status {report.status}" if report.status else "")
    text = f"Die E-Mail{to} wurde nicht zugestellt / The e-mail{to_en} could not be delivered"
    return (f"{text}: {said}" if said else text)[:MAX_REASON]


# ------------------------------------------------------------------------------------ the pieces


def _parts(message: Message) -> Iterator[Message]:
    """The parts of a mail, depth-first; an attached message is one part, not descended into."""
    stack = [message]
    count = 0
    while stack and count < MAX_PARTS:
        part = stack.pop()
        count += 1
        kind = part.get_content_type()
        if kind.startswith("multipart/"):
            children = part.get_payload()
            if isinstance(children, list):
                stack.extend(child for child in reversed(children) if isinstance(child, Message))
            continue
        yield part


def _status_blocks(part: Message) -> list[Message]:
    """The field blocks of a delivery-status part: per message first, then per recipient."""
    payload = part.get_payload()
    if isinstance(payload, list):  # the stdlib parses message/delivery-status into its blocks
        return [block for block in payload if isinstance(block, Message)]
    return _blocks(_text(part))  # encoded, or message/global-delivery-status: read here


def _blocks(text: str) -> list[Message]:
    """The blank-line separated field blocks of a delivery-status text, parsed."""
    blocks = re.split(r"\r?\n[ \t]*\r?\n", text.strip())
    return [HeaderParser(policy=compat32).parsestr(block) for block in blocks if block.strip()]


def _original_headers(part: Message) -> list[Message]:
    """The original mail's headers, from an attached message or a headers part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [item for item in payload[:1] if isinstance(item, Message)]
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return []
    return [BytesHeaderParser(policy=compat32).parsebytes(data[:MAX_REPORT_BYTES])]


def _report(block: Message) -> Report | None:
    """A per-recipient block as a report; None for the per-message block."""
    action = _header(block, "action").split(" ")[0].strip().lower()
    status = _CODE.search(_header(block, "status"))
    recipient = _typed(_header(block, "final-recipient")) or _typed(_header(block, "original-recipient"))
    if not action and not recipient and status is None:
        return None
    code = status.group(0) if status else ""
    if not action:
        action = {"5": "failed", "4": "delayed", "2": "delivered"}.get(code[:1], "")
    return Report(
        action=action,
        status=code,
        recipient=_address(recipient),
        diagnostic=_typed(_header(block, "diagnostic-code")),
        at=_date(_header(block, "last-attempt-date")),
    )


def _guessed(evidence: Evidence) -> Report:
    """The report of a bounce without a readable delivery-status part, from its text and headers."""
    text = evidence.text
    found = _FAILURE_CODE.search(text)
    code = found.group(0) if found else ""
    delayed = not code.startswith("5") and _DELAYED.search(f"{_header(evidence.head, 'subject')}\n{text}")
    failed = _addresses(_header(evidence.head, "x-failed-recipients"))
    original_to = [a for headers in evidence.originals for a in _addresses(_header(headers, "to"))]
    quoted = _quoted_headers(text)
    quoted_to = _addresses(_header(quoted, "to")) if quoted is not None else []
    recipients = failed or original_to or quoted_to
    return Report(
        action="delayed" if delayed else "failed",
        status=code,
        recipient=recipients[0] if recipients else "",
        diagnostic=_diagnostic_line(text, code),
    )


def _diagnostic_line(text: str, code: str) -> str:
    """The line of a bounce's text that says why: the one with the status code or an SMTP reply."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for line in lines:
        if line and ((code and code in line) or _SMTP_REPLY.search(line)):
            return line[:500]
    return next((line[:500] for line in lines if line), "")


def _original_id(evidence: Evidence) -> str:
    """The original's Message-ID: attached headers, then a quoted header block, then In-Reply-To."""
    for headers in evidence.originals:
        found = _bare_id(_header(headers, "message-id"))
        if found:
            return found
    quoted = _quoted_headers(evidence.text)
    if quoted is not None:
        found = _bare_id(_header(quoted, "message-id"))
        if found:
            return found
    return _bare_id(_header(evidence.head, "in-reply-to"))


def _quoted_headers(text: str) -> Message | None:
    """The first header block quoted in a bounce's text that has a Message-ID, parsed."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start = _HEADER_LINE.match(lines[i])
        if start is None:
            i += 1
            continue
        prefix, block = start.group(1), []
        while i < len(lines) and lines[i].startswith(prefix) and lines[i][len(prefix) :].strip():
            rest = lines[i][len(prefix) :]
            if not (_HEADER_LINE.match(rest) or rest[:1] in (" ", "\t")):
                break
            block.append(rest)
            i += 1
        if any(line.lower().startswith("message-id:") for line in block):
            return HeaderParser(policy=compat32).parsestr("\n".join(block) + "\n\n")
        i += 0 if block else 1
    return None


def _from_daemon(evidence: Evidence) -> bool:
    """Whether a mail comes from a mailer daemon; postmaster only with some sign of a bounce."""
    head = evidence.head
    local = parseaddr(_header(head, "from"))[1].split("@")[0].lower()
    if local == "mailer-daemon":
        return True
    if local != "postmaster":
        return False
    return bool(
        evidence.status_blocks
        or evidence.originals
        or _header(head, "x-failed-recipients")
        or _header(head, "return-path").strip() == "<>"
        or _header(head, "auto-submitted").strip().lower() not in ("", "no")
        or _BOUNCE_SUBJECT.search(_header(head, "subject"))
    )


def _report_type(head: Message) -> str:
    value = head.get_param("report-type")
    return value.strip().lower() if isinstance(value, str) else ""


def _is_attachment(part: Message) -> bool:
    return _header(part, "content-disposition").split(";")[0].strip().lower() == "attachment"


def _header(message: Message, name: str) -> str:
    """A header's first value as one line of text ("" when missing)."""
    for key, value in message.raw_items():
        if key.strip().lower() == name:
            return text_of(" ".join(str(value).split()))
    return ""


def _text(part: Message) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return data[:MAX_REPORT_BYTES].decode(charset, "replace")
    except LookupError:
        return data[:MAX_REPORT_BYTES].decode("utf-8", "replace")


def _typed(value: str) -> str:
    """A typed DSN field ("rfc822; a@b", "smtp; 550 ...") without its type."""
    return value.split(";", 1)[1].strip() if ";" in value else value.strip()


def _address(value: str) -> str:
    return value.strip().strip("<>").strip()[:256]


def _addresses(value: str) -> list[str]:
    return [address for _, address in getaddresses([value]) if "@" in address]


def _bare_id(value: str) -> str:
    """A Message-ID without angle brackets, as reply records the Message-ID of a mail it sent."""
    found = _ID.search(value)
    if found:
        return found.group(1)
    bare = value.strip().split()
    return bare[0].strip("<>") if bare else ""


def _date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    try:
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        return None
