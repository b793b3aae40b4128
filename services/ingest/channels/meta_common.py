"""What the Meta (Facebook, Instagram) and WhatsApp webhooks share.

Meta checks a subscription with a GET carrying `hub.verify_token`, and signs every delivery with
`X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`. A delivery names its accounts
itself (a page, Instagram account or phone number id); it may carry several, even of different
tenants, so it is cut into one slice per account, each verified with that account's app secret and
accepted on its own.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import PlainTextResponse

from services.ingest import accounts, service
from services.ingest.accounts import Account
from services.ingest.channels.base import (
    DELIVERIES,
    EVENTS,
    Parsed,
    check_signature,
    decoded_json,
    from_epoch,
    text_of,
)
from services.ingest.models import DeliveryAccepted
from services.ingest.service import Raw, Source, UnknownAccount
from services.kit.deps import runtime
from services.kit.errors import Forbidden, Malformed, Unauthenticated, WebcareError
from services.kit.runtime import Runtime

log = logging.getLogger(__name__)

RuntimeDep = Annotated[Runtime, Depends(runtime("ingest"))]
SIGNATURE_HEADER = "X-Hub-Signature-256"
# Ids longer than the tables hold, or with control characters, are not Meta's: such an event is ignored.
MAX_ID = 256
MAX_KEY = 512
# A delivery naming more accounts than this is no app's batch; the rest are not looked up.
MAX_ACCOUNTS = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Meta's Unix times are seconds in some events and milliseconds in others (Messenger, entry.time).
_MILLIS_FROM = 100_000_000_000


def obj(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Any]:
    """A JSON array, or an empty one for anything else."""
    return value if isinstance(value, list) else []


def text(value: Any) -> str:
    """A channel's text, NFC; a lone surrogate (which no event can carry) becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text_of(value))


def ident(value: Any) -> str:
    """A channel id (string or integer) as text, or "" when it is none a table could hold."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value or len(value) > MAX_ID or _CONTROL.search(value):
        return ""
    return value if not _SURROGATE.search(value) else ""


def key(*parts: str) -> str:
    """A conversation key of these parts, or "" when one is missing or the key is too long."""
    joined = ":".join(parts)
    return joined if all(parts) and len(joined) <= MAX_KEY else ""


def number(value: Any) -> float:
    """A finite JSON number, or 0.0."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return 0.0
    try:
        result = float(value)
    except (ValueError, OverflowError):
        return 0.0
    return result if math.isfinite(result) else 0.0


def epoch(value: Any) -> datetime | None:
    """A Meta Unix time, in seconds or milliseconds (number or string), as an aware datetime."""
    seconds = number(value)
    if seconds <= 0:
        return None
    return from_epoch(seconds, millis=seconds >= _MILLIS_FROM)


def delivery_of(body: bytes, label: str) -> tuple[dict[str, Any], str]:
    """The JSON object of a delivery (UTF-8, as Meta sends it) and the object it is about; Malformed,
    counted under `label`, for anything else."""
    try:
        _, data = decoded_json(body)
        if not isinstance(data, dict):
            raise Malformed("the body is not a JSON object")
        name = data.get("object")
        if not isinstance(name, str):
            raise Malformed("the delivery names no object")
    except Malformed as exc:
        DELIVERIES.labels(label, exc.code).inc()
        raise
    return data, name


async def subscription_check(rt: Runtime, request: Request, channels: tuple[str, ...]) -> PlainTextResponse:
    """Answer Meta's subscription check: echo the challenge when the verify token is an account's."""
    params = request.query_params
    mode, token, challenge = (params.get(name) for name in ("hub.mode", "hub.verify_token", "hub.challenge"))
    if not mode or not token or challenge is None:
        raise Malformed("hub.mode, hub.verify_token and hub.challenge are required")
    if mode != "subscribe" or await accounts.find_by_verify_token(rt, channels, token) is None:
        raise Forbidden("the subscription is not confirmed")
    return PlainTextResponse(challenge)


@dataclass
class Slice:
    """The part of a delivery addressed to one account: Meta entries, or WhatsApp change values."""

    channel: str
    external_id: str
    parts: list[Any] = field(default_factory=list)


