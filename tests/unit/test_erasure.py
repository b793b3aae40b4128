"""A customer's data on request (GDPR): routing exports what it holds, and an erasure leaves nothing
personal in any service's database nor in any answer, while the reports still count the messages."""

from __future__ import annotations

import json
import pathlib
import sqlite3
from typing import Any

import pytest
from webcare.v1 import customers_pb2

from services.kit.auth import Role
from services.kit.events import CUSTOMER_EVENTS
from services.reply import dispatch
from tests.unit.conftest import TENANT, Api, eventually
from tests.unit.reply.test_dispatch import Scripted

SERVICES = ("ingest", "classify", "routing", "reply", "reporting")
AGENT_KEY = "agent-key-erasure-0123456789"
NAME = "Zyxbertha Quengelmoor"
HANDLE = "@zyxbertha_q"
X_ID = "x-99887766"
PHONE = "4915219876543"
EMAIL = "zyxbertha.q@example.org"
# Everything that names the customer or quotes them, looked for case-insensitively.
PERSONAL = ("zyxbertha", "quengelmoor", "flurbelwumpf", "quastenblick", "15219876543", "99887766")


@pytest.fixture
def channel(api: Api) -> Scripted:
    """Reply sends through a scripted channel; an agent has a key."""
    scripted = Scripted()
    dispatch.dispatcher(api.app.state.runtimes["reply"]).adapter = scripted
    api.add_key(AGENT_KEY, tenant=TENANT, role=Role.agent, agent_id="agent-1")
    return scripted


def database(tmp_path: pathlib.Path, service: str) -> pathlib.Path:
    return tmp_path / f"{service}.db"


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def dump(path: pathlib.Path) -> list[str]:
    """Every value of every table of a SQLite file as text, prefixed by its table and column."""
    with sqlite3.connect(path) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found: list[str] = []
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - the file's own table names
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                found.extend(f"{table}.{column}={_text(v)}" for column, v in zip(columns, row, strict=True))
    return found


def personal_in(values: list[str]) -> list[str]:
    return [v for v in values if any(word in v.lower() for word in PERSONAL)]


def scalar(path: pathlib.Path, query: str, *args: Any) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(query, args).fetchone()[0])


async def ok(api: Api, method: str, path: str, **kwargs: Any) -> Any:
    answer = await api.call(method, path, **kwargs)
    assert answer.status_code in (200, 201, 202), f"{method} {path}: {answer.status_code} {answer.text}"
    return answer.json()


async def customer_writes(api: Api) -> tuple[str, dict[str, str]]:
    """A CRM profile; the customer writes on X and WhatsApp; its id and its conversations by channel."""
    profile = await ok(
        api,
        "POST",
        "/v1/customers",
        json={
            "external_id": "crm-4711",
            "name": NAME,
            "identities": [
                {"channel": "x", "external_id": X_ID},
                {"channel": "whatsapp", "external_id": f"+{PHONE}"},
                {"channel": "email", "external_id": EMAIL},
            ],
            "attributes": {"segment": "gold", "email": EMAIL},
        },
    )
    await api.message(
        "tw-1001",
        text=f"{HANDLE} Mein Flurbelwumpf ist kaputt! Ruft mich an: +{PHONE} oder {EMAIL}",
        author={"id": X_ID, "handle": HANDLE, "name": NAME},
    )
    await api.message(
        "wamid.2002",
        channel="whatsapp",
        public=False,
        text="Ich bin es wieder, wegen Flurbelwumpf und Quastenblick. Kann ich bestellen? Was kostet das?",
        author={"id": PHONE, "name": NAME},
    )
    found: dict[str, str] = {}

    async def opened() -> bool:
        found.update({c["channel"]: c["id"] for c in await api.conversations()})
        return len(found) == 2

    await eventually(opened)
    return profile["id"], found


async def agent_answers(api: Api, conversation_id: str) -> None:
    """The agent answers on WhatsApp by the customer's name; the reply is sent."""

    async def known() -> bool:
        answer = await api.call("GET", f"/v1/conversations/{conversation_id}/replies")
        return answer.status_code == 200

    await eventually(known)

    async def sent() -> bool:
        answer = await api.call(
            "POST",
            f"/v1/conversations/{conversation_id}/replies",
            json={"text": f"Hallo {NAME}, Ihr Flurbelwumpf wird ersetzt."},
        )
        return answer.status_code in (201, 202)

    await eventually(sent)


async def summary(api: Api) -> dict[str, Any]:
    result: dict[str, Any] = await ok(api, "GET", "/v1/reports/summary")
    return result


