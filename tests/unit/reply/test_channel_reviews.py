"""The review sender against local stand-ins that check each request as the site documents it:
Trustpilot's review reply as the business user, a generic site's reply webhook with the idempotency
key; an account without its provider's settings fails for good, naming what is missing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from services.reply.adapters import DeliveryError, Outgoing
from services.reply.channels.base import TIMEOUT_SECONDS, DeliveryAccount
from services.reply.channels.reviews import ReviewSender, required
from tests.channel_server import serving

REVIEW = "5e3de1b45fb06f0001790b51"
BUSINESS_USER = "business-user-789"
TRUSTPILOT_TOKEN = "trustpilot-oauth-token"
API_KEY = "review-site-api-key"
HOOK = "/hooks/reviews/reply"
TEXT = "Danke für Ihre ehrliche Bewertung, Frau Müller! 🙏"


@dataclass
class FakeSites:
    """Trustpilot and a generic review site on one server: what each received, and scripted answers."""

    received: list[tuple[str, Any]] = field(default_factory=list)
    answers: list[Response] = field(default_factory=list)
    reply_id: Any = "reply-42"

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE"])
        async def endpoint(request: Request) -> Response:
            if request.url.path == HOOK:
                return await self.generic(request)
            return await self.trustpilot(request)

        return app

    async def trustpilot(self, request: Request) -> Response:
        """Trustpilot's POST /v1/private/reviews/{reviewId}/reply: 201 with an empty body."""
        path = request.url.path
        if request.method != "POST" or path != f"/v1/private/reviews/{REVIEW}/reply":
            return JSONResponse({"message": f"Resource not found: {request.method} {path}"}, 404)
        if request.headers.get("authorization") != f"Bearer {TRUSTPILOT_TOKEN}":
            return JSONResponse({"message": "Unauthorized"}, 401)
        body = await request.json()
        if body != {"authorBusinessUserId": BUSINESS_USER, "message": TEXT}:
            return JSONResponse({"message": f"Invalid request body: {body}"}, 400)
        self.received.append((path, body))
        return self.answers.pop(0) if self.answers else Response(status_code=201)

    async def generic(self, request: Request) -> Response:
        """A review site's reply webhook: the reply as JSON, answered with its id."""
        if request.method != "POST":
            return JSONResponse({"error": "method not allowed"}, 405)
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return JSONResponse({"error": "invalid api key"}, 401)
        body = await request.json()
        if body != {"review_id": REVIEW, "text": TEXT, "idempotency_key": "key-1"}:
            return JSONResponse({"error": f"unexpected body: {body}"}, 422)
        self.received.append((request.url.path, body))
        if self.answers:
            return self.answers.pop(0)
        return JSONResponse({"id": self.reply_id} if self.reply_id is not None else {}, 200)


@pytest.fixture
async def sites() -> AsyncIterator[tuple[FakeSites, ReviewSender, str]]:
    """The stand-in sites, the sender, and their base URL."""
    fake = FakeSites()
    async with serving(fake.app()) as base, httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
        yield fake, ReviewSender(client), base


def trustpilot(base: str) -> DeliveryAccount:
    return DeliveryAccount(
        channel_account_id="acct-tp",
        tenant_id="acme",
        channel="review",
        base_url=base,
        settings={"provider": "trustpilot", "business_user_id": BUSINESS_USER},
        credentials={"access_token": TRUSTPILOT_TOKEN},
    )


def generic(base: str) -> DeliveryAccount:
    return DeliveryAccount(
        channel_account_id="acct-reviews",
        tenant_id="acme",
        channel="review",
        settings={"provider": "shopvote", "reply_url": base + HOOK},
        credentials={"api_key": API_KEY},
    )


def outgoing(**changes: Any) -> Outgoing:
    message = Outgoing(
        reply_id="reply-1",
        tenant_id="acme",
        channel="review",
        channel_account_id="acct-tp",
        recipient="reviewer-1",
        in_reply_to=REVIEW,
        public=True,
        text=TEXT,
        idempotency_key="key-1",
    )
    return replace(message, **changes)


