"""X Account Activity webhooks: the CRC check, signed deliveries, threads, DMs, receipts, hostile input."""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import hmac
import json
import pathlib
from datetime import UTC, datetime
from typing import Any

import httpx
from hypothesis import strategies as st
from sqlalchemy import text
from webcare.v1 import messages_pb2, replies_pb2

from services.kit.events import MESSAGE_RECEIVED, REPLY_EVENTS, to_datetime
from tests.unit.conftest import Api
from tests.unit.ingest.hostile import JSON, bodies

FIXTURES = pathlib.Path(__file__).parents[2] / "fixtures" / "ingest" / "x"
BRAND = "2244994945"
SECRET = "x-consumer-secret-for-tests"
MENTION = "1861234567890123456"


def fixture(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return doc


def signature(body: bytes, secret: str = SECRET) -> str:
    """X's documented signature, computed here without the adapter's code."""
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


async def post(
    api: Api, doc: Any, *, secret: str | None = SECRET, headers: dict[str, str] | None = None
) -> httpx.Response:
    body = doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode()
    sent = {"content-type": "application/json", **(headers or {})}
    if secret is not None:
        sent["x-twitter-webhooks-signature"] = signature(body, secret)
    return await api.client.post("/v1/webhooks/x", content=body, headers=sent)


async def brand(api: Api, user_id: str = BRAND, secret: str = SECRET, **secrets: str) -> dict[str, Any]:
    return await api.channel_account(
        "x", user_id, name="@TelcoDE", secrets={"consumer_secret": secret, **secrets}
    )


def received(api: Api) -> list[messages_pb2.MessageReceived]:
    return [e for e in api.published(MESSAGE_RECEIVED) if isinstance(e, messages_pb2.MessageReceived)]


def receipts(api: Api) -> list[replies_pb2.DeliveryReceipt]:
    return [e for e in api.published(REPLY_EVENTS) if isinstance(e, replies_pb2.DeliveryReceipt)]


async def stored(api: Api) -> tuple[int, int]:
    """(deliveries, messages) ingest keeps."""
    rt = api.app.state.runtimes["ingest"]
    async with rt.db.sessions() as session:
        conn = await session.connection()
        deliveries = (await conn.execute(text("SELECT count(*) FROM deliveries"))).scalar_one()
        messages = (await conn.execute(text("SELECT count(*) FROM inbound_messages"))).scalar_one()
    return int(deliveries), int(messages)


def crc_token(secret: str, token: str) -> str:
    return (
        "sha256="
        + base64.b64encode(hmac.new(secret.encode(), token.encode(), hashlib.sha256).digest()).decode()
    )


# --- CRC -------------------------------------------------------------------------------------------


async def test_crc_answers_the_documented_response_token(api: Api) -> None:
    await brand(api)
    answer = await api.client.get(
        "/v1/webhooks/x", params={"crc_token": "9b4507b3-9040-4669-9ca3-6b94edb50553"}
    )
    assert answer.status_code == 200, answer.text
    expected = hmac.new(SECRET.encode(), b"9b4507b3-9040-4669-9ca3-6b94edb50553", hashlib.sha256).digest()
    assert answer.json() == {"response_token": "sha256=" + base64.b64encode(expected).decode()}


async def test_crc_uses_the_account_named_by_for_user_id(api: Api) -> None:
    await brand(api, BRAND, "secret-of-app-one")
    await brand(api, "4337869213", "secret-of-app-two")
    ambiguous = await api.client.get("/v1/webhooks/x", params={"crc_token": "abc"})
    assert ambiguous.status_code == 400 and "for_user_id" in ambiguous.json()["detail"]
    for user_id, secret in ((BRAND, "secret-of-app-one"), ("4337869213", "secret-of-app-two")):
        answer = await api.client.get("/v1/webhooks/x", params={"crc_token": "abc", "for_user_id": user_id})
        assert answer.json() == {"response_token": crc_token(secret, "abc")}
    unknown = await api.client.get("/v1/webhooks/x", params={"crc_token": "abc", "for_user_id": "999"})
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_account"


async def test_crc_without_for_user_id_works_when_every_account_shares_the_app(api: Api) -> None:
    await brand(api, BRAND)
    await brand(api, "4337869213")
    answer = await api.client.get("/v1/webhooks/x", params={"crc_token": "shared"})
    assert answer.json() == {"response_token": crc_token(SECRET, "shared")}


async def test_crc_refuses_without_accounts_or_token(api: Api) -> None:
    none = await api.client.get("/v1/webhooks/x", params={"crc_token": "abc"})
    assert none.status_code == 404 and none.json()["error"] == "unknown_account"
    await brand(api)
    missing = await api.client.get("/v1/webhooks/x")
    assert missing.status_code == 400


async def test_an_oauth2_client_secret_answers_the_crc_and_signs_deliveries(api: Api) -> None:
    await brand(api, client_secret="oauth2-client-secret")
    answer = await api.client.get("/v1/webhooks/x", params={"crc_token": "t"})
    assert answer.json() == {"response_token": crc_token("oauth2-client-secret", "t")}
    body = json.dumps(fixture("mention.json")).encode()
    headers = {"x-twitter-webhooks-signature-oauth2": signature(body, "oauth2-client-secret")}
    wrong = await post(
        api, body, secret=None, headers={"x-twitter-webhooks-signature-oauth2": signature(body)}
    )
    assert wrong.status_code == 401
    ok = await post(api, body, secret=None, headers=headers)
    assert ok.status_code == 200 and ok.json()["accepted"] == 1


# --- signatures and accounts -----------------------------------------------------------------------


async def test_a_missing_or_wrong_signature_is_401_and_nothing_is_stored(api: Api) -> None:
    await brand(api)
    unsigned = await post(api, fixture("mention.json"), secret=None)
    wrong = await post(api, fixture("mention.json"), secret="someone-elses-secret")
    assert (unsigned.status_code, wrong.status_code) == (401, 401)
    assert wrong.json()["error"] == "bad_signature"
    assert received(api) == [] and await stored(api) == (0, 0)


async def test_a_delivery_for_an_unregistered_user_is_404(api: Api) -> None:
    await brand(api, "4337869213")
    answer = await post(api, fixture("mention.json"))
    assert answer.status_code == 404 and answer.json()["error"] == "unknown_account"
    assert received(api) == []


async def test_bad_bodies_are_400_and_nothing_is_stored(api: Api) -> None:
    await brand(api)
    not_json = await post(api, b"{not json")
    no_object = await post(api, [1, 2])
    bad_id = await post(api, {"for_user_id": "@TelcoDE", "tweet_create_events": []})
    wrong_shape = await post(api, {"for_user_id": BRAND, "tweet_create_events": [{"id_str": MENTION}]})
    assert [r.status_code for r in (not_json, no_object, bad_id, wrong_shape)] == [400, 400, 400, 400]
    assert "user" in wrong_shape.json()["detail"]
    assert await stored(api) == (0, 0)


async def test_extreme_values_are_answered_not_crashed_on(api: Api) -> None:
    await brand(api)
    deep = b"[" * 100_000 + b"]" * 100_000
    assert (await post(api, deep)).status_code == 400
    assert (await post(api, {"for_user_id": "1\u0000", "tweet_create_events": []})).status_code == 400
    assert (await post(api, json.dumps(fixture("mention.json")).encode("utf-16"))).status_code == 400
    famous = fixture("mention.json")
    famous["tweet_create_events"][0]["user"]["followers_count"] = 10**30
    assert (await post(api, famous)).status_code == 200
    [event] = received(api)
    assert event.author.follower_count == 2**63 - 1


# --- what fixtures become --------------------------------------------------------------------------


async def test_a_mention_is_a_public_message_that_starts_its_thread(api: Api) -> None:
    account = await brand(api)
    answer = await post(api, fixture("mention.json"))
    assert answer.status_code == 200 and answer.json()["accepted"] == 1
    [event] = received(api)
    full = fixture("mention.json")["tweet_create_events"][0]["extended_tweet"]["full_text"]
    assert event.channel == "x" and event.external_id == MENTION and event.is_public
    assert event.text == full and "🙏" in event.text  # the long post's full text, not the truncated one
    assert event.conversation_key == f"x:thread:{MENTION}" and event.in_reply_to == ""
    assert (
        event.author.external_id,
        event.author.handle,
        event.author.name,
        event.author.follower_count,
    ) == (
        "3001969357",
        "@karla_kunde",
        "Karla Kunde",
        220,
    )
    assert to_datetime(event.sent_at) == datetime(2026, 11, 23, 13, 21, tzinfo=UTC)
    assert [(a.kind, a.url, a.external_id) for a in event.attachments] == [
        ("image", "https://pbs.twimg.com/media/GdRouterBlinkt.jpg", "1861234567000000001")
    ]
    assert event.channel_account_id == account["id"] and not event.community_member


async def test_a_quote_keeps_its_text_and_threads_on_the_quoted_post(api: Api) -> None:
    await brand(api)
    await post(api, fixture("quote.json"))
    [event] = received(api)
    assert event.text.startswith("@TelcoDE هل هذا يشمل منطقتي")  # right-to-left text intact
    assert event.conversation_key == "x:thread:1861200000000000777"
    assert [(a.kind, a.url) for a in event.attachments] == [
        ("video", "https://pbs.twimg.com/tweet_video_thumb/GdWarten.jpg")
    ]
    assert event.author.handle == "@samir_tlv" and event.author.name == "سمير"


async def test_a_direct_message_is_private_in_the_pair_conversation(api: Api) -> None:
    await brand(api)
    answer = await post(api, fixture("dm.json"))
    assert answer.status_code == 200, answer.text
    [event] = received(api)
    assert not event.is_public and event.external_id == "1861240100000000010"
    assert event.conversation_key == f"x:dm:{BRAND}:3001969357"
    assert event.text.startswith("Hier meine Kundennummer") and "📄" in event.text
    assert (event.author.handle, event.author.name, event.author.follower_count) == (
        "@karla_kunde",
        "Karla Kunde",
        220,
    )
    assert to_datetime(event.sent_at) == datetime(2026, 11, 23, 13, 50, tzinfo=UTC)
    assert [(a.kind, a.external_id) for a in event.attachments] == [("image", "1861240000000000009")]
    assert event.attachments[0].url.startswith("https://ton.twitter.com/1.1/ton/data/dm/")


async def test_a_long_direct_message_with_emoji_and_rtl_survives_intact(api: Api) -> None:
    await brand(api)
    doc = fixture("dm.json")
    long_text = ("Hallo 👋🏽 مرحبا שלום " * 3000)[:65_536]
    doc["direct_message_events"][0]["message_create"]["message_data"]["text"] = long_text
    assert (await post(api, doc)).status_code == 200
    [event] = received(api)
    assert event.text == long_text


async def test_a_time_x_cannot_mean_falls_back_to_when_ingest_took_it(api: Api) -> None:
    await brand(api)
    doc = fixture("reply.json")
    doc["tweet_create_events"][0].update(created_at="Mon Jan 01 00:00:00 +2359 0001", timestamp_ms=None)
    before = datetime.now(UTC)
    assert (await post(api, doc)).status_code == 200
    [event] = received(api)
    assert to_datetime(event.sent_at) >= before.replace(microsecond=0)


async def test_a_read_receipt_reports_the_brands_message_as_read(api: Api) -> None:
    account = await brand(api)
    answer = await post(api, fixture("mark_read.json"))
    assert answer.status_code == 200
    [receipt] = receipts(api)
    assert (receipt.external_id, receipt.status, receipt.recipient) == (
        "1861240500000000011",
        "read",
        "3001969357",
    )
    assert receipt.channel == "x" and receipt.channel_account_id == account["id"]
    assert to_datetime(receipt.reported_at) == datetime(2026, 11, 23, 13, 56, tzinfo=UTC)
    assert received(api) == []


async def test_the_brands_own_posts_and_direct_messages_publish_nothing(api: Api) -> None:
    await brand(api)
    for name in ("own_reply.json", "own_dm.json"):
        answer = await post(api, fixture(name))
        assert answer.status_code == 200 and answer.json()["accepted"] == 0 and answer.json()["ignored"] == 1
    assert received(api) == [] and await stored(api) == (0, 0)


async def test_reposts_and_mentions_by_blocked_users_are_not_messages(api: Api) -> None:
    await brand(api)
    blocked = fixture("mention.json")
    blocked["user_has_blocked"] = "true"
    for doc in (fixture("retweet.json"), blocked):
        answer = await post(api, doc)
        assert answer.status_code == 200 and answer.json()["ignored"] == 1
    assert received(api) == []


async def test_other_event_kinds_are_200_and_publish_nothing(api: Api) -> None:
    await brand(api)
    kinds = ("favorite.json", "follow.json", "block.json", "mute.json", "typing.json", "tweet_delete.json")
    for name in kinds:
        answer = await post(api, fixture(name))
        assert answer.status_code == 200, (name, answer.text)
        assert answer.json()["ignored"] == 1 and answer.json()["accepted"] == 0
    revoke = await post(api, fixture("user_event.json"))  # names no for_user_id: any X app secret signs it
    assert revoke.status_code == 200 and revoke.json()["ignored"] == 1
    forged = await post(api, fixture("user_event.json"), secret="forged")
    assert forged.status_code == 401
    assert received(api) == [] and receipts(api) == [] and await stored(api) == (0, 0)


# --- threads -----------------------------------------------------------------------------------------


async def test_a_reply_joins_the_stored_thread_and_another_author_is_community(api: Api) -> None:
    await brand(api)
    await post(api, fixture("mention.json"))
    await post(api, fixture("reply.json"))
    own_answer = copy.deepcopy(fixture("reply.json"))
    tweet = own_answer["tweet_create_events"][0]
    tweet["id_str"], tweet["user"] = (
        "1861235900000000001",
        fixture("mention.json")["tweet_create_events"][0]["user"],
    )
    await post(api, own_answer)
    mention, ben, karla = received(api)
    assert ben.conversation_key == karla.conversation_key == mention.conversation_key == f"x:thread:{MENTION}"
    assert ben.in_reply_to == MENTION
    assert ben.community_member and not karla.community_member and not mention.community_member
    assert [a.kind for a in ben.attachments] == ["video"]


async def test_an_answer_deep_in_a_thread_stays_in_its_conversation(api: Api) -> None:
    await brand(api)
    await post(api, fixture("mention.json"))
    await post(api, fixture("reply.json"))
    deeper = fixture("reply.json")
    tweet = deeper["tweet_create_events"][0]
    tweet.update(id_str="1861235800000000004", in_reply_to_status_id_str="1861235000111222333")
    tweet.update(
        in_reply_to_user_id_str="1287659823", user=fixture("mention.json")["tweet_create_events"][0]["user"]
    )
    await post(api, deeper)
    *_, karla = received(api)
    assert karla.conversation_key == f"x:thread:{MENTION}" and not karla.community_member


async def test_an_answer_to_the_brands_reply_stays_in_the_conversation(api: Api) -> None:
    await brand(api)
    await post(api, fixture("mention.json"))
    assert (await post(api, fixture("own_reply.json"))).json()["ignored"] == 1
    answer = fixture("mention.json")
    tweet = answer["tweet_create_events"][0]
    tweet.update(id_str="1861236600000000002", truncated=False, text="@TelcoDE DM ist raus, danke!")
    tweet.update(in_reply_to_status_id_str="1861235500999888777", in_reply_to_user_id_str=BRAND)
    await post(api, answer)
    first, again = received(api)
    assert again.conversation_key == first.conversation_key == f"x:thread:{MENTION}"
    assert not again.community_member and again.in_reply_to == "1861235500999888777"


async def test_each_customer_answering_a_brand_broadcast_starts_a_conversation(api: Api) -> None:
    await brand(api)
    for tweet_id, user in (("1861300000000000001", "3001969357"), ("1861300000000000002", "1287659823")):
        doc = fixture("reply.json")
        tweet = doc["tweet_create_events"][0]
        tweet.update(
            id_str=tweet_id, in_reply_to_status_id_str="1861100000000000001", in_reply_to_user_id_str=BRAND
        )
        tweet["user"]["id_str"] = user
        assert (await post(api, doc)).status_code == 200
    first, second = sorted(received(api), key=lambda event: event.external_id)  # two conversations
    assert first.conversation_key == "x:thread:1861300000000000001"
    assert second.conversation_key == "x:thread:1861300000000000002"
    assert not first.community_member and not second.community_member


async def test_a_reply_to_an_unknown_post_threads_on_that_post(api: Api) -> None:
    await brand(api)
    await post(api, fixture("reply.json"))  # Karla's post never reached ingest
    [event] = received(api)
    assert event.conversation_key == f"x:thread:{MENTION}" and not event.community_member


# --- duplicates --------------------------------------------------------------------------------------


async def test_a_repeated_delivery_publishes_once(api: Api) -> None:
    await brand(api)
    first = await post(api, fixture("dm.json"))
    again = await post(api, fixture("dm.json"))
    assert first.json()["accepted"] == 1 and again.json()["duplicates"] == 1
    assert len(received(api)) == 1


async def test_ten_concurrent_deliveries_of_one_post_publish_once(api: Api) -> None:
    await brand(api)
    answers = await asyncio.gather(*(post(api, fixture("mention.json")) for _ in range(10)))
    assert {a.status_code for a in answers} == {200}
    assert sum(a.json()["accepted"] for a in answers) == 1
    assert len(received(api)) == 1 and (await stored(api))[1] == 1


# --- hostile input -------------------------------------------------------------------------------------

IDS = st.from_regex(r"[0-9]{1,20}", fullmatch=True) | st.just(BRAND) | st.just(MENTION) | JSON
USER = st.fixed_dictionaries(
    {}, optional={"id_str": IDS, "screen_name": JSON, "name": JSON, "followers_count": st.integers() | JSON}
)
TWEET = st.fixed_dictionaries(
    {},
    optional={
        "id_str": IDS,
        "user": USER | JSON,
        "text": st.text() | JSON,
        "truncated": JSON,
        "extended_tweet": st.fixed_dictionaries({}, optional={"full_text": JSON}) | JSON,
        "created_at": st.sampled_from(["Mon Nov 23 13:21:00 +0000 2026", "Mon Jan 01 00:00:00 +2359 0001"])
        | st.text(max_size=30),
        "timestamp_ms": st.integers() | st.text(max_size=25),
        "in_reply_to_status_id_str": IDS,
        "in_reply_to_user_id_str": IDS,
        "quoted_status": st.fixed_dictionaries({}, optional={"id_str": IDS, "user": USER}) | JSON,
        "retweeted_status": JSON,
        "extended_entities": st.fixed_dictionaries({"media": st.lists(JSON, max_size=2)}) | JSON,
    },
)
DM = st.fixed_dictionaries(
    {},
    optional={
        "type": st.just("message_create") | JSON,
        "id": IDS,
        "created_timestamp": st.integers() | st.text(max_size=25),
        "message_create": st.fixed_dictionaries(
            {}, optional={"target": JSON, "sender_id": IDS, "message_data": JSON}
        )
        | JSON,
    },
)
DELIVERY = st.fixed_dictionaries(
    {"for_user_id": st.just(BRAND) | IDS},
    optional={
        "tweet_create_events": st.lists(TWEET, max_size=3) | JSON,
        "direct_message_events": st.lists(DM, max_size=2) | JSON,
        "direct_message_mark_read_events": st.lists(
            st.fixed_dictionaries({}, optional={"sender_id": IDS, "last_read_event_id": IDS}), max_size=2
        )
        | JSON,
        "users": st.dictionaries(IDS.filter(lambda v: isinstance(v, str)), USER | JSON, max_size=2) | JSON,
        "user_has_blocked": JSON,
        "favorite_events": JSON,
    },
)


# Values that have broken parsers: control characters, ids out of range, times at the ends of the calendar.
NASTY: st.SearchStrategy[Any] = st.sampled_from(
    ["", "\x00", "9" * 40, 10**30, -1, "Mon Jan 01 00:00:00 +2359 0001", "\u202eevil", "ﷺ" * 50, [], {}, None]
)


EXAMPLES = [
    fixture(name) for name in ("mention.json", "reply.json", "quote.json", "dm.json", "mark_read.json")
]


def hostile_bodies() -> list[bytes]:
    return bodies(DELIVERY, EXAMPLES, NASTY, count=80)


async def test_random_and_hostile_deliveries_never_fail_the_server(api: Api) -> None:
    await brand(api)
    await post(api, fixture("mention.json"))
    seen: set[int] = set()
    for body in hostile_bodies():
        signed = await post(api, body)
        unsigned = await post(api, body, secret=None)
        assert signed.status_code in (200, 400, 401, 404), (body, signed.text)
        assert unsigned.status_code in (400, 401, 404), (body, unsigned.text)
        seen.add(signed.status_code)
    assert {200, 400} <= seen  # signed examples reached the parser, and some were taken
    crc = await api.client.get("/v1/webhooks/x", params={"crc_token": "x", "for_user_id": "1\x00"})
    assert crc.status_code == 400
