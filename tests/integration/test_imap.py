"""The IMAP poller against a real Dovecot: every mail taken once, flagged on the server, a bad mailbox alone.

The server comes from scripts/infra.py (`make test` starts one and sets WEBCARE_TEST_IMAP_URL). Run on
its own, this module starts a private Dovecot the same way and stops it afterwards; only when none can
be started does it skip, saying why. Ingest runs embedded (in-memory bus, SQLite).
"""

from __future__ import annotations

import asyncio
import imaplib
import importlib.util
import os
import pathlib
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from pydantic import SecretStr
from webcare.v1 import messages_pb2, replies_pb2

from services.ingest import accounts
from services.ingest.accounts import Account
from services.ingest.channels import imap
from services.ingest.models import ChannelAccountIn
from services.ingest.spec import spec as ingest_spec
from services.kit.app import create_app
from services.kit.bus.memory import MemoryBus
from services.kit.config import KitSettings
from services.kit.events import MESSAGE_RECEIVED, REPLY_EVENTS, decode
from services.kit.runtime import Runtime

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest" / "email"
TENANT = "acme"


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    password: str


def _infra() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webcare_infra", ROOT / "scripts" / "infra.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def imap_server() -> Iterator[ImapServer]:
    """The test IMAP server: the one `make test` names, or a private Dovecot started here."""
    state: dict[str, Any] = {}
    env: dict[str, str] = {}
    infra = _infra()
    if not os.environ.get(infra.ENV_IMAP) and os.environ.get(infra.ENV_IMAP_UNAVAILABLE):
        pytest.skip(f"no IMAP server could be started: {os.environ[infra.ENV_IMAP_UNAVAILABLE]}")
    infra.ensure_dovecot(state, env)
    try:
        if infra.ENV_IMAP not in env:
            pytest.skip(f"no IMAP server could be started: {env.get(infra.ENV_IMAP_UNAVAILABLE)}")
        url = urlsplit(env[infra.ENV_IMAP])
        yield ImapServer(host=url.hostname or "127.0.0.1", port=url.port or 143, password=url.password or "")
    finally:
        infra.stop_services(state)


@pytest.fixture
async def ingest(tmp_path: pathlib.Path) -> AsyncIterator[FastAPI]:
    """An embedded ingest service (its IMAP poller running)."""
    settings = KitSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db",
        admin_api_key=SecretStr("integration-admin-key-0123456789"),
        tenant=TENANT,
        outbox_relay_seconds=0.2,
    )
    app = create_app([ingest_spec()], settings, bus_kind="memory", migrate_on_start=True)
    async with app.router.lifespan_context(app):
        yield app


def runtime_of(app: FastAPI) -> Runtime:
    rt: Runtime = app.state.runtimes["ingest"]
    return rt


def received(app: FastAPI) -> list[messages_pb2.MessageReceived]:
    bus = app.state.bus
    assert isinstance(bus, MemoryBus)
    events = [decode(record) for part in bus.broker.partitions(MESSAGE_RECEIVED) for record in part]
    return [event for event in events if isinstance(event, messages_pb2.MessageReceived)]


async def mailbox(
    app: FastAPI, server: ImapServer, *, password: str | None = None, poll_seconds: float = 3600
) -> Account:
    """A fresh mailbox on the server, registered as an e-mail account (the user name is the address)."""
    address = f"service-{uuid.uuid4().hex[:10]}@telco.example"
    data = ChannelAccountIn(
        channel="email",
        external_id=address,
        secrets={"password": server.password if password is None else password},
        settings={
            "imap_host": server.host,
            "imap_port": server.port,
            "imap_ssl": False,
            "poll_seconds": poll_seconds,
        },
    )
    created = await accounts.create(runtime_of(app), TENANT, data)
    found = await accounts.find(runtime_of(app), "email", address)
    assert found is not None and found.id == created.id
    return found


def client(server: ImapServer, user: str) -> imaplib.IMAP4:
    conn = imaplib.IMAP4(server.host, server.port, timeout=10)
    conn.login(user, server.password)
    return conn


def deliver(server: ImapServer, user: str, *names: str) -> None:
    """Put mails into the user's INBOX, as an MTA would (IMAP APPEND)."""
    conn = client(server, user)
    try:
        for name in names:
            status, _ = conn.append("INBOX", None, None, (FIXTURES / name).read_bytes())
            assert status == "OK"
    finally:
        conn.logout()


def flags(server: ImapServer, user: str) -> list[set[str]]:
    """The flags of every message in the user's INBOX, in order."""
    conn = client(server, user)
    try:
        conn.select("INBOX", readonly=True)
        status, data = conn.fetch("1:*", "(FLAGS)")
        assert status == "OK"
        found = [re.search(rb"FLAGS \(([^)]*)\)", item) for item in data if isinstance(item, bytes)]
        return [set(match.group(1).decode().split()) for match in found if match]
    finally:
        conn.logout()


