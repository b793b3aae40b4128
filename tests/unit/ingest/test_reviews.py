"""Review-site webhooks: generic signed reviews and Trustpilot's service-review events."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import pathlib
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from hypothesis import strategies as st
from sqlalchemy import text
from webcare.v1 import messages_pb2

from services.kit.events import MESSAGE_RECEIVED, to_datetime
from tests.unit.conftest import Api
from tests.unit.ingest.hostile import JSON, bodies

FIXTURES = pathlib.Path(__file__).parents[2] / "fixtures" / "ingest" / "reviews"
SECRET = "review-webhook-secret"
PROFILE = "telco-de-google"
BUSINESS_UNIT = "46d6a890000064000500e0c3"


def fixture(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return doc


def signed_headers(body: bytes, *, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    """The generic provider's signature, computed here without the adapter's code."""
    stamp = str(int(time.time()) if at is None else at)
    digest = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Webcare-Timestamp": stamp, "X-Webcare-Signature": f"sha256={digest}"}


def encoded(doc: Any) -> bytes:
    return doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode()


async def generic(
    api: Api, doc: Any, *, headers: dict[str, str] | None = None, **signing: Any
) -> httpx.Response:
    body = encoded(doc)
    sent = {
        "content-type": "application/json",
        **(signed_headers(body, **signing) if headers is None else headers),
    }
    return await api.client.post("/v1/webhooks/reviews/generic", content=body, headers=sent)


async def trustpilot(api: Api, doc: Any, *, params: dict[str, str] | None = None) -> httpx.Response:
    query = {"profile": BUSINESS_UNIT, "token": SECRET} if params is None else params
    return await api.client.post(
        "/v1/webhooks/reviews/trustpilot",
        content=encoded(doc),
        params=query,
        headers={"content-type": "application/json"},
    )


async def profiles(api: Api) -> dict[str, dict[str, Any]]:
    return {
        PROFILE: await api.channel_account("review", PROFILE, secrets={"webhook_secret": SECRET}),
        BUSINESS_UNIT: await api.channel_account("review", BUSINESS_UNIT, secrets={"webhook_secret": SECRET}),
    }


def received(api: Api) -> list[messages_pb2.MessageReceived]:
    return [e for e in api.published(MESSAGE_RECEIVED) if isinstance(e, messages_pb2.MessageReceived)]


async def stored(api: Api) -> tuple[int, int]:
    """(deliveries, messages) ingest keeps."""
    rt = api.app.state.runtimes["ingest"]
    async with rt.db.sessions() as session:
        conn = await session.connection()
        deliveries = (await conn.execute(text("SELECT count(*) FROM deliveries"))).scalar_one()
        messages = (await conn.execute(text("SELECT count(*) FROM inbound_messages"))).scalar_one()
    return int(deliveries), int(messages)


# --- generic -------------------------------------------------------------------------------------------


async def test_a_generic_review_is_a_public_message_with_its_rating(api: Api) -> None:
    accounts = await profiles(api)
    answer = await generic(api, fixture("generic_review.json"))
    assert answer.status_code == 200 and answer.json()["accepted"] == 1, answer.text
    [event] = received(api)
    review_id = "ChZDSUhNMG9nS0VJQ0FnSUR4bE9LR1FnEAE"
    assert (event.channel, event.external_id, event.conversation_key) == (
        "review",
        review_id,
        f"review:generic:{review_id}",
    )
    assert event.is_public and event.rating == 4 and event.subject == "Quick fix after all"
    assert event.text.startswith("Technician came the next morning") and "👍" in event.text
    assert (event.author.external_id, event.author.name) == ("108234577312345678901", "Ben Hilft")
    assert to_datetime(event.sent_at) == datetime(2026, 11, 24, 7, 15, 30, tzinfo=UTC)
    assert [(a.kind, a.url) for a in event.attachments] == [("link", fixture("generic_review.json")["url"])]
    assert event.channel_account_id == accounts[PROFILE]["id"] and not event.community_member


async def test_a_one_star_review_arrives_with_rating_1_and_its_subject(api: Api) -> None:
    await profiles(api)
    await generic(api, fixture("generic_one_star.json"))
    [event] = received(api)
    assert event.rating == 1 and event.subject == "Finger weg!"
    assert event.author.name == "سمير" and event.text.startswith("Vertrag gekündigt")


async def test_a_rating_without_text_is_still_a_message(api: Api) -> None:
    await profiles(api)
    titled = fixture("generic_one_star.json")
    del titled["text"]
    bare = fixture("generic_review.json")
    for field in ("text", "title", "url", "created_at"):
        del bare[field]
    assert (await generic(api, titled)).status_code == 200
    assert (await generic(api, bare)).status_code == 200
    first, second = sorted(received(api), key=lambda event: event.rating)  # the bus orders per conversation
    assert (first.text, first.subject, first.rating) == ("Finger weg!", "Finger weg!", 1)
    assert (second.text, second.subject, second.rating, list(second.attachments)) == ("", "", 4, [])


async def test_a_missing_or_wrong_signature_is_401_and_nothing_is_stored(api: Api) -> None:
    await profiles(api)
    body = encoded(fixture("generic_review.json"))
    unsigned = await generic(api, body, headers={})
    wrong = await generic(api, body, secret="not-the-secret")
    tampered = await generic(api, body, headers=signed_headers(body.replace(b'"rating": 4', b'"rating": 5')))
    assert [r.status_code for r in (unsigned, wrong, tampered)] == [401, 401, 401]
    assert received(api) == [] and await stored(api) == (0, 0)


async def test_a_replayed_or_future_delivery_is_refused(api: Api) -> None:
    await profiles(api)
    old = await generic(api, fixture("generic_review.json"), at=int(time.time()) - 901)
    future = await generic(api, fixture("generic_review.json"), at=int(time.time()) + 901)
    assert (old.status_code, future.status_code) == (401, 401)
    assert old.json()["error"] == "replayed"
    assert received(api) == [] and await stored(api) == (0, 0)
    fresh = await generic(api, fixture("generic_review.json"), at=int(time.time()) - 60)
    assert fresh.status_code == 200


async def test_a_time_at_the_end_of_the_calendar_falls_back_to_when_ingest_took_it(api: Api) -> None:
    await profiles(api)
    doc = fixture("generic_one_star.json")
    doc["created_at"] = "0001-01-01T00:00:00+01:00"
    before = datetime.now(UTC)
    assert (await generic(api, doc)).status_code == 200
    [event] = received(api)
    assert to_datetime(event.sent_at) >= before.replace(microsecond=0)


async def test_a_body_nested_too_deep_is_400(api: Api) -> None:
    await profiles(api)
    deep = b"[" * 100_000 + b"]" * 100_000
    assert (await generic(api, deep)).status_code == 400
    assert (await trustpilot(api, deep)).status_code == 400


async def test_an_unregistered_profile_is_404(api: Api) -> None:
    doc = fixture("generic_review.json")
    answer = await generic(api, doc)
    assert answer.status_code == 404 and answer.json()["error"] == "unknown_account"


async def test_bad_reviews_are_400_with_the_reason(api: Api) -> None:
    await profiles(api)
    too_good, too_bad, nobody = (
        fixture("generic_review.json"),
        fixture("generic_review.json"),
        fixture("generic_review.json"),
    )
    too_good["rating"], too_bad["rating"] = 6, 0
    del nobody["reviewer"]
    answers = [await generic(api, doc) for doc in (too_good, too_bad, nobody, b"{nope", [1])]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 400]
    assert "rating" in answers[0].json()["detail"] and "reviewer" in answers[2].json()["detail"]
    assert await stored(api) == (0, 0)


# --- trustpilot ------------------------------------------------------------------------------------------


async def test_a_trustpilot_review_is_a_message(api: Api) -> None:
    accounts = await profiles(api)
    answer = await trustpilot(api, fixture("trustpilot_service_review_created.json"))
    assert answer.status_code == 200 and answer.json()["accepted"] == 1, answer.text
    [event] = received(api)
    review_id = "6741c2a9f3e1b80d2c4a9e17"
    assert (event.external_id, event.conversation_key) == (review_id, f"review:trustpilot:{review_id}")
    assert (
        event.rating == 1
        and event.subject == "Drei Tage ohne Internet"
        and event.text.endswith("So nicht! 😡")
    )
    assert (event.author.external_id, event.author.name) == ("5f9b2c1e8a7d4e0012ab34cd", "Karla K.")
    assert to_datetime(event.sent_at) == datetime(2026, 11, 23, 13, 21, tzinfo=UTC)
    assert [a.url for a in event.attachments] == [f"https://api.trustpilot.com/v1/reviews/{review_id}"]
    assert event.channel_account_id == accounts[BUSINESS_UNIT]["id"] and event.is_public


async def test_trustpilot_needs_the_profile_and_the_accounts_token(api: Api) -> None:
    await profiles(api)
    doc = fixture("trustpilot_service_review_created.json")
    no_token = await trustpilot(api, doc, params={"profile": BUSINESS_UNIT})
    wrong = await trustpilot(api, doc, params={"profile": BUSINESS_UNIT, "token": "guess"})
    other = await trustpilot(api, doc, params={"profile": "unknown-unit", "token": SECRET})
    nowhere = await trustpilot(api, doc, params={"token": SECRET})
    assert [r.status_code for r in (no_token, wrong, other, nowhere)] == [401, 401, 404, 400]
    assert received(api) == [] and await stored(api) == (0, 0)


async def test_deleted_and_updated_trustpilot_reviews_are_counted_not_published(api: Api) -> None:
    await profiles(api)
    deleted = fixture("trustpilot_service_review_deleted.json")
    updated = fixture("trustpilot_service_review_deleted.json")
    updated["events"][0]["eventName"] = "service-review-updated"
    for doc in (deleted, updated):
        answer = await trustpilot(api, doc)
        assert answer.status_code == 200 and answer.json()["ignored"] == 1 and answer.json()["accepted"] == 0
    assert received(api) == [] and await stored(api) == (0, 0)


async def test_a_trustpilot_review_out_of_shape_is_400(api: Api) -> None:
    await profiles(api)
    doc = fixture("trustpilot_service_review_created.json")
    doc["events"][0]["eventData"]["stars"] = 9
    answer = await trustpilot(api, doc)
    assert answer.status_code == 400 and "stars" in answer.json()["detail"]


async def test_an_unknown_provider_is_404(api: Api) -> None:
    await profiles(api)
    answer = await api.client.post("/v1/webhooks/reviews/yelp", json=fixture("generic_review.json"))
    assert answer.status_code == 404


# --- duplicates ------------------------------------------------------------------------------------------


async def test_repeated_and_concurrent_reviews_publish_once(api: Api) -> None:
    await profiles(api)
    doc = fixture("trustpilot_service_review_created.json")
    first, again = await trustpilot(api, doc), await trustpilot(api, doc)
    assert first.json()["accepted"] == 1 and again.json()["duplicates"] == 1
    answers = await asyncio.gather(*(generic(api, fixture("generic_one_star.json")) for _ in range(10)))
    assert {a.status_code for a in answers} == {200} and sum(a.json()["accepted"] for a in answers) == 1
    assert len(received(api)) == 2


# --- hostile input -----------------------------------------------------------------------------------------

TEXT = st.text(max_size=20) | JSON
GENERIC = st.fixed_dictionaries(
    {"profile": st.just(PROFILE) | TEXT},
    optional={
        "review_id": st.text(min_size=1, max_size=30) | JSON,
        "rating": st.integers(-2, 8) | JSON,
        "title": TEXT,
        "text": TEXT,
        "reviewer": st.fixed_dictionaries({}, optional={"id": TEXT, "name": TEXT}) | JSON,
        "url": TEXT,
        "created_at": st.sampled_from(
            ["2026-11-23T21:04:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00"]
        )
        | TEXT,
    },
)
TRUSTPILOT = st.fixed_dictionaries(
    {
        "events": st.lists(
            st.fixed_dictionaries(
                {"eventName": st.sampled_from(["service-review-created", "service-review-deleted"]) | TEXT},
                optional={
                    "eventData": st.fixed_dictionaries(
                        {},
                        optional={
                            "id": TEXT,
                            "stars": st.integers(-1, 7) | JSON,
                            "title": TEXT,
                            "text": TEXT,
                            "createdAt": TEXT,
                            "consumer": st.fixed_dictionaries({}, optional={"id": TEXT, "name": TEXT}) | JSON,
                        },
                    )
                    | JSON
                },
            ),
            max_size=3,
        )
        | JSON
    }
)


# Values that have broken parsers: control characters, ids out of range, times at the ends of the calendar.
NASTY: st.SearchStrategy[Any] = st.sampled_from(
    ["", "\x00", "a" * 300, 10**30, -1, "0001-01-01T00:00:00+01:00", "\u202eevil", "ﷺ" * 50, [], {}, None]
)


def hostile(strategy: st.SearchStrategy[Any], examples: list[Any]) -> list[bytes]:
    return bodies(strategy, examples, NASTY, count=50)


async def test_random_and_hostile_reviews_never_fail_the_server(api: Api) -> None:
    await profiles(api)
    seen: set[int] = set()
    for body in hostile(GENERIC, [fixture("generic_review.json"), fixture("generic_one_star.json")]):
        signed = await generic(api, body)
        unsigned = await generic(api, body, headers={})
        assert signed.status_code in (200, 400, 401, 404), (body, signed.text)
        assert unsigned.status_code in (400, 401, 404), (body, unsigned.text)
        seen.add(signed.status_code)
    for body in hostile(TRUSTPILOT, [fixture("trustpilot_service_review_created.json")]):
        with_token = await trustpilot(api, body)
        without = await trustpilot(api, body, params={"profile": BUSINESS_UNIT})
        assert with_token.status_code in (200, 400), (body, with_token.text)
        assert without.status_code == 401, (body, without.text)
        seen.add(with_token.status_code)
    odd = await trustpilot(api, b"{}", params={"profile": "a\x00b", "token": SECRET})
    assert odd.status_code == 400
    assert {200, 400} <= seen  # signed examples reached the parser, and some were taken
