"""The Meta webhook: Facebook page feed and Messenger, Instagram comments, mentions and DMs."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import math
import pathlib
import unicodedata
from collections.abc import Iterator
from typing import Any

import hypothesis.strategies as st
from google.protobuf.message import Message
from hypothesis import HealthCheck, given, settings
from sqlalchemy import text
from webcare.v1 import messages_pb2, replies_pb2

from services.ingest.accounts import Account
from services.ingest.channels import meta
from services.ingest.channels.base import Parsed
from services.kit.events import MESSAGE_RECEIVED, REPLY_EVENTS
from tests.unit.conftest import Api

FIXTURES = pathlib.Path(__file__).parents[2] / "fixtures" / "ingest"
APP_SECRET = "meta-app-secret-0123456789abcdef"
PAGE = "104857600000001"
IG = "17841400000000001"
PSID = "24681357902468135"
IGSID = "6512345678901234"
POST = f"{PAGE}_880000000000001"
TOP = "880000000000001_990000000000001"
URL = "/v1/webhooks/meta"
MID_TEXT = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P"
MID_IMAGE = "m_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheUYEDdHJXjDXEAyaS1xxONzb2Iv-DFzmTihfWJV012P5pK0AhQ"
MID_POSTBACK = "m_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0PAG5Hz2Uq7tuwNEhXfYYKj8mJEM"


# Helpers the WhatsApp tests share.


def fixture(path: str) -> dict[str, Any]:
    """A stored delivery, e.g. "meta/feed_comment.json"."""
    data: dict[str, Any] = json.loads((FIXTURES / path).read_text(encoding="utf-8"))
    return data


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    """Meta's X-Hub-Signature-256 header for a body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def post(
    api: Api, url: str, payload: Any, *, secret: str | None = APP_SECRET, header: str | None = None
) -> Any:
    """POST a delivery as Meta does: signed with `secret` (unsigned when None), or with `header`."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["X-Hub-Signature-256"] = header
    elif secret is not None:
        headers["X-Hub-Signature-256"] = signature(body, secret)
    return await api.client.post(url, content=body, headers=headers)


def received(api: Api) -> list[messages_pb2.MessageReceived]:
    """Every MessageReceived published so far."""
    return [e for e in api.published(MESSAGE_RECEIVED) if isinstance(e, messages_pb2.MessageReceived)]


def receipts(api: Api) -> list[replies_pb2.DeliveryReceipt]:
    """Every DeliveryReceipt published so far."""
    return [e for e in api.published(REPLY_EVENTS) if isinstance(e, replies_pb2.DeliveryReceipt)]


def fields(event: messages_pb2.MessageReceived) -> dict[str, Any]:
    """What an adapter decides about a message, for comparing with what a fixture should give."""
    return {
        "channel": event.channel,
        "external_id": event.external_id,
        "conversation_key": event.conversation_key,
        "author": (event.author.external_id, event.author.handle, event.author.name),
        "text": event.text,
        "public": event.is_public,
        "in_reply_to": event.in_reply_to,
        "attachments": [attachment(a) for a in event.attachments],
        "sent_at": event.sent_at.seconds,
    }


def att(
    kind: str,
    url: str = "",
    *,
    mime: str = "",
    name: str = "",
    external_id: str = "",
    at: tuple[float, float] = (0.0, 0.0),
) -> tuple[Any, ...]:
    """An expected attachment, as `attachment` gives it."""
    return (kind, mime, url, name, external_id, *at)


def attachment(a: Message) -> tuple[Any, ...]:
    """An event's attachment as a tuple: kind, mime type, url, name, external id, latitude, longitude."""
    return (a.kind, a.mime_type, a.url, a.name, a.external_id, a.latitude, a.longitude)  # type: ignore[attr-defined]


async def stored(api: Api) -> tuple[int, int]:
    """How many deliveries and messages ingest has stored."""
    rt = api.app.state.runtimes["ingest"]
    async with rt.db.sessions() as session:
        conn = await session.connection()
        deliveries = (await conn.execute(text("SELECT count(*) FROM deliveries"))).scalar_one()
        messages = (await conn.execute(text("SELECT count(*) FROM inbound_messages"))).scalar_one()
    return int(deliveries), int(messages)


async def kept_bodies(api: Api) -> list[str]:
    """The raw deliveries ingest kept for audit."""
    rt = api.app.state.runtimes["ingest"]
    async with rt.db.sessions() as session:
        conn = await session.connection()
        return list((await conn.execute(text("SELECT body FROM deliveries"))).scalars().all())