async def test_a_trustpilot_reply_is_posted_as_the_business_user(
    sites: tuple[FakeSites, ReviewSender, str],
) -> None:
    fake, sender, base = sites
    assert await sender.send(outgoing(), trustpilot(base)) == REVIEW
    assert fake.received == [
        (f"/v1/private/reviews/{REVIEW}/reply", {"authorBusinessUserId": BUSINESS_USER, "message": TEXT})
    ]


async def test_a_refused_trustpilot_token_is_for_good(sites: tuple[FakeSites, ReviewSender, str]) -> None:
    fake, sender, base = sites
    account = replace(trustpilot(base), credentials={"access_token": "expired"})
    with pytest.raises(DeliveryError) as refused:
        await sender.send(outgoing(), account)
    assert refused.value.permanent
    assert "401" in str(refused.value)
    assert fake.received == []


async def test_a_trustpilot_outage_is_for_now(sites: tuple[FakeSites, ReviewSender, str]) -> None:
    fake, sender, base = sites
    fake.answers = [JSONResponse({"message": "Service unavailable"}, 503, headers={"Retry-After": "30"})]
    with pytest.raises(DeliveryError) as refused:
        await sender.send(outgoing(), trustpilot(base))
    assert not refused.value.permanent
    assert refused.value.retry_after == 30
    assert "Service unavailable" in str(refused.value)


async def test_a_generic_site_gets_the_reply_with_its_idempotency_key(
    sites: tuple[FakeSites, ReviewSender, str],
) -> None:
    fake, sender, base = sites
    assert await sender.send(outgoing(), generic(base)) == "reply-42"
    assert fake.received == [(HOOK, {"review_id": REVIEW, "text": TEXT, "idempotency_key": "key-1"})]


@pytest.mark.parametrize(("answered", "expected"), [(None, REVIEW), (4711, "4711")])
async def test_a_generic_reply_without_a_string_id_is_known_by_the_review_or_its_number(
    sites: tuple[FakeSites, ReviewSender, str], answered: Any, expected: str
) -> None:
    fake, sender, base = sites
    fake.reply_id = answered
    assert await sender.send(outgoing(), generic(base)) == expected


async def test_a_generic_refusal_quotes_the_site(sites: tuple[FakeSites, ReviewSender, str]) -> None:
    fake, sender, base = sites
    fake.answers = [JSONResponse({"error": "review was deleted"}, 410)]
    with pytest.raises(DeliveryError) as refused:
        await sender.send(outgoing(), generic(base))
    assert refused.value.permanent
    assert "review was deleted" in str(refused.value)


@pytest.mark.parametrize(
    ("settings", "credentials", "missing"),
    [
        ({"provider": "trustpilot"}, {"access_token": TRUSTPILOT_TOKEN}, "business_user_id"),
        ({"provider": "Trustpilot", "business_user_id": BUSINESS_USER}, {}, "access_token"),
        ({}, {"api_key": API_KEY}, "reply_url"),
        ({"reply_url": "http://127.0.0.1:9/hook"}, {}, "api_key"),
    ],
)
async def test_an_account_without_what_its_provider_needs_fails_for_good_naming_it(
    settings: dict[str, str], credentials: dict[str, str], missing: str
) -> None:
    account = DeliveryAccount(
        channel_account_id="acct",
        tenant_id="acme",
        channel="review",
        settings=settings,
        credentials=credentials,
    )
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
        with pytest.raises(DeliveryError) as refused:
            await ReviewSender(client).send(outgoing(), account)
    assert refused.value.permanent
    assert repr(missing) in str(refused.value)


def test_each_provider_names_the_settings_it_requires() -> None:
    assert required({"provider": "trustpilot"}) == ("business_user_id",)
    assert required({"provider": "shopvote"}) == ("reply_url",)
    assert required({}) == ("reply_url",)
    assert ReviewSender.settings == ()
