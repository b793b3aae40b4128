"""The WhatsApp Cloud API webhook: customer messages of every type, and delivery statuses."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import hypothesis.strategies as st

from services.ingest.accounts import Account
from services.ingest.channels import whatsapp
from tests.unit.conftest import Api
from tests.unit.ingest.test_meta import (
    APP_SECRET,
    FIXTURES,
    JSON,
    att,
    check_parsed,
    examples,
    fields,
    fixture,
    hostile,
    hostile_variants,
    kept_bodies,
    long_text,
    never_5xx,
    post,
    receipts,
    received,
    signature,
    stored,
)

URL = "/v1/webhooks/whatsapp"
PHONE = "106540352242922"
SHEENA = "16505551234"
KEY = f"whatsapp:{PHONE}:{SHEENA}"
AUTHOR = (SHEENA, f"+{SHEENA}", "Sheena Nelson")
LOOKASIDE = (
    "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid={}&ext=1750090702"
    "&hash=ATuMx352sLrhKUegbQZSC8oLl3J5Vy3Z49lO4HwTUKWRYQ"
)


async def account(api: Api) -> str:
    """The test tenant's WhatsApp business number; its platform id."""
    secrets = {"app_secret": APP_SECRET, "verify_token": "vt-wa-1"}
    created = await api.channel_account("whatsapp", PHONE, name="Telco DE Support", secrets=secrets)
    result: str = created["id"]
    return result


def media(kind: str, mime: str, media_id: str, *, name: str = "") -> tuple[Any, ...]:
    """An expected media attachment: the media id names it, the lookaside URL fetches it."""
    return att(kind, LOOKASIDE.format(media_id), mime=mime, name=name, external_id=media_id)


def expected(
    name: str, text: str, attachments: list[tuple[Any, ...]], in_reply_to: str = ""
) -> dict[str, Any]:
    """What the fixture `name` should give: its own message id and time, this text and these attachments."""
    message = fixture(f"whatsapp/{name}")["entry"][0]["changes"][0]["value"]["messages"][0]
    return {
        "channel": "whatsapp",
        "external_id": message["id"],
        "conversation_key": KEY,
        "author": AUTHOR,
        "text": text,
        "public": False,
        "in_reply_to": in_reply_to,
        "attachments": attachments,
        "sent_at": int(message["timestamp"]),
    }


EXPECTED = {
    "text.json": expected("text.json", "Hallo, meine SIM-Karte ist gesperrt. Können Sie helfen?", []),
    "text_reply.json": expected(
        "text_reply.json",
        "Ja, die Kundennummer ist 4711-0815.",
        [],
        in_reply_to="wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA",
    ),
    "image.json": expected(
        "image.json",
        "So sieht die Fehlermeldung aus",
        [media("image", "image/jpeg", "1003383421387256")],
    ),
    "document.json": expected(
        "document.json",
        "",
        [media("document", "application/pdf", "1073956200923416", name="Rechnung_2025-02.pdf")],
    ),
    "audio.json": expected(
        "audio.json",
        "",
        [media("audio", "audio/ogg; codecs=opus", "1003983648418453")],
    ),
    "video.json": expected(
        "video.json",
        "Router blinkt rot",
        [media("video", "video/mp4", "1021736523359425")],
    ),
    "sticker.json": expected(
        "sticker.json",
        "",
        [media("sticker", "image/webp", "1220519722923497")],
    ),
    "location.json": expected(
        "location.json",
        "",
        [
            att(
                "location",
                "https://foursquare.com/v/4b058760f964a520f8a422e3",
                name="Telco Shop Alexanderplatz, Alexanderplatz 1, 10178 Berlin",
                at=(52.521918, 13.413215),
            )
        ],
    ),
    "contacts.json": expected(
        "contacts.json",
        "",
        [att("contact", "tel:+1 (940) 555-1234", name="Barbara J. Johnson", external_id="19405551234")],
    ),
    "interactive_button_reply.json": expected(
        "interactive_button_reply.json",
        "Tarif ändern",
        [],
        in_reply_to="wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBOUY4QTc0QTNBRUY2QzZBNkUA",
    ),
    "interactive_list_reply.json": expected(
        "interactive_list_reply.json",
        "Express-Versand",
        [],
        in_reply_to="wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NjRGOURFNUFCQzA1QjYyQkMA",
    ),
    "button.json": expected(
        "button.json",
        "Keine Werbung mehr",
        [],
        in_reply_to="wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBIzRDQ2RkI2QjY4OUE3NzUwNTAA",
    ),
}