def long_text() -> str:
    """Emoji, German, Arabic and Hebrew (all NFC), over 64 KB of UTF-8."""
    unit = "Grüße 👋🏽 👨‍👩‍👧 مرحبا، الإنترنت لا يعمل שלום, האינטרנט לא עובד — "
    result = unit * (64 * 1024 // len(unit.encode()) + 1)
    assert len(result.encode()) > 64 * 1024 and unicodedata.is_normalized("NFC", result)
    return result


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
WILD = st.one_of(
    JSON,
    st.just("9" * 400),
    st.just(10**300),
    st.just(""),
    st.just("\u0000\ud800"),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
)


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    inner = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    return [at] + [path for k, v in inner for path in _paths(v, (*at, k))]


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        named = isinstance(node, dict) and isinstance(step, str) and step in node
        counted = isinstance(node, list) and isinstance(step, int) and step < len(node)
        if not (named or counted):
            return None
        node = node[step]
    return node


def _changed(template: Any, changes: list[tuple[tuple[Any, ...], Any]]) -> Any:
    result = copy.deepcopy(template)
    for path, value in changes:
        if not path:
            return None if value is _GONE else value
        parent, last = _at(result, path[:-1]), path[-1]
        if isinstance(parent, dict) and isinstance(last, str):
            if value is _GONE:
                parent.pop(last, None)
            else:
                parent[last] = value
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            if value is _GONE:
                del parent[last]
            else:
                parent[last] = value
    return result


_GONE = object()


def hostile(template: Any) -> st.SearchStrategy[Any]:
    """A documented payload with one to three parts turned into wrong types, nulls, huge ids or garbage."""
    change = st.tuples(st.sampled_from(_paths(template)), st.one_of(WILD, st.just(_GONE)))
    return st.lists(change, min_size=1, max_size=3).map(lambda changes: _changed(template, changes))


def examples(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """`count` examples of a strategy (drawn with hypothesis outside the async test)."""
    found: list[Any] = []

    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


HOSTILE: tuple[Any, ...] = (None, True, [], {}, [None], {"id": None}, 10**300, -1, 1.5, float("nan"))
HOSTILE += ("", "9" * 400, "\x00\ud800", "x" * 70_000, "2025-13-45T99:99:99Z")


def hostile_variants(template: Any) -> Iterator[Any]:
    """The template with each of its parts in turn removed or replaced by each hostile value."""
    for path in _paths(template):
        for value in (*HOSTILE, _GONE):
            yield _changed(template, [(path, value)])


def check_parsed(parsed: Parsed) -> None:
    """What any parse must give, whatever it was fed: ids the tables hold, text an event can carry."""
    for message in parsed.messages:
        assert 0 < len(message.external_id) <= 256 and 0 < len(message.conversation_key) <= 512
        assert len(message.author.id) <= 256 and message.in_reply_to.isprintable()
        for value in (message.text, message.author.name, message.author.handle, message.in_reply_to):
            value.encode()  # no lone surrogate: protobuf would refuse it
        assert message.sent_at is None or message.sent_at.tzinfo is not None
        for a in message.attachments:
            (a.kind + a.url + a.name + a.mime_type + a.external_id).encode()
            assert math.isfinite(a.latitude) and math.isfinite(a.longitude)
    for receipt in parsed.receipts:
        assert 0 < len(receipt.external_id) <= 256
        (receipt.status + receipt.recipient + receipt.reason + receipt.error_code).encode()
    assert parsed.ignored >= 0 and parsed.own >= 0


async def never_5xx(api: Api, url: str, payloads: list[Any]) -> None:
    """Every payload, signed and unsigned, is answered below 500."""
    for payload in payloads:
        body = json.dumps(payload).encode()  # NaN and Infinity too: Python's json reads them
        for secret in (APP_SECRET, None):
            response = await post(api, url, body, secret=secret)
            assert response.status_code < 500, (response.status_code, response.text, body[:300])


# The Meta webhook.


async def accounts(api: Api) -> dict[str, str]:
    """A Facebook page and an Instagram account of the test tenant; their platform ids."""
    secrets = {"app_secret": APP_SECRET, "verify_token": "vt-meta-1"}
    page = await api.channel_account("facebook", PAGE, name="Telco DE", secrets=secrets)
    insta = await api.channel_account("instagram", IG, name="telco.de", secrets={"app_secret": APP_SECRET})
    return {"facebook": page["id"], "instagram": insta["id"]}


async def test_the_subscription_check_echoes_the_challenge_only_for_a_registered_token(api: Api) -> None:
    await accounts(api)
    await api.channel_account("whatsapp", "106540352242922", secrets={"verify_token": "vt-wa-1"})
    params = {"hub.mode": "subscribe", "hub.verify_token": "vt-meta-1", "hub.challenge": "1158201444"}
    good = await api.client.get(URL, params=params)
    assert good.status_code == 200 and good.text == "1158201444"
    assert good.headers["content-type"].startswith("text/plain")
    for wrong in (
        {"hub.verify_token": "vt-other"},
        {"hub.verify_token": "vt-wa-1"},
        {"hub.mode": "unsubscribe"},
    ):
        bad = await api.client.get(URL, params={**params, **wrong})
        assert bad.status_code == 403, bad.text
        assert "1158201444" not in bad.text and "vt-" not in bad.text
    for missing in params:
        partial = {k: v for k, v in params.items() if k != missing}
        assert (await api.client.get(URL, params=partial)).status_code == 400


async def test_a_missing_or_wrong_signature_is_401_and_nothing_is_stored_or_published(api: Api) -> None:
    await accounts(api)
    payload = fixture("meta/feed_comment.json")
    for kwargs in (
        {"secret": None},
        {"secret": "not-the-app-secret"},
        {"header": "sha256=" + "0" * 64},
        {"header": signature(b"another body")},
        {"header": "sha1=" + "0" * 40},
    ):
        response = await post(api, URL, payload, **kwargs)
        assert response.status_code == 401, (kwargs, response.text)
        assert response.json()["error"] == "bad_signature"
    assert received(api) == [] and await stored(api) == (0, 0)


async def test_a_delivery_for_an_unregistered_page_is_404(api: Api) -> None:
    await api.channel_account("facebook", "999000111", secrets={"app_secret": APP_SECRET})
    response = await post(api, URL, fixture("meta/feed_comment.json"))
    assert response.status_code == 404 and response.json()["error"] == "unknown_account"
    assert received(api) == [] and await stored(api) == (0, 0)


EXPECTED: dict[str, dict[str, Any]] = {
    "feed_comment.json": {
        "channel": "facebook",
        "external_id": TOP,
        "conversation_key": f"facebook:comment:{TOP}",
        "author": ("7100000000000001", "", "Jana Schmidt"),
        "text": "Seit gestern kein Internet in 10115 Berlin 😡 Wann ist die Störung behoben?",
        "public": True,
        "in_reply_to": POST,
        "attachments": [
            att("image", "https://scontent.xx.fbcdn.net/v/t39.30808-6/483920111_n.jpg?_nc_cat=1&oh=00_AYx")
        ],
        "sent_at": 1741943555,
    },
    "feed_reply.json": {
        "channel": "facebook",
        "external_id": "880000000000001_990000000000002",
        "conversation_key": f"facebook:comment:{TOP}",
        "author": ("7100000000000002", "", "Lukas Weber"),
        "text": "Same here in Mitte since 8 pm, the status page says nothing.",
        "public": True,
        "in_reply_to": TOP,
        "attachments": [],
        "sent_at": 1741944100,
    },
    "feed_visitor_post.json": {
        "channel": "facebook",
        "external_id": f"{PAGE}_881000000000002",
        "conversation_key": f"facebook:post:{PAGE}_881000000000002",
        "author": ("7100000000000003", "", "Mehmet Yılmaz"),  # noqa: RUF001 - a Turkish name
        "text": "Meine Rechnung für Februar ist doppelt abgebucht worden. Wer kann mir helfen?",
        "public": True,
        "in_reply_to": "",
        "attachments": [
            att(
                "image",
                "https://scontent.xx.fbcdn.net/v/t39.30808-6/483920555_n.jpg?_nc_cat=2&oh=00_AYz",
                external_id="881000000000002",
            )
        ],
        "sent_at": 1741950000,
    },
    "messenger_text.json": {
        "channel": "facebook",
        "external_id": MID_TEXT,
        "conversation_key": f"facebook:dm:{PAGE}:{PSID}",
        "author": (PSID, "", ""),
        "text": "Ich möchte meinen Tarif wechseln",
        "public": False,
        "in_reply_to": "",
        "attachments": [],
        "sent_at": 1741946000,
    },
    "messenger_attachment.json": {
        "channel": "facebook",
        "external_id": MID_IMAGE,
        "conversation_key": f"facebook:dm:{PAGE}:{PSID}",
        "author": (PSID, "", ""),
        "text": "",
        "public": False,
        "in_reply_to": MID_TEXT,
        "attachments": [
            att("image", "https://scontent.xx.fbcdn.net/v/t1.15752-9/485000001_n.png?stp=dst-png")
        ],
        "sent_at": 1741946060,
    },
    "messenger_postback.json": {
        "channel": "facebook",
        "external_id": MID_POSTBACK,
        "conversation_key": f"facebook:dm:{PAGE}:{PSID}",
        "author": (PSID, "", ""),
        "text": "Mit einem Menschen sprechen",
        "public": False,
        "in_reply_to": "",
        "attachments": [],
        "sent_at": 1741946120,
    },
    "instagram_comment.json": {
        "channel": "instagram",
        "external_id": "17890000000000001",
        "conversation_key": "instagram:comment:17890000000000001",
        "author": (IGSID, "@nour.haddad", ""),
        "text": "متى سيعود الإنترنت؟ لا يعمل منذ الصباح 🙏",
        "public": True,
        "in_reply_to": "18031234567890123",
        "attachments": [],
        "sent_at": 1741947000,
    },
    "instagram_comment_reply.json": {
        "channel": "instagram",
        "external_id": "17890000000000002",
        "conversation_key": "instagram:comment:17890000000000001",
        "author": ("6512345678900002", "@yael.cohen", ""),
        "text": "גם אצלי אין אינטרנט מהבוקר",
        "public": True,
        "in_reply_to": "17890000000000001",
        "attachments": [],
        "sent_at": 1741947300,
    },
    "instagram_mention.json": {
        "channel": "instagram",
        "external_id": "17890000000000077",
        "conversation_key": "instagram:comment:17890000000000077",
        "author": ("", "", ""),
        "text": "",
        "public": True,
        "in_reply_to": "18039999999999999",
        "attachments": [],
        "sent_at": 1741947600,
    },
    "instagram_dm.json": {
        "channel": "instagram",
        "external_id": fixture("meta/instagram_dm.json")["entry"][0]["messaging"][0]["message"]["mid"],
        "conversation_key": f"instagram:dm:{IG}:{IGSID}",
        "author": (IGSID, "", ""),
        "text": "Hi! Can I keep my number when I switch to you?",
        "public": False,
        "in_reply_to": "",
        "attachments": [
            att(
                "image",
                "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17900000000000001&signature=Abc",
            )
        ],
        "sent_at": 1741948000,
    },
}


async def test_every_fixture_gives_the_message_meta_documented(api: Api) -> None:
    ids = await accounts(api)
    for name, expected in EXPECTED.items():
        before = len(received(api))
        response = await post(api, URL, fixture(f"meta/{name}"))
        assert response.status_code == 200, (name, response.text)
        assert response.json()["accepted"] == 1, (name, response.json())
        assert len(received(api)) == before + 1, name
        events = [e for e in received(api) if e.external_id == expected["external_id"]]
        assert [fields(e) for e in events] == [expected], name
        assert events[0].channel_account_id == ids[expected["channel"]], name
        assert events[0].tenant_id == "acme" and events[0].delivery_id, name


async def test_echoes_and_the_brands_own_posts_publish_nothing(api: Api) -> None:
    await accounts(api)
    own_comment = fixture("meta/instagram_comment.json")
    own_comment["entry"][0]["changes"][0]["value"]["from"] = {"id": IG, "username": "telco.de"}
    for payload in (fixture("meta/messenger_echo.json"), fixture("meta/feed_page_reply.json"), own_comment):
        response = await post(api, URL, payload)
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "ok", "accepted": 0, "duplicates": 0, "ignored": 1}
    assert received(api) == []


async def test_the_same_delivery_twice_or_ten_times_at_once_publishes_each_message_once(api: Api) -> None:
    await accounts(api)
    comment = fixture("meta/feed_comment.json")
    first, again = await post(api, URL, comment), await post(api, URL, comment)
    assert first.json()["accepted"] == 1 and again.json()["duplicates"] == 1
    body = json.dumps(fixture("meta/messenger_text.json")).encode()
    answers = await asyncio.gather(*(post(api, URL, body) for _ in range(10)))
    assert [a.status_code for a in answers] == [200] * 10
    assert sum(a.json()["accepted"] for a in answers) == 1
    assert sorted(e.external_id for e in received(api)) == sorted(
        [TOP, EXPECTED["messenger_text.json"]["external_id"]]
    )


async def test_a_reply_by_someone_else_in_a_comment_thread_is_a_community_member(api: Api) -> None:
    await accounts(api)
    for name in (
        "feed_comment.json",
        "feed_reply.json",
        "feed_customer_reply.json",
        "instagram_comment.json",
        "instagram_comment_reply.json",
    ):
        assert (await post(api, URL, fixture(f"meta/{name}"))).json()["accepted"] == 1, name
    community = {e.author.external_id: e.community_member for e in received(api)}
    assert community == {
        "7100000000000001": False,  # Jana started the thread: her comment and her reply
        "7100000000000002": True,  # Lukas writes in Jana's thread
        IGSID: False,
        "6512345678900002": True,
    }
    janas = [e.community_member for e in received(api) if e.author.external_id == "7100000000000001"]
    assert janas == [False, False]


async def test_unsupported_events_answer_200_and_deliveries_become_receipts(api: Api) -> None:
    ids = await accounts(api)
    ignored = await post(api, URL, fixture("meta/feed_ignored.json"))
    assert ignored.status_code == 200 and ignored.json()["ignored"] == 5
    other_object = await post(api, URL, fixture("meta/user_object.json"), secret=None)
    assert other_object.status_code == 200 and other_object.json()["ignored"] == 1
    delivered = await post(api, URL, fixture("meta/messenger_delivery_read.json"))
    assert delivered.status_code == 200 and delivered.json()["ignored"] == 1  # the read watermark
    assert received(api) == []
    [receipt] = receipts(api)
    assert receipt.external_id == "m_echo_7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP"
    assert (receipt.status, receipt.recipient, receipt.channel) == ("delivered", PSID, "facebook")
    assert receipt.channel_account_id == ids["facebook"] and receipt.reported_at.seconds == 1741946185


async def test_emoji_right_to_left_text_and_64_kb_survive_intact(api: Api) -> None:
    await accounts(api)
    payload = fixture("meta/messenger_text.json")
    payload["entry"][0]["messaging"][0]["message"]["text"] = long_text()
    response = await post(api, URL, payload)
    assert response.status_code == 200, response.text
    [event] = received(api)
    assert event.text == long_text()


async def test_entries_of_other_accounts_are_ignored_and_each_account_verifies_with_its_own_secret(
    api: Api,
) -> None:
    await accounts(api)
    await api.channel_account("facebook", "104857600000002", secrets={"app_secret": "another-apps-secret"})
    comment = fixture("meta/feed_comment.json")
    unknown, foreign = copy.deepcopy(comment["entry"][0]), copy.deepcopy(comment["entry"][0])
    unknown["id"], foreign["id"] = "555000555", "104857600000002"
    for entry, secret_text in ((unknown, "nur fuer 555"), (foreign, "nur fuer 104857600000002")):
        entry["changes"][0]["value"].update(comment_id=f"{entry['id']}_1", message=secret_text)
    comment["entry"] += [unknown, foreign]
    response = await post(api, URL, comment)  # signed with the first page's app secret only
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1 and response.json()["ignored"] == 2
    assert [e.external_id for e in received(api)] == [TOP]
    [kept] = await kept_bodies(api)
    assert "nur fuer" not in json.loads(kept)["entry"][0]["changes"][0]["value"]["message"]
    assert len(json.loads(kept)["entry"]) == 1  # the audit copy holds this account's entries only


async def test_bodies_that_are_not_a_meta_delivery_are_4xx(api: Api) -> None:
    await accounts(api)
    for body in (b"not json", b"[1, 2]", b'"page"', b'{"entry": []}', b"[" * 200_000 + b"]" * 200_000):
        response = await post(api, URL, body)
        assert response.status_code == 400, (body[:20], response.text)
    assert (await post(api, URL, "ü".encode("utf-16"))).status_code == 400


def test_every_part_of_every_fixture_may_be_missing_or_hostile() -> None:
    by_object = {
        "page": Account("a-fb", "acme", "facebook", PAGE, "", {}, {}, True),
        "instagram": Account("a-ig", "acme", "instagram", IG, "", {}, {}, True),
    }
    for path in sorted((FIXTURES / "meta").glob("*.json")):
        template = json.loads(path.read_text(encoding="utf-8"))
        account = by_object.get(template["object"])
        if account is None:  # an object the platform does not take: nothing is parsed
            continue
        for payload in hostile_variants(template):
            entries = payload.get("entry") if isinstance(payload, dict) else None
            check_parsed(meta.parse(account, entries if isinstance(entries, list) else []))


async def test_random_and_hostile_payloads_never_give_a_5xx(api: Api) -> None:
    await accounts(api)
    templates = [
        fixture(f"meta/{name}")
        for name in (
            "feed_comment.json",
            "messenger_text.json",
            "instagram_comment.json",
            "messenger_delivery_read.json",
            "instagram_dm.json",
            "feed_visitor_post.json",
        )
    ]
    payloads = examples(st.one_of(*(hostile(t) for t in templates)), 90) + examples(JSON, 30)
    await never_5xx(api, URL, payloads)
