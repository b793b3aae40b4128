"""A customer's data on request (GDPR): routing exports what it holds, and an erasure leaves nothing
personal in any service's database nor in any answer, while the reports still count the messages."""

from __future__ import annotations

import contextlib
import json
import pathlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from webcare.v1 import customers_pb2

from services.kit import exports
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


def _text(value: Any) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


class Databases:
    """The services' databases of a URL template (`{service}`), read with SQLAlchemy: SQLite or
    PostgreSQL alike."""

    def __init__(self, url: str) -> None:
        self.engines = {
            s: create_async_engine(url.replace("{service}", s), poolclass=NullPool) for s in SERVICES
        }

    async def dump(self, service: str) -> list[str]:
        """Every value of every table as text, prefixed by its table and column."""
        found: list[str] = []
        async with self.engines[service].connect() as conn:
            tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
            for table in tables:
                result = await conn.execute(text(f'SELECT * FROM "{table}"'))  # noqa: S608 - its own tables
                columns = list(result.keys())
                for row in result:
                    found.extend(f"{table}.{c}={_text(v)}" for c, v in zip(columns, row, strict=True))
        return found

    async def scalar(self, service: str, query: str, **params: Any) -> int:
        async with self.engines[service].connect() as conn:
            return int((await conn.execute(text(query), params)).scalar_one())

    async def close(self) -> None:
        for engine in self.engines.values():
            await engine.dispose()


@contextlib.asynccontextmanager
async def databases(url: str) -> AsyncIterator[Databases]:
    found = Databases(url)
    try:
        yield found
    finally:
        await found.close()