async def test_the_subscription_check_echoes_the_challenge_only_for_a_whatsapp_token(api: Api) -> None:
    await account(api)
    await api.channel_account("facebook", "104857600000001", secrets={"verify_token": "vt-meta-1"})
    params = {"hub.mode": "subscribe", "hub.verify_token": "vt-wa-1", "hub.challenge": "987654321"}
    good = await api.client.get(URL, params=params)
    assert good.status_code == 200 and good.text == "987654321"
    assert good.headers["content-type"].startswith("text/plain")
    for wrong in ({"hub.verify_token": "vt-meta-1"}, {"hub.verify_token": "nope"}, {"hub.mode": "other"}):
        bad = await api.client.get(URL, params={**params, **wrong})
        assert bad.status_code == 403 and "987654321" not in bad.text
    for missing in params:
        partial = {k: v for k, v in params.items() if k != missing}
        assert (await api.client.get(URL, params=partial)).status_code == 400


async def test_a_missing_or_wrong_signature_is_401_and_nothing_is_stored_or_published(api: Api) -> None:
    await account(api)
    for payload in (fixture("whatsapp/text.json"), fixture("whatsapp/statuses.json")):
        for kwargs in (
            {"secret": None},
            {"secret": "wrong"},
            {"header": signature(b"{}")},
            {"header": "sha256="},
        ):
            response = await post(api, URL, payload, **kwargs)
            assert response.status_code == 401 and response.json()["error"] == "bad_signature", kwargs
    assert received(api) == [] and receipts(api) == [] and await stored(api) == (0, 0)


async def test_a_delivery_for_an_unregistered_phone_number_is_404(api: Api) -> None:
    await api.channel_account("whatsapp", "999888777666", secrets={"app_secret": APP_SECRET})
    response = await post(api, URL, fixture("whatsapp/text.json"))
    assert response.status_code == 404 and response.json()["error"] == "unknown_account"
    assert received(api) == [] and await stored(api) == (0, 0)


async def test_every_message_type_gives_what_whatsapp_documented(api: Api) -> None:
    account_id = await account(api)
    for name, want in EXPECTED.items():
        response = await post(api, URL, fixture(f"whatsapp/{name}"))
        assert response.status_code == 200 and response.json()["accepted"] == 1, (name, response.text)
        events = [e for e in received(api) if e.external_id == want["external_id"]]
        assert [fields(e) for e in events] == [want], name
        assert events[0].channel_account_id == account_id and events[0].tenant_id == "acme", name
    assert len(received(api)) == len(EXPECTED)


async def test_statuses_become_delivery_receipts(api: Api) -> None:
    account_id = await account(api)
    for name in ("statuses.json", "status_failed.json"):
        response = await post(api, URL, fixture(f"whatsapp/{name}"))
        assert response.status_code == 200, response.text
    assert received(api) == []
    found = {(r.status, r.reported_at.seconds): r for r in receipts(api)}
    assert sorted(found) == [
        ("delivered", 1750263775),
        ("failed", 1750264000),
        ("read", 1750263790),
        ("sent", 1750263773),
    ]
    assert {r.external_id for r in receipts(api) if r.status != "failed"} == {
        "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjUzRDFCMDlFNjVCRTMA"
    }
    failed = found[("failed", 1750264000)]
    assert failed.external_id == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJGMEZBQjY4QjNFQTBCRjU0NzMA"
    assert failed.error_code == "131047" and failed.reason == (
        "Re-engagement message: Message failed to send because more than 24 hours have passed since "
        "the customer last replied to this number."
    )
    for receipt in receipts(api):
        assert (receipt.channel, receipt.recipient, receipt.channel_account_id) == (
            "whatsapp",
            SHEENA,
            account_id,
        )


