"""The review-site adapters: POST /v1/webhooks/reviews/{provider}, provider `trustpilot` or `generic`.

A review is a public message with its stars and title; the review is its own conversation and the
reviewer its customer. The account is the review profile (channel `review`, external id = the
profile's id, Trustpilot's business unit id) with the secret `webhook_secret`.

- generic: one review as JSON, signed `X-Webcare-Signature: sha256=<hex HMAC-SHA256(webhook_secret,
  timestamp + "." + body)>` with the Unix time in `X-Webcare-Timestamp`; an old or future timestamp
  is refused as a replay.
- trustpilot: Trustpilot's service-review webhook ({"events": [{"eventName", "eventData"}]}).
  Trustpilot documents no signature and its payload names no business unit, so the subscription URL
  carries both: `?profile=<business unit id>&token=<webhook_secret>`. Only service-review-created is a
  message; updated and deleted reviews are answered 200 and counted as ignored (their payload is not
  documented, and a revised review must not replace what the agent already answered).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from pydantic import Field as PydanticField

from services.ingest import accounts, service
from services.ingest.accounts import Account
from services.ingest.channels.base import (
    Attachment,
    Author,
    Inbound,
    Parsed,
    decoded_json,
    reasons,
    text_of,
    utc,
)
from services.ingest.config import ingest_settings
from services.ingest.models import DeliveryAccepted
from services.ingest.service import Raw, Source, UnknownAccount
from services.kit.deps import runtime
from services.kit.errors import Malformed, NotFound, Unauthenticated
from services.kit.runtime import Runtime

CHANNEL = "review"
PROVIDERS = ("trustpilot", "generic")
WEBHOOK_KEY = "webhook_secret"  # the account secret that signs deliveries
TIMESTAMP = "x-webcare-timestamp"
SIGNATURE = "x-webcare-signature"
CREATED = "service-review-created"
# Ids go into keys and indexed columns: printable, bounded.
ID_PATTERN = r"^[^\x00-\x1f\x7f]{1,200}$"
ID = re.compile(ID_PATTERN)

RuntimeDep = Annotated[Runtime, Depends(runtime("ingest"))]
ReviewId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Stars = Annotated[int, PydanticField(ge=1, le=5)]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow")


class Reviewer(_Shape):
    """Who wrote the review."""

    id: ReviewId
    name: str | None = None


class GenericReview(_Shape):
    """A review from any site, as an integration relays it."""

    profile: ReviewId
    review_id: ReviewId
    rating: Stars
    title: str | None = None
    text: str | None = None
    reviewer: Reviewer
    url: str | None = None
    created_at: datetime | None = None
    language: str | None = None


class Consumer(_Shape):
    """A Trustpilot consumer, as the webhook names them."""

    id: ReviewId
    name: str | None = None


class TrustpilotReview(_Shape):
    """The eventData of Trustpilot's service-review-created."""

    id: ReviewId
    stars: Stars
    title: str | None = None
    text: str | None = None
    language: str | None = None
    createdAt: datetime | None = None  # Trustpilot's name
    link: str | None = None
    consumer: Consumer


class TrustpilotEvent(_Shape):
    eventName: str  # Trustpilot's name
    eventData: Any = None


class TrustpilotDelivery(_Shape):
    """A Trustpilot webhook delivery."""

    events: list[TrustpilotEvent]


def router() -> APIRouter:
    """The review routes."""
    api = APIRouter(tags=["channels"])

    @api.post(
        "/webhooks/reviews/{provider}",
        summary="Take a review from a review site",
        description="`generic`: one review, signed with `X-Webcare-Timestamp` and `X-Webcare-Signature: "
        'sha256=<hex HMAC-SHA256(webhook_secret, timestamp + "." + body)>`. `trustpilot`: Trustpilot\'s '
        "service-review webhook, subscribed as `...?profile=<business unit id>&token=<webhook_secret>`.",
        openapi_extra={"requestBody": {"content": {"application/json": {"example": _EXAMPLE}}}},
    )
    async def deliver(
        request: Request,
        rt: RuntimeDep,
        provider: Annotated[str, Path(max_length=32, description="trustpilot or generic")],
        profile: Annotated[str | None, Query(description="Trustpilot: the business unit id")] = None,
        token: Annotated[str | None, Query(description="Trustpilot: the account's webhook_secret")] = None,
    ) -> DeliveryAccepted:
        async with service.counted(CHANNEL):
            body = await request.body()
            content_type = request.headers.get("content-type") or "application/json"
            if provider == "generic":
                return await receive_generic(rt, body, request.headers, content_type)
            if provider == "trustpilot":
                return await receive_trustpilot(rt, body, profile, token, content_type)
            raise NotFound(f"no review provider {provider!r}; known: {', '.join(PROVIDERS)}")

    return api