@pytest.fixture
async def dbs(tmp_path: pathlib.Path) -> AsyncIterator[Databases]:
    """The SQLite databases of the `api` fixture."""
    async with databases(f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db") as found:
        yield found


def personal_in(values: list[str]) -> list[str]:
    return [v for v in values if any(word in v.lower() for word in PERSONAL)]


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


async def collected(api: Api, customer_id: str) -> dict[str, Any]:
    """Ask for an export and wait until every service's part arrived; the export."""
    requested = await api.call("POST", f"/v1/customers/{customer_id}/export")
    assert requested.status_code == 202, requested.text
    assert requested.headers["location"] == f"/v1/customers/{customer_id}/export"
    assert set(requested.json()["waiting_for"]) == {"ingest", "classify", "reply", "reporting"}
    export: dict[str, Any] = {}

    async def complete() -> bool:
        export.update(await ok(api, "GET", f"/v1/customers/{customer_id}/export"))
        return bool(export["collection"]["status"] == "complete")

    await eventually(complete)
    assert export["collection"]["id"] == requested.json()["id"]
    return export


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
    assert export["collection"] == {"id": None, "requested_at": None, "status": "none", "waiting_for": []}
    assert export["services"] == {}
    assert (await api.call("POST", "/v1/customers/nobody/export")).status_code == 404
    assert (await api.call("POST", f"/v1/customers/{customer_id}/export", key=AGENT_KEY)).status_code == 403

    erased = await api.call("POST", f"/v1/customers/{customer_id}/erase")
    assert erased.status_code == 202, erased.text
    assert (await api.call("GET", f"/v1/customers/{customer_id}/export")).status_code == 404
    assert (await api.call("POST", f"/v1/customers/{customer_id}/erase")).status_code == 404
    assert (await api.call("GET", f"/v1/customers/{customer_id}/export", key=AGENT_KEY)).status_code == 403


def _texts(records: list[dict[str, Any]], field: str) -> str:
    return " ".join(str(r[field]) for r in records).lower()


async def exported_by_every_service(api: Api, customer_id: str, conversations: dict[str, str]) -> None:
    """An export holds what each service keeps of the customer: ingest's messages as they came,
    classify's texts, reply's answer and reporting's facts and survey answer."""
    export = await collected(api, customer_id)
    parts = export["services"]
    assert set(parts) == {"ingest", "classify", "reply", "reporting"}
    messages = parts["ingest"]["messages"]
    assert {m["external_id"] for m in messages} == {"tw-1001", "wamid.2002"}
    assert all(d["body"] for d in parts["ingest"]["deliveries"])
    assert "flurbelwumpf" in _texts(parts["ingest"]["deliveries"], "body")
    classified = parts["classify"]["classifications"]
    assert {c["message_id"] for c in classified} == {m["id"] for m in messages}
    assert "quastenblick" in _texts(classified, "text")
    assert parts["classify"]["recent_contacts"], "the customer wrote twice: classify remembers when"
    [reply] = parts["reply"]["replies"]
    assert reply["conversation_id"] == conversations["whatsapp"] and NAME in reply["text"]
    assert {c["id"] for c in parts["reply"]["conversations"]} == set(conversations.values())
    assert len(parts["reporting"]["message_facts"]) == 2
    [survey] = parts["reporting"]["survey_answers"]
    assert "flurbelwumpf" in survey["comment"].lower()


async def test_an_export_in_many_small_events_arrives_whole(
    api: Api, channel: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts cut into many events (here: of about 300 bytes) arrive whole; classify numbers its
    answers to each of ingest's events on from the last."""
    monkeypatch.setattr(exports, "CHUNK_BYTES", 300)
    customer_id, conversations = await answered_and_surveyed(api, "Flurbelwumpf läuft")
    await exported_by_every_service(api, customer_id, conversations)
    parts = [e for e in api.published(CUSTOMER_EVENTS) if isinstance(e, customers_pb2.CustomerDataExported)]
    by_service = {s: sorted(e.sequence for e in parts if e.service == s) for s in {e.service for e in parts}}
    assert len(by_service["ingest"]) > 2 and len(by_service["classify"]) > 2
    assert all(numbers == list(range(len(numbers))) for numbers in by_service.values()), by_service


async def answered_and_surveyed(api: Api, comment: str) -> tuple[str, dict[str, str]]:
    """The customer writes twice, is answered on WhatsApp and comments in a survey; once reporting
    counted both messages, the customer's id and conversations."""
    customer_id, conversations = await customer_writes(api)
    await ok(api, "POST", f"/v1/customers/{customer_id}/notes", json={"text": f"Ruft {NAME} zurück"})
    await agent_answers(api, conversations["whatsapp"])
    survey = {
        "external_id": "srv-1",
        "kind": "csat",
        "score": 2,
        "conversation_id": conversations["whatsapp"],
    }
    await ok(api, "POST", "/v1/surveys", json={**survey, "comment": comment})

    async def counted() -> bool:
        return bool((await summary(api))["messages_received"] == 2)

    await eventually(counted)
    return customer_id, conversations


async def erasure_leaves_nothing_personal(api: Api, dbs: Databases) -> None:
    """A customer writes on two channels, is answered, answers a survey and asks for an export; after
    the erasure no database and no answer holds anything personal, and the reports count the same."""
    customer_id, conversations = await answered_and_surveyed(
        api, f"{NAME}: der Flurbelwumpf-Service war langsam"
    )
    await exported_by_every_service(api, customer_id, conversations)
    before = await summary(api)
    for service in SERVICES:  # each database held some, where the test looks
        assert personal_in(await dbs.dump(service)), service

    answer = await ok(api, "POST", f"/v1/customers/{customer_id}/erase")
    erasure_id = answer["id"]
    assert answer["conversations"] == 2
    [event] = [e for e in api.published(CUSTOMER_EVENTS) if isinstance(e, customers_pb2.CustomerErased)]
    assert event.event_id == erasure_id and set(event.conversation_ids) == set(conversations.values())
    inbox = "SELECT count(*) FROM inbox WHERE consumer LIKE '%erasure' AND event_id = :id"

    async def handled() -> bool:
        for service in ("ingest", "classify", "reply", "reporting"):
            if await dbs.scalar(service, inbox, id=erasure_id) != 1:
                return False
        announced = [
            e.event_id
            for e in api.published(CUSTOMER_EVENTS)
            if isinstance(e, customers_pb2.CustomerMessagesErased) and e.erasure_id == erasure_id
        ]
        if not announced or await dbs.scalar("classify", inbox, id=announced[0]) != 1:
            return False
        outbox = "SELECT count(*) FROM outbox"
        return all([await dbs.scalar(s, outbox) == 0 for s in SERVICES])

    await eventually(handled)

    for service in SERVICES:
        left = personal_in(await dbs.dump(service))
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


async def test_an_erased_customer_leaves_no_personal_data_in_any_database_or_answer(
    api: Api, channel: Scripted, dbs: Databases
) -> None:
    await erasure_leaves_nothing_personal(api, dbs)
