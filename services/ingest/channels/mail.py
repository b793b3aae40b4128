"""E-mail, parsed: a MIME message or an inbound-parse form becomes an `Inbound` with the new text only.

Pure functions, shared by the IMAP poller and the inbound-parse webhook (only `parsed_of` counts the
bounces it reads). Nothing here raises on bad input: an undecodable header or part decodes as well as
it can, an unparsable date is no date. A bounce is read by `services.ingest.channels.bounce` into
receipts, never into a customer message.
Threading follows RFC 5322: the first Message-ID in References is the thread's root, else
In-Reply-To, else the message's own id, so every mail of a thread gets the same conversation key.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, message_from_string
from email.errors import MessageError
from email.header import decode_header
from email.message import Message
from email.parser import BytesHeaderParser, HeaderParser
from email.policy import compat32
from email.utils import collapse_rfc2231_value, getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from services.ingest.channels import bounce as bounces
from services.ingest.channels.base import Attachment, Author, Inbound, Parsed, text_of
from services.ingest.models import MAX_TEXT

CHANNEL = "email"
MAX_ID = 200  # longer Message-IDs are hashed, so ids and keys fit their columns
MAX_PARTS = 500
MAX_DEPTH = 20
MAX_ATTACHMENTS = 50
# Declared Latin-1 is in practice Windows-1252 (curly quotes, €): WHATWG decodes it so too.
CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}
_ID = re.compile(r"<([^<>\s]+)>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FOLD = re.compile(r"\r?\n[ \t]*")
_DOCUMENT_TYPES = ("application/pdf", "application/msword", "application/vnd.", "text/")
# RFC 3834 and the usual vendor headers of auto-replies and bulk mail: not a customer writing.
_AUTOMATIC = {"x-autoreply", "x-autorespond", "x-auto-response-suppress-all"}
# What the stdlib's lenient MIME classes raise on hostile input (found by fuzzing, not documented).
_BROKEN = (MessageError, ValueError, TypeError, LookupError, AttributeError, IndexError, AssertionError)


@dataclass
class Mail:
    """The parts of an e-mail that matter to ingest, decoded, whichever way it arrived."""

    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    sender: str = ""  # the From header as written ("Name <address>")
    subject: str = ""
    date: str = ""
    text: str = ""
    html: str = ""
    stripped: str = ""  # the provider's own new-text guess (Mailgun's stripped-text), a last resort
    attachments: list[Attachment] = field(default_factory=list)
    automatic: bool = False
    fingerprint: bytes = b""  # hashed into the id of a mail without a Message-ID
    bounce: bounces.Bounce | None = None  # the mail is a bounce of one the brand sent


def parse_message(raw: bytes) -> Mail:
    """A MIME message (RFC 5322 bytes) as a `Mail`; never raises."""
    try:
        message = message_from_bytes(raw, policy=compat32)
    except RecursionError:  # thousands of nested multiparts: the headers are all there is to read
        mail = _headers_of(BytesHeaderParser(policy=compat32).parsebytes(raw).raw_items())
        mail.fingerprint = raw
        return mail
    mail = _headers_of(message.raw_items())
    mail.fingerprint = raw
    texts: list[str] = []
    htmls: list[str] = []
    for part in _parts(message):
        kind = part.get_content_type()
        disposition = _raw_header(part, "content-disposition").split(";")[0].strip().lower()
        if kind in ("text/plain", "text/html") and disposition != "attachment":
            body = _decoded_body(part)
            if kind == "text/html":
                htmls.append(body)
            else:
                flowed = _param(part, "format") == "flowed"
                texts.append(unflow(body, delsp=_param(part, "delsp") == "yes") if flowed else body)
        elif kind == "multipart/report":
            mail.automatic = True  # a bounce or a read receipt
        elif len(mail.attachments) < MAX_ATTACHMENTS:
            mail.attachments.append(_attachment_of(part))
    mail.text = "\n".join(texts)
    mail.html = "\n".join(htmls)
    mail.bounce = bounces.bounce_of(bounces.evidence_of_message(message))
    return mail


def form_mail(
    fields: Mapping[str, str],
    attachments: Sequence[Attachment] = (),
    reports: Sequence[tuple[str, bytes]] = (),
) -> Mail:
    """The fields of an inbound-parse webhook (Mailgun or SendGrid naming) as a `Mail`.

    Header fields come from the form itself (Mailgun posts every MIME header as a field), then from
    Mailgun's `message-headers` (a JSON list of pairs) and SendGrid's raw `headers` block; the first
    one found wins. A bounce is read from the whole message when the form carries it (Mailgun's
    `body-mime`, SendGrid's raw `email`), else from the headers, the text and `reports`: the
    delivery-status and original-headers parts posted as files (content type, bytes).
    """
    lower = {name.lower(): value for name, value in reversed(list(fields.items()))}
    pairs: list[tuple[str, str]] = [(name, lower[name]) for name in _HEADER_FIELDS if name in lower]
    pairs += _json_pairs(lower.get("message-headers", ""))
    block = lower.get("headers", "")
    if block:
        pairs += HeaderParser(policy=compat32).parsestr(block).raw_items()
    mail = _headers_of(pairs)
    mail.sender = mail.sender or _header_text(lower.get("sender", ""))
    mail.subject = mail.subject or _header_text(lower.get("subject", ""))
    mail.text = lower.get("body-plain") or lower.get("text") or ""
    mail.html = lower.get("body-html") or lower.get("html") or ""
    mail.stripped = lower.get("stripped-text", "")
    mail.attachments = list(attachments)[:MAX_ATTACHMENTS]
    essentials = (mail.sender, mail.subject, mail.date, mail.text, mail.html)
    mail.fingerprint = "\x1f".join(essentials).encode("utf-8", "replace")
    mail.bounce = _form_bounce(lower, pairs, mail.text, reports)
    return mail


def _form_bounce(
    lower: Mapping[str, str],
    pairs: Sequence[tuple[str, str]],
    text: str,
    reports: Sequence[tuple[str, bytes]],
) -> bounces.Bounce | None:
    """The bounce an inbound-parse form is: from the whole MIME message when posted, else its parts."""
    whole = lower.get("body-mime") or lower.get("email") or ""
    if whole:
        try:
            found = bounces.bounce_of(
                bounces.evidence_of_message(message_from_string(whole, policy=compat32))
            )
        except RecursionError:
            found = None
        if found is not None:
            return found
    named = [(name, lower[name]) for name in _BOUNCE_FIELDS if name in lower]
    return bounces.bounce_of(bounces.evidence_of_form([*named, *pairs], text, reports))


_BOUNCE_FIELDS = ("content-type", "x-failed-recipients", "return-path")


def _json_pairs(value: str) -> list[tuple[str, str]]:
    """Mailgun's message-headers: a JSON list of [name, value] pairs; anything else is none."""
    try:
        items = json.loads(value) if value else []
    except (ValueError, RecursionError):
        return []
    if not isinstance(items, list):
        return []
    return [
        (item[0], item[1])
        for item in items
        if isinstance(item, list) and len(item) == 2 and all(isinstance(v, str) for v in item)
    ]


_HEADER_FIELDS = (
    "message-id",
    "in-reply-to",
    "references",
    "from",
    "subject",
    "date",
    "auto-submitted",
    "precedence",
    *sorted(_AUTOMATIC),
)


def inbound_of(mail: Mail) -> Inbound:
    """The customer message a mail carries: the new text only, threaded by its references."""
    own = message_key(mail.message_id) or "sha256:" + hashlib.sha256(mail.fingerprint).hexdigest()
    in_reply_to = message_key(mail.in_reply_to)
    root = message_key(mail.references[0]) if mail.references else in_reply_to
    name, address = parseaddr(mail.sender)
    address = _clean(address)[:256]
    body = mail.text if mail.text.strip() else html_to_text(mail.html)
    text = new_text(body) or text_of(mail.stripped).strip()
    return Inbound(
        external_id=own,
        conversation_key=f"{CHANNEL}:{root or own}",
        author=Author(
            id=address.lower() or _clean(mail.sender).lower()[:256] or "unknown",
            handle=address,
            name=_clean(_header_text(name))[:256],
        ),
        text=_clean(text, keep_lines=True)[:MAX_TEXT],
        public=False,
        in_reply_to=in_reply_to,
        sent_at=sent_at(mail.date),
        attachments=mail.attachments,
        subject=_clean(mail.subject)[:998],
    )


def parsed_of(mail: Mail, *, mailbox: str) -> Parsed:
    """What a mail to `mailbox` delivers: a customer message, the receipts of a bounce, or an ignored
    auto-reply, or our own mail."""
    if mail.bounce is not None:
        return bounces.parsed_of(mail.bounce, mailbox=mailbox)
    if mail.automatic:
        return Parsed(ignored=1)
    item = inbound_of(mail)
    if item.author.id == mailbox.strip().lower():
        return Parsed(own=1)
    return Parsed(messages=[item])


def message_ids(value: str) -> list[str]:
    """The Message-IDs in a header (References, In-Reply-To), without angle brackets, in order."""
    found = _ID.findall(value)
    if found:
        return [str(item) for item in found]
    bare = value.strip().split()
    return [bare[0]] if bare else []


def message_key(message_id: str) -> str:
    """A Message-ID as an id that fits a column: as written, or hashed when it is very long."""
    cleaned = re.sub(r"[\s<>]", "", _clean(message_id))
    if len(cleaned) <= MAX_ID:
        return cleaned
    return "sha256:" + hashlib.sha256(cleaned.encode()).hexdigest()


def addresses(value: str) -> list[str]:
    """The addresses in an address-list header ("Name <a@x>, b@y"), lower-case, in order."""
    found = []
    for _, address in getaddresses([_header_text(value)]):
        address = _clean(address).strip().lower()
        if "@" in address and address not in found:
            found.append(address)
    return found


def sent_at(value: str) -> datetime | None:
    """The time of a Date header, or None when it is not one."""
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _headers_of(items: Iterable[tuple[str, str]]) -> Mail:
    mail = Mail()
    seen: set[str] = set()
    for name, raw in items:
        key = name.strip().lower()
        if key in seen:
            continue
        seen.add(key)
        value = _header_text(raw)
        if key == "message-id":
            mail.message_id = next(iter(message_ids(value)), "")
        elif key == "in-reply-to":
            mail.in_reply_to = next(iter(message_ids(value)), "")
        elif key == "references":
            mail.references = message_ids(value)
        elif key == "from":
            mail.sender = _unfolded(raw)  # decoded after parsing, so a decoded comma splits nothing
        elif key == "subject":
            mail.subject = value
        elif key == "date":
            mail.date = value
        elif key == "auto-submitted":
            mail.automatic = mail.automatic or value.strip().lower() not in ("", "no")
        elif key == "precedence":
            mail.automatic = mail.automatic or value.strip().lower() in ("bulk", "junk", "auto_reply")
        elif key in _AUTOMATIC:
            mail.automatic = True
    return mail


def _parts(message: Message) -> Iterator[Message]:
    """The leaf parts, depth-first; an attached message is one part, not descended into."""
    stack: list[tuple[Message, int]] = [(message, 0)]
    count = 0
    while stack and count < MAX_PARTS:
        part, depth = stack.pop()
        count += 1
        kind = part.get_content_type()
        if part.is_multipart() and not kind.startswith("message/"):
            if kind == "multipart/report":
                yield part
            children = part.get_payload()
            if depth < MAX_DEPTH and isinstance(children, list):
                stack.extend((child, depth + 1) for child in reversed(children) if isinstance(child, Message))
            continue
        yield part


def _raw_header(part: Message, name: str) -> str:
    """A header as written (the parser's Header objects for 8-bit values have no string methods)."""
    return next((_unfolded(value) for key, value in part.raw_items() if key.lower() == name), "")


def _param(part: Message, name: str) -> str:
    try:
        value = part.get_param(name)
        if isinstance(value, tuple):
            value = collapse_rfc2231_value(value)
    except _BROKEN:
        return ""
    return str(value or "").strip().lower()


def _decoded_body(part: Message) -> str:
    """A text part's content as text, whatever its transfer encoding and charset claim."""
    try:
        payload = part.get_payload(decode=True)
    except _BROKEN:
        payload = None
    if not isinstance(payload, bytes):
        return ""
    try:
        charset = part.get_content_charset()
    except _BROKEN:
        charset = None
    return _bytes_text(payload, charset)


def _bytes_text(data: bytes, charset: str | None) -> str:
    """Bytes in a declared charset; a wrong or unknown one falls back to UTF-8, then Windows-1252."""
    names = []
    if charset:
        name = charset.strip().lower()
        names.append(CHARSET_ALIASES.get(name, name))
    names += ["utf-8", "cp1252"]
    for name in names:
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("cp1252", errors="replace")


def _attachment_of(part: Message) -> Attachment:
    kind = part.get_content_type()
    try:
        name = part.get_filename() or ""
    except _BROKEN:
        name = ""
    if not name and kind == "message/rfc822":
        name = "message.eml"
    try:
        payload = part.get_payload(decode=True)
    except _BROKEN:
        payload = None
    size = len(payload) if isinstance(payload, bytes) else 0
    return Attachment(kind=attachment_kind(kind), mime_type=kind, name=_header_text(name)[:256], size=size)


def attachment_kind(mime_type: str) -> str:
    """The attachment kind of a MIME type: image, video, audio, document or file."""
    major = mime_type.split("/", 1)[0]
    if major in ("image", "video", "audio"):
        return major
    return "document" if mime_type.startswith(_DOCUMENT_TYPES) else "file"


def _unfolded(value: object) -> str:
    text = _surrogates_decoded(value if isinstance(value, str) else str(value))
    return _FOLD.sub(" ", text).strip()


def _header_text(value: object) -> str:
    """A header value decoded: RFC 2047 encoded words, raw 8-bit bytes, folded lines."""
    text = _unfolded(value)
    if "=?" not in text:
        return text
    try:
        pieces = decode_header(text)
    except _BROKEN:
        return text
    decoded = []
    for piece, charset in pieces:
        decoded.append(piece if isinstance(piece, str) else _bytes_text(piece, charset))
    return "".join(decoded)


def _surrogates_decoded(text: str) -> str:
    """Raw 8-bit header bytes (kept as surrogates by the parser) decoded as UTF-8 or Windows-1252."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _bytes_text(text.encode("utf-8", "surrogateescape"), None)


def _clean(value: str, *, keep_lines: bool = False) -> str:
    """Text safe for every store: no NUL or control characters, no lone surrogates, NFC."""
    text = value.encode("utf-8", "replace").decode("utf-8")
    if keep_lines:
        text = text.replace("\x00", "")
    else:
        text = _CONTROL.sub("", text.replace("\r", " ").replace("\n", " ").replace("\t", " ")).strip()
    return text_of(text)


# ------------------------------------------------------------------------------ the new text only

# Where the quoted history starts: an attribution line ("On … wrote:", "Am … schrieb …:"), possibly
# wrapped over up to three lines by the client; a digit (the date) keeps "On Monday I wrote:" in.
_ATTRIBUTION_START = re.compile(r"^\s*(On|Am)\s", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"^\s*(On\s.{0,300}\swrote|Am\s.{0,300}\sschrieb(\s.{0,300})?)\s*:\s*$", re.IGNORECASE
)
_ATTRIBUTION_LATE = re.compile(
    r"^.{1,300}\s(schrieb am\s.{1,120}|hat am\s.{1,120}\sgeschrieben|wrote on\s.{1,120})\s*:\s*$",
    re.IGNORECASE,
)
_BARE_ATTRIBUTION = re.compile(r"^.{1,300}\s(wrote|schrieb|geschrieben)\s*:\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*(-{2,}|_{2,})?\s*(Original Message|Urspr(ü|ue)ngliche Nachricht|Original-?Nachricht|"
    r"Forwarded message|Weitergeleitete Nachricht|Begin forwarded message|"
    r"Anfang der weitergeleiteten (E-Mail|Nachricht))\s*:?\s*(-{2,}|_{2,})?\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\**(From|Von)\**\s*:", re.IGNORECASE)
_HEADER_OTHER = re.compile(
    r"^\s*\**(Sent|Date|To|Cc|Subject|Gesendet|Datum|An|Betreff)\**\s*:", re.IGNORECASE
)
_RULE = re.compile(r"^\s*_{8,}\s*$")
# Signatures: the RFC 3676 delimiter, a phone's line, a closing with a short block of name and contact.
_MOBILE = re.compile(
    r"^\s*(Sent from (my )?.{1,40}|Von meine[mr] .{1,40} gesendet|Gesendet von .{1,40}|"
    r"Get Outlook for .{1,30}|Outlook für .{1,30} (herunterladen|beziehen))\.?\s*$",
    re.IGNORECASE,
)
_GREETING = r"(gr(ü|ue)(ß|ss)e(n)?|gru(ß|ss))"
_CLOSING = re.compile(
    r"^\s*((vielen )?dank(e)?( und| &|,)?\s+|thanks?( you)?( and| &|,)?\s+)?("
    rf"(mit )?((freundliche|freundlichen|freundlichem|beste|besten|viele|vielen|liebe|lieben|"
    rf"herzliche|herzlichen|sch(ö|oe)ne|sch(ö|oe)nen|sonnige|gute)\s+)?{_GREETING}"
    r"|mfg|lg|vg|bg"
    r"|((best|kind|kindest|warm|warmest|many|with kind|with best)\s+)?regards|best wishes|cheers"
    r"|(yours\s+)?sincerely|yours (truly|faithfully)|best"
    r")[\s,.!]*(?-i:\s+[A-ZÄÖÜ][\w.'-]*(\s+[A-ZÄÖÜ][\w.'-]*){0,2})?[\s,.!]*$",
    re.IGNORECASE,
)
_SIGNATURE_LINES = 12  # a closing is followed by at most this many lines (name, role, contact)
_SIGNATURE_WIDTH = 100


def new_text(text: str) -> str:
    """The part of a mail body its writer wrote now: quoted history and signature removed.

    Knows German and English clients: attribution lines, "-----Original Message-----" separators,
    Outlook's From/Sent/To/Subject blocks, ">" quotes, the "-- " delimiter, phone signatures and
    closings ("Mit freundlichen Grüßen", "Best regards") with a short block after them. A reply
    written below the quote (bottom-posting) keeps its text; a mail that is nothing but a forward
    keeps everything, so there is always something to read.
    """
    lines = text_of(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    start, length, kind = _history_start(lines)
    if start is not None:
        if _has_content(lines[:start]):
            lines = lines[:start]
        elif kind == "attribution":
            lines = lines[start + length :]
    lines = [line for line in lines if not line.lstrip().startswith(">")]
    lines = _without_signature(lines)
    result = "\n".join(line.rstrip() for line in lines).strip("\n")
    if result.strip():
        return result
    return "\n".join(line.rstrip() for line in text_of(text).splitlines()).strip("\n")


def _history_start(lines: list[str]) -> tuple[int | None, int, str]:
    """Where the quoted history begins: (line, how many lines the marker spans, what kind)."""
    for i, line in enumerate(lines):
        if len(line) > 1000 or not line.strip() or line.lstrip().startswith(">"):
            continue
        if _ATTRIBUTION_START.match(line):
            for span in (1, 2, 3):
                joined = " ".join(part.strip() for part in lines[i : i + span])
                if _ATTRIBUTION.match(joined) and any(c.isdigit() for c in joined):
                    return i, span, "attribution"
        if _ATTRIBUTION_LATE.match(line) and any(c.isdigit() for c in line):
            return i, 1, "attribution"
        if _BARE_ATTRIBUTION.match(line) and _next_is_quote(lines, i):
            return i, 1, "attribution"
        if _SEPARATOR.match(line):
            return i, 1, "separator"
        if (_HEADER_FROM.match(line) or _RULE.match(line)) and _header_block_follows(lines, i):
            return i, 1, "separator"
    return None, 0, ""


def _next_is_quote(lines: list[str], i: int) -> bool:
    following = [line for line in lines[i + 1 : i + 3] if line.strip()]
    return bool(following) and following[0].lstrip().startswith(">")


def _header_block_follows(lines: list[str], i: int) -> bool:
    """An Outlook-style header block: From/Von, then at least two of Sent, To, Subject … close by."""
    window = lines[i : i + 10]
    has_from = any(_HEADER_FROM.match(line) for line in window)
    others = {m.group(1).lower() for line in window if (m := _HEADER_OTHER.match(line))}
    return has_from and len(others) >= 2


def _has_content(lines: list[str]) -> bool:
    return any(line.strip() and not line.lstrip().startswith(">") for line in lines)


def _without_signature(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if line == "-- " or (line.strip() == "--" and len(lines) - i <= 15):
            lines = lines[:i]
            break
    for i, line in enumerate(lines):
        if _MOBILE.match(line) and _short_block(lines[i + 1 :], limit=3) and _has_content(lines[:i]):
            lines = lines[:i]
            break
    for i, line in enumerate(lines):
        closing = len(line) <= _SIGNATURE_WIDTH and _CLOSING.match(line)
        if closing and _has_content(lines[:i]) and _short_block(lines[i + 1 :], limit=_SIGNATURE_LINES):
            return lines[:i]
    return lines


def _short_block(lines: list[str], *, limit: int) -> bool:
    filled = [line for line in lines if line.strip()]
    return len(filled) <= limit and all(len(line) <= _SIGNATURE_WIDTH for line in filled)


def unflow(text: str, *, delsp: bool = False) -> str:
    """Plain text sent as format=flowed (RFC 3676) with its soft line breaks joined again."""
    out: list[str] = []
    carry = ""
    carry_depth = -1
    for raw in text.replace("\r\n", "\n").split("\n"):
        stripped = raw.lstrip(">")
        depth = len(raw) - len(stripped)
        if stripped.startswith(" "):
            stripped = stripped[1:]  # space-stuffing
        if carry and depth != carry_depth:
            out.append(carry)
            carry = ""
        prefix = ">" * depth + (" " if depth else "")
        line = (carry or prefix) + stripped
        if stripped.endswith(" ") and stripped != "-- ":
            carry, carry_depth = (line[:-1] if delsp else line), depth
            continue
        out.append(line)
        carry = ""
    if carry:
        out.append(carry)
    return "\n".join(out)


# ------------------------------------------------------------------------------------ HTML as text

_SKIPPED = {"script", "style", "head", "title", "noscript", "template", "svg", "xml"}
_BLOCKS = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "section", "article", "header", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr", "dl", "dt", "dd", "address", "center",
}  # fmt: skip


class _TextOfHtml(HTMLParser):
    """Text of an HTML mail: blocks on their own lines, blockquotes as "> " lines, no scripts or styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = [(0, "")]
        self.skipping = 0
        self.quoting = 0
        self.pre = 0

    def _newline(self) -> None:
        self.lines.append((self.quoting, ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "blockquote":
            self.quoting += 1
            self._newline()
        elif tag in _BLOCKS:
            self.pre += tag == "pre"
            classes = " ".join(value or "" for name, value in attrs if name == "class").lower()
            self._newline()
            if "signature" in classes:  # Gmail's and Thunderbird's signature blocks
                self.lines.append((self.quoting, "-- "))
                self._newline()
            if tag == "li":
                self.handle_data("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.quoting = max(0, self.quoting - 1)
            self._newline()
        elif tag in _BLOCKS:
            self.pre = max(0, self.pre - (tag == "pre"))
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre:
            first, *rest = data.split("\n")
            self._add(first)
            for line in rest:
                self._newline()
                self._add(line)
            return
        self._add(re.sub(r"\s+", " ", data))

    def _add(self, data: str) -> None:
        depth, line = self.lines[-1]
        if not line or line == "-- ":
            data = data.lstrip() if not self.pre else data
            if line == "-- ":
                self._newline()
                depth, line = self.lines[-1]
        self.lines[-1] = (self.quoting if not line else depth, line + data)

    def text(self) -> str:
        out: list[str] = []
        for depth, line in self.lines:
            rendered = line if line == "-- " else line.rstrip()
            if not rendered and out and not out[-1]:
                continue  # one blank line is enough
            out.append(("> " * depth + rendered) if rendered else "")
        return "\n".join(out).strip("\n")


def html_to_text(html: str) -> str:
    """The readable text of an HTML body; scripts, styles and markup gone, entities decoded."""
    if not html.strip():
        return ""
    parser = _TextOfHtml()
    try:
        parser.feed(html)
        parser.close()
    # The stdlib parser's failures on hostile markup are not documented (AssertionError in old
    # versions, ValueError on bad character references): keep what was read up to there.
    except (AssertionError, ValueError, IndexError):
        pass
    return parser.text()