async def test_reactions_system_notes_unsupported_and_other_fields_answer_200_and_publish_nothing(
    api: Api,
) -> None:
    await account(api)
    for name in ("reaction.json", "unsupported.json", "system.json", "template_status_update.json"):
        response = await post(api, URL, fixture(f"whatsapp/{name}"))
        assert response.status_code == 200, (name, response.text)
        assert response.json()["accepted"] == 0 and response.json()["ignored"] == 1, name
    other = await post(api, URL, {"object": "page", "entry": [{"id": PHONE}]}, secret=None)
    assert other.status_code == 200 and other.json()["ignored"] == 1
    assert received(api) == [] and receipts(api) == []


async def test_the_same_delivery_twice_or_ten_times_at_once_publishes_each_message_once(api: Api) -> None:
    await account(api)
    first, again = (
        await post(api, URL, fixture("whatsapp/text.json")),
        await post(api, URL, fixture("whatsapp/text.json")),
    )
    assert first.json()["accepted"] == 1 and again.json()["duplicates"] == 1
    body = json.dumps(fixture("whatsapp/image.json")).encode()
    answers = await asyncio.gather(*(post(api, URL, body) for _ in range(10)))
    assert [a.status_code for a in answers] == [200] * 10
    assert sum(a.json()["accepted"] for a in answers) == 1
    repeated = fixture("whatsapp/video.json")
    value = repeated["entry"][0]["changes"][0]["value"]
    value["messages"] *= 2  # the same message twice inside one delivery
    inside = await post(api, URL, repeated)
    assert (inside.json()["accepted"], inside.json()["ignored"]) == (1, 1)
    assert sorted(e.external_id for e in received(api)) == sorted(
        EXPECTED[name]["external_id"] for name in ("text.json", "image.json", "video.json")
    )


async def test_emoji_right_to_left_text_and_64_kb_survive_intact(api: Api) -> None:
    await account(api)
    payload = fixture("whatsapp/text.json")
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = long_text()
    response = await post(api, URL, payload)
    assert response.status_code == 200, response.text
    [event] = received(api)
    assert event.text == long_text()


async def test_changes_for_other_phone_numbers_are_ignored_and_kept_out_of_this_accounts_record(
    api: Api,
) -> None:
    await account(api)
    payload = fixture("whatsapp/text.json")
    other = copy.deepcopy(payload["entry"][0]["changes"][0])
    other["value"]["metadata"]["phone_number_id"] = "200000000000001"
    other["value"]["messages"][0].update(id="wamid.other", text={"body": "an einen anderen Kunden"})
    payload["entry"][0]["changes"].append(other)
    response = await post(api, URL, payload)
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1 and response.json()["ignored"] == 1
    assert [e.external_id for e in received(api)] == [EXPECTED["text.json"]["external_id"]]
    [kept] = await kept_bodies(api)
    assert "anderen Kunden" not in kept and len(json.loads(kept)["entry"][0]["changes"]) == 1


def test_every_part_of_every_fixture_may_be_missing_or_hostile() -> None:
    account = Account("a-wa", "acme", "whatsapp", PHONE, "", {}, {}, True)
    for path in sorted((FIXTURES / "whatsapp").glob("*.json")):
        for payload in hostile_variants(json.loads(path.read_text(encoding="utf-8"))):
            entries = payload.get("entry") if isinstance(payload, dict) else None
            for entry in entries if isinstance(entries, list) else []:
                changes = entry.get("changes") if isinstance(entry, dict) else None
                for change in changes if isinstance(changes, list) else []:
                    if isinstance(change, dict):
                        check_parsed(whatsapp.parse(account, [(None, change)]))


async def test_random_and_hostile_payloads_never_give_a_5xx(api: Api) -> None:
    await account(api)
    templates = [
        fixture(f"whatsapp/{name}")
        for name in (
            "text.json",
            "image.json",
            "location.json",
            "contacts.json",
            "interactive_button_reply.json",
            "status_failed.json",
            "document.json",
        )
    ]
    payloads = examples(st.one_of(*(hostile(t) for t in templates)), 90) + examples(JSON, 30)
    await never_5xx(api, URL, payloads)