def sliced(addressed: Iterable[tuple[str, str, Any]]) -> list[Slice]:
    """Group (channel, account id, part) by account, in the order the delivery names them."""
    slices: dict[tuple[str, str], Slice] = {}
    for channel, external_id, part in addressed:
        slices.setdefault((channel, external_id), Slice(channel, external_id)).parts.append(part)
    return list(slices.values())


def signed_by(header: str | None, body: bytes, found: Mapping[tuple[str, str], Account]) -> set[str]:
    """Ids of the accounts whose app secret signed the body; Unauthenticated when none did."""
    if not header:
        raise Unauthenticated("the delivery has no valid signature", code="bad_signature")
    verdicts: dict[str, bool] = {}
    signed: set[str] = set()
    for account in found.values():
        secret = account.secret("app_secret")
        if secret and secret not in verdicts:
            verdicts[secret] = _signs(header, secret, body)
        if secret and verdicts[secret]:
            signed.add(account.id)
    if not signed:
        raise Unauthenticated("the delivery's signature does not match", code="bad_signature")
    return signed


def _signs(header: str, secret: str, body: bytes) -> bool:
    try:
        check_signature(header, secrets=[secret], body=body)
    except Unauthenticated:
        return False
    return True


async def receive(
    rt: Runtime,
    *,
    label: str,
    header: str | None,
    body: bytes,
    slices: list[Slice],
    ignored: int,
    parse: Callable[[Account, list[Any]], Parsed],
    raw_of: Callable[[Slice], str],
) -> DeliveryAccepted:
    """Verify a delivery's slices, then accept each account's part once, one account after another.

    Nothing is stored unless the signature is one of the named accounts' app secrets; slices of
    unregistered accounts, or of accounts whose secret did not sign it, are counted as ignored.
    """
    try:
        found = await _accounts(rt, slices)
        if not found:
            raise UnknownAccount(f"no {label} account is registered for this delivery")
        signed = signed_by(header, body, found)
    except WebcareError as exc:
        DELIVERIES.labels(label, exc.code).inc()
        raise
    answer = DeliveryAccepted(ignored=ignored)
    unclaimed = 0
    for part in slices:
        account = found.get((part.channel, part.external_id))
        if account is None or account.id not in signed:
            if account is not None:
                log.warning("%s delivery for account %s not signed with its app secret", label, account.id)
            unclaimed += len(part.parts)
            continue
        parsed = parse(account, part.parts)
        raw = Raw(body.decode() if len(slices) == 1 else raw_of(part))
        async with service.counted(account.channel):
            outcome = await service.accept(rt, Source.of(account), parsed, raw)
        answer.accepted += outcome.accepted
        answer.duplicates += outcome.duplicates
        answer.ignored += outcome.ignored
    # accept counted what the accounts' slices ignored; these are the delivery's own leftovers
    EVENTS.labels(label, "ignored").inc(ignored + unclaimed)
    answer.ignored += unclaimed
    return answer


async def _accounts(rt: Runtime, slices: list[Slice]) -> dict[tuple[str, str], Account]:
    found: dict[tuple[str, str], Account] = {}
    for part in slices[:MAX_ACCOUNTS]:
        account = await accounts.find(rt, part.channel, part.external_id)
        if account is not None:
            found[(part.channel, part.external_id)] = account
    return found


def ignored_object(label: str, data: dict[str, Any]) -> DeliveryAccepted:
    """The answer to a delivery of an object the platform does not take (the app may subscribe to more)."""
    count = max(len(items(data.get("entry"))), 1)
    EVENTS.labels(label, "ignored").inc(count)
    DELIVERIES.labels(label, "ignored").inc()
    return DeliveryAccepted(ignored=count)


def dumps(data: Any) -> str:
    """JSON for an account's slice of a delivery, kept for audit (ASCII, so nothing can fail to store)."""
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


def url(value: Any) -> str:
    """An http(s) address the channel gave, or ""."""
    address = text(value)
    return address if address.startswith(("https://", "http://")) and not _CONTROL.search(address) else ""


def once_each(parsed: Parsed) -> Parsed:
    """The parsed delivery with each message once: a repeat inside one delivery is counted as ignored."""
    seen: set[str] = set()
    messages = []
    for message in parsed.messages:
        if message.external_id not in seen:
            seen.add(message.external_id)
            messages.append(message)
    parsed.ignored += len(parsed.messages) - len(messages)
    parsed.messages = messages
    return parsed