def poll_errors(account: Account) -> float:
    """The failed polls of a mailbox, as /metrics shows them."""
    value = REGISTRY.get_sample_value("webcare_ingest_imap_poll_errors_total", {"account_id": account.id})
    return value or 0.0


async def test_one_poll_takes_each_mail_once_and_flags_it_on_the_server(
    ingest: FastAPI, imap_server: ImapServer
) -> None:
    rt = runtime_of(ingest)
    await imap.stop(rt)  # this test polls by hand
    account = await mailbox(ingest, imap_server)
    deliver(imap_server, account.external_id, "thread_1.eml", "thread_2.eml", "thread_3.eml")

    taken = await imap.poll_account(rt, account)

    events = received(ingest)
    assert taken == 3 and len(events) == 3
    assert {event.conversation_key for event in events} == {"email:CAF1-thread-1@mail.example.de"}
    assert sorted(event.external_id for event in events) == [
        "CAF1-thread-1@mail.example.de",
        "CAF1-thread-2@mail.example.de",
        "CAF1-thread-3@mail.example.de",
    ]
    assert {event.channel_account_id for event in events} == {account.id}
    assert "Danke, aber die Erstattung ist noch nicht auf meinem Konto." in [event.text for event in events]
    on_server = flags(imap_server, account.external_id)
    assert len(on_server) == 3 and all({"$WebcareTaken", "\\Seen"} <= found for found in on_server)

    assert await imap.poll_account(rt, account) == 0
    assert len(received(ingest)) == 3

    deliver(imap_server, account.external_id, "quote_de_schrieb.eml")
    assert await imap.poll_account(rt, account) == 1
    assert len(received(ingest)) == 4
    on_server = flags(imap_server, account.external_id)
    assert len(on_server) == 4 and all("$WebcareTaken" in found for found in on_server)


async def test_a_crash_before_flagging_reads_the_mail_again_and_it_stays_one_message(
    ingest: FastAPI, imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = runtime_of(ingest)
    await imap.stop(rt)
    account = await mailbox(ingest, imap_server)
    deliver(imap_server, account.external_id, "thread_1.eml")

    def crash(self: object, uid: bytes) -> None:
        raise ConnectionResetError("the process died before flagging")

    with monkeypatch.context() as patch:
        patch.setattr(imap._Session, "mark", crash)
        with pytest.raises(ConnectionResetError):
            await imap.poll_account(rt, account)
    assert len(received(ingest)) == 1
    assert "$WebcareTaken" not in flags(imap_server, account.external_id)[0]

    assert await imap.poll_account(rt, account) == 1  # read again, accepted as a duplicate
    assert len(received(ingest)) == 1
    assert "$WebcareTaken" in flags(imap_server, account.external_id)[0]


async def test_the_started_poller_polls_and_a_failing_mailbox_does_not_stop_the_others(
    ingest: FastAPI, imap_server: ImapServer
) -> None:
    broken = await mailbox(ingest, imap_server, password="wrong-password", poll_seconds=1)
    working = await mailbox(ingest, imap_server, poll_seconds=1)
    errors_before = poll_errors(broken)
    deliver(imap_server, working.external_id, "thread_1.eml")

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while not received(ingest) and loop.time() < deadline:
        await asyncio.sleep(0.1)
    [event] = received(ingest)
    assert event.channel_account_id == working.id

    deliver(imap_server, working.external_id, "thread_2.eml")
    while len(received(ingest)) < 2 and loop.time() < deadline + 10:
        await asyncio.sleep(0.1)
    assert len(received(ingest)) == 2  # polled again, while the broken mailbox keeps failing

    state = runtime_of(ingest).state[imap.STATE_KEY]
    assert poll_errors(broken) > errors_before
    assert "AUTHENTICATIONFAILED" in state.errors[broken.id] or "failed" in state.errors[broken.id].lower()
    assert working.id not in state.errors


async def test_a_bounce_is_a_receipt_of_the_original_no_message_and_flagged_taken(
    ingest: FastAPI, imap_server: ImapServer
) -> None:
    rt = runtime_of(ingest)
    await imap.stop(rt)
    account = await mailbox(ingest, imap_server)
    deliver(imap_server, account.external_id, "bounce_postfix.eml")

    assert await imap.poll_account(rt, account) == 1

    assert received(ingest) == []
    bus = ingest.state.bus
    assert isinstance(bus, MemoryBus)
    events = [decode(record) for part in bus.broker.partitions(REPLY_EVENTS) for record in part]
    [receipt] = [event for event in events if isinstance(event, replies_pb2.DeliveryReceipt)]
    assert (receipt.channel_account_id, receipt.external_id, receipt.status, receipt.error_code) == (
        account.id,
        "4f1c0e9a2b7d4c3e8a6f5b1d2c3e4f5a@telco.example",
        "failed",
        "5.1.1",
    )
    assert "$WebcareTaken" in flags(imap_server, account.external_id)[0]