async def receive_generic(rt: Runtime, body: bytes, headers: Any, content_type: str) -> DeliveryAccepted:
    """Verify a generic review delivery, then store and announce the review."""
    text, data = decoded_json(body)
    profile = data.get("profile") if isinstance(data, dict) else None
    if not isinstance(profile, str) or not ID.match(profile):
        raise Malformed("the review names no profile")
    account = await _account(rt, profile)
    _verify_generic(rt, account, body, headers)
    try:
        review = GenericReview.model_validate(data)
    except ValidationError as exc:
        raise Malformed(f"the review does not have the generic shape: {reasons(exc)}") from exc
    inbound = _review(
        "generic",
        review_id=review.review_id,
        rating=review.rating,
        title=review.title,
        text=review.text,
        author=Author(id=review.reviewer.id, name=text_of(review.reviewer.name)),
        url=review.url,
        created_at=review.created_at,
    )
    outcome = await service.accept(
        rt, Source.of(account), Parsed(messages=[inbound]), Raw(text, content_type)
    )
    return outcome.answer()


async def receive_trustpilot(
    rt: Runtime, body: bytes, profile: str | None, token: str | None, content_type: str
) -> DeliveryAccepted:
    """Verify a Trustpilot delivery by its URL token, then store and announce its new reviews."""
    if not profile or not ID.match(profile):
        raise Malformed("the Trustpilot webhook URL needs ?profile=<business unit id>&token=<webhook_secret>")
    account = await _account(rt, profile)
    secret = account.secret(WEBHOOK_KEY)
    if not token or not secret or not hmac.compare_digest(token.encode(), secret.encode()):
        raise Unauthenticated("the webhook URL's token does not match", code="bad_signature")
    text, data = decoded_json(body)
    try:
        delivery = TrustpilotDelivery.model_validate(data)
        parsed = Parsed()
        for event in delivery.events:
            if event.eventName != CREATED:
                parsed.ignored += 1
                continue
            review = TrustpilotReview.model_validate(event.eventData)
            parsed.messages.append(
                _review(
                    "trustpilot",
                    review_id=review.id,
                    rating=review.stars,
                    title=review.title,
                    text=review.text,
                    author=Author(id=review.consumer.id, name=text_of(review.consumer.name)),
                    url=review.link,
                    created_at=review.createdAt,
                )
            )
    except ValidationError as exc:
        raise Malformed(f"the delivery does not have Trustpilot's shape: {reasons(exc)}") from exc
    outcome = await service.accept(rt, Source.of(account), parsed, Raw(text, content_type))
    return outcome.answer()


async def _account(rt: Runtime, profile: str) -> Account:
    account = await accounts.find(rt, CHANNEL, profile)
    if account is None:
        raise UnknownAccount(f"no review profile {profile!r} is registered")
    return account


def _verify_generic(rt: Runtime, account: Account, body: bytes, headers: Any) -> None:
    """Check the signature over timestamp + "." + body, and that the timestamp is recent."""
    secret = account.secret(WEBHOOK_KEY)
    stamp = headers.get(TIMESTAMP) or ""
    signature = headers.get(SIGNATURE) or ""
    if not secret or not stamp or not signature.startswith("sha256="):
        raise Unauthenticated("the delivery has no valid signature", code="bad_signature")
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature[len("sha256=") :].strip().encode(), expected.encode()):
        raise Unauthenticated("the delivery's signature does not match", code="bad_signature")
    try:
        sent = int(stamp)
    except ValueError as exc:
        raise Unauthenticated("X-Webcare-Timestamp is not a Unix time", code="bad_signature") from exc
    if abs(time.time() - sent) > ingest_settings(rt.settings).webhook_max_age_seconds:
        raise Unauthenticated("the delivery's timestamp is too old or in the future", code="replayed")


def _review(
    provider: str,
    *,
    review_id: str,
    rating: int,
    title: str | None,
    text: str | None,
    author: Author,
    url: str | None,
    created_at: datetime | None,
) -> Inbound:
    subject = text_of(title)
    return Inbound(
        external_id=review_id,
        conversation_key=f"review:{provider}:{review_id}",
        author=author,
        text=text_of(text) or subject,
        public=True,
        sent_at=utc(created_at),
        attachments=[Attachment(kind="link", url=url)] if url else [],
        subject=subject,
        rating=rating,
        thread_owner=author.id,
    )


_EXAMPLE: dict[str, Any] = json.loads(
    """{"profile": "telco-de", "review_id": "r-20261123-0042", "rating": 1,
    "title": "Seit drei Tagen kein Internet", "text": "Niemand meldet sich, die Hotline legt auf.",
    "reviewer": {"id": "u-7781", "name": "Karla K."}, "url": "https://reviews.example/telco-de/r-20261123-0042",
    "created_at": "2026-11-23T13:21:00Z", "language": "de"}"""
)
