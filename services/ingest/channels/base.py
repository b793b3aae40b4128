"""What every channel adapter produces, and the checks they share.

An adapter verifies that a delivery came from the channel, then parses it into a `Parsed`: the
customer messages it carries (`Inbound`), the delivery receipts (`Receipt`), and a count of the
events the platform does not handle (answered 200 so the channel stops retrying, and counted).
`services.ingest.service.accept` stores and publishes a `Parsed` once, whatever the channel.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prometheus_client import Counter
from pydantic import ValidationError

from services.kit.errors import Malformed, Unauthenticated

DELIVERIES = Counter(
    "webcare_ingest_deliveries_total",
    "Channel deliveries by outcome (accepted, bad_signature, malformed, unknown_account, ...)",
    ["channel", "outcome"],
)
EVENTS = Counter(
    "webcare_ingest_channel_events_total",
    "Events inside deliveries by outcome (accepted, duplicate, ignored, own, not_matched, receipt)",
    ["channel", "outcome"],
)


_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Author:
    """The person who wrote, as the channel knows them."""

    id: str
    handle: str = ""
    name: str = ""
    follower_count: int = 0


@dataclass(frozen=True)
class Attachment:
    """Metadata of something attached; the content stays with the channel."""

    kind: str  # image | video | audio | document | sticker | location | contact | link | file
    mime_type: str = ""
    url: str = ""
    name: str = ""
    size: int = 0
    external_id: str = ""
    latitude: float = 0.0
    longitude: float = 0.0


@dataclass
class Inbound:
    """One customer message in a channel's delivery, normalised."""

    external_id: str  # the channel's id of the message
    conversation_key: str  # comment thread, DM pair, e-mail thread, review id, chat session
    author: Author
    text: str
    public: bool
    in_reply_to: str = ""
    sent_at: datetime | None = None
    attachments: list[Attachment] = field(default_factory=list)
    subject: str = ""
    rating: int = 0
    # Who the thread's customer is, when the channel says (the post's author); otherwise the first
    # author seen in the thread. Anyone else writing in a public thread is a community member.
    thread_owner: str | None = None
    # False for what listening heard (a feed item, a post that does not address the brand): it is
    # taken only when one of the tenant's monitoring rules matches.
    addressed: bool = True
    # A channel other than the account's own (Instagram comments arrive through a Meta page
    # subscription, e.g.); empty = the account's channel.
    channel: str = ""


@dataclass(frozen=True)
class Receipt:
    """A channel's report on a message the brand sent (delivered, read, failed)."""

    external_id: str
    status: str  # sent | delivered | read | failed
    recipient: str = ""
    reported_at: datetime | None = None
    reason: str = ""
    error_code: str = ""


@dataclass
class Parsed:
    """What a delivery carries."""

    messages: list[Inbound] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    ignored: int = 0  # events the platform does not handle
    own: int = 0  # the brand's own posts and echoes of its replies


def hmac_sha256(secret: str | bytes, body: bytes) -> bytes:
    """HMAC-SHA256 of a body."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, body, hashlib.sha256).digest()


def check_signature(
    header: str | None, *, secrets: list[str], body: bytes, prefix: str = "sha256=", encoding: str = "hex"
) -> None:
    """Raise Unauthenticated unless `header` is `prefix` + HMAC-SHA256(secret, body) for one secret.

    `encoding` is how the channel writes the digest: "hex" (Meta) or "base64" (X).
    """
    if not header or not header.startswith(prefix):
        raise Unauthenticated("the delivery has no valid signature", code="bad_signature")
    given = header[len(prefix) :].strip()
    for secret in secrets:
        digest = hmac_sha256(secret, body)
        expected = digest.hex() if encoding == "hex" else base64.b64encode(digest).decode()
        if hmac.compare_digest(given.encode(), expected.encode()):
            return
    raise Unauthenticated("the delivery's signature does not match", code="bad_signature")


def json_body(body: bytes) -> Any:
    """The JSON of a body, or Malformed."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed("the body is not valid JSON") from exc
    except RecursionError as exc:  # hostile nesting, e.g. 200,000 brackets
        raise Malformed("the body's JSON is nested too deeply") from exc


def decoded_json(body: bytes) -> tuple[str, Any]:
    """The body as UTF-8 text and as JSON (channels send UTF-8 JSON), or Malformed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Malformed("the body is not UTF-8") from exc
    return text, json_body(body)


def reasons(exc: ValidationError) -> str:
    """The first problems of a validation, readable, without echoing the input."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}"
        for error in exc.errors()[:3]
    )


def utc(value: datetime | None) -> datetime | None:
    """A time in UTC, or None when it cannot be one (year 1 at +01:00, e.g.)."""
    if value is None:
        return None
    try:
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        return None


def text_of(value: Any) -> str:
    """A channel's text, NFC-normalised; emoji, right-to-left text and other scripts stay intact.

    Lone surrogates (JSON may carry "\\ud800") become U+FFFD: no event could carry them.
    """
    if not isinstance(value, str):
        return ""
    return unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", value))


def from_epoch(value: Any, *, millis: bool = False) -> datetime | None:
    """A channel's Unix time (seconds, or milliseconds; number or string) as an aware datetime."""
    try:
        seconds = float(value) / (1000 if millis else 1)
        return datetime.fromtimestamp(seconds, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def from_iso(value: Any) -> datetime | None:
    """A channel's ISO 8601 time as an aware datetime (UTC when it names no zone)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