async def answers_of(api: Api, customer_id: str, conversations: dict[str, str]) -> list[str]:
    """What the services answer about the customer and their conversations, as text."""
    paths = [
        "/v1/conversations",
        *(f"/v1/conversations/{c}" for c in conversations.values()),
        *(f"/v1/conversations/{c}/replies" for c in conversations.values()),
        "/v1/reports/summary",
        "/v1/reports/leads",
        "/v1/reports/questions",
        "/v1/reports/community",
        "/v1/reports/satisfaction",
        f"/v1/customers/{customer_id}",
        f"/v1/customers/{customer_id}/export",
        f"/v1/customers/{customer_id}/history",
    ]
    return [(await api.call("GET", path)).text for path in paths]


async def test_export_holds_the_profile_notes_and_conversations_and_is_gone_after_erasure(
    api: Api, channel: Scripted
) -> None:
    customer_id, conversations = await customer_writes(api)
    await ok(api, "POST", f"/v1/customers/{customer_id}/notes", json={"text": f"{NAME} mag Quastenblick"})
    export = await ok(api, "GET", f"/v1/customers/{customer_id}/export")
    assert export["customer"]["name"] == NAME
    assert {(i["channel"], i["external_id"]) for i in export["customer"]["identities"]} >= {
        ("x", X_ID),
        ("whatsapp", f"+{PHONE}"),
    }
    assert [n["text"] for n in export["customer"]["notes"]] == [f"{NAME} mag Quastenblick"]
    assert {c["id"] for c in export["conversations"]} == set(conversations.values())
    assert all(isinstance(c["decisions"], list) for c in export["conversations"])
    assert "routing" in export["scope"]

    erased = await api.call("POST", f"/v1/customers/{customer_id}/erase")
    assert erased.status_code == 202, erased.text
    assert (await api.call("GET", f"/v1/customers/{customer_id}/export")).status_code == 404
    assert (await api.call("POST", f"/v1/customers/{customer_id}/erase")).status_code == 404
    assert (await api.call("GET", f"/v1/customers/{customer_id}/export", key=AGENT_KEY)).status_code == 403


async def test_an_erased_customer_leaves_no_personal_data_in_any_database_or_answer(
    api: Api, channel: Scripted, tmp_path: pathlib.Path
) -> None:
    customer_id, conversations = await customer_writes(api)
    await ok(api, "POST", f"/v1/customers/{customer_id}/notes", json={"text": f"Ruft {NAME} zurück"})
    await agent_answers(api, conversations["whatsapp"])
    survey = {
        "external_id": "srv-1",
        "kind": "csat",
        "score": 2,
        "conversation_id": conversations["whatsapp"],
        "comment": f"{NAME}: der Flurbelwumpf-Service war langsam",
    }
    await ok(api, "POST", "/v1/surveys", json=survey)

    async def counted() -> bool:
        return bool((await summary(api))["messages_received"] == 2)

    await eventually(counted)
    before = await summary(api)
    for service in SERVICES:  # each database held some, where the test looks
        assert personal_in(dump(database(tmp_path, service))), service

    answer = await ok(api, "POST", f"/v1/customers/{customer_id}/erase")
    erasure_id = answer["id"]
    assert answer["conversations"] == 2
    [event] = [e for e in api.published(CUSTOMER_EVENTS) if isinstance(e, customers_pb2.CustomerErased)]
    assert event.event_id == erasure_id and set(event.conversation_ids) == set(conversations.values())

    async def handled() -> bool:
        inbox = "SELECT count(*) FROM inbox WHERE consumer LIKE '%erasure' AND event_id = ?"
        by_erasure = all(
            scalar(database(tmp_path, s), inbox, erasure_id) == 1 for s in ("ingest", "reply", "reporting")
        )
        classify = scalar(
            database(tmp_path, "classify"), "SELECT count(*) FROM inbox WHERE consumer LIKE '%erasure'"
        )
        outboxes = sum(scalar(database(tmp_path, s), "SELECT count(*) FROM outbox") for s in SERVICES)
        return by_erasure and classify == 2 and outboxes == 0

    await eventually(handled)

    for service in SERVICES:
        left = personal_in(dump(database(tmp_path, service)))
        assert left == [], f"{service} still holds: {json.dumps(left, ensure_ascii=False)[:2000]}"
    seen = personal_in(await answers_of(api, customer_id, conversations))
    assert seen == [], json.dumps(seen, ensure_ascii=False)[:2000]
    after = await summary(api)
    assert after["messages_received"] == before["messages_received"] == 2
    assert (await api.call("GET", f"/v1/customers/{customer_id}")).status_code == 404
    for identity, external_id in (("x", X_ID), ("whatsapp", f"+{PHONE}")):
        params = {"channel": identity, "external_id": external_id}
        assert (await api.call("GET", "/v1/customers", params=params)).status_code == 404
    replies = await ok(api, "GET", f"/v1/conversations/{conversations['whatsapp']}/replies")
    assert [r["text"] for r in replies["items"]] == ["[gelöscht / erased]"]
