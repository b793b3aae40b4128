"""Channels retry and duplicate: on real Kafka and PostgreSQL, one channel message is published once.

Ten deliveries of the same message arrive at the same moment; exactly one MessageReceived reaches
Kafka, and every delivery gets its 2xx only after that event is acknowledged.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from pydantic import SecretStr
from webcare.v1 import messages_pb2

from services.ingest.spec import spec as ingest_spec
from services.kit.app import create_app
from services.kit.config import KitSettings
from services.kit.events import MESSAGE_RECEIVED

ADMIN_KEY = "exactly-once-admin-key-0123456789"
PAGE_ID = "104857600000777"
APP_SECRET = "exactly-once-app-secret"


@pytest.fixture
async def ingest(kafka_bootstrap: str, pg_database_url: str, unique: str) -> AsyncIterator[httpx.AsyncClient]:
    """An ingest service on Kafka and PostgreSQL, with a registered Facebook page."""
    settings = KitSettings(
        kafka_bootstrap=kafka_bootstrap,
        database_url=pg_database_url,
        admin_api_key=SecretStr(ADMIN_KEY),
        tenant=f"once-{unique}",
        consumer_group_prefix=f"once-{unique}",
    )
    app = create_app([ingest_spec()], settings, bus_kind="kafka", migrate_on_start=True)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://ingest.test", headers=headers
        ) as client:
            account = {
                "channel": "facebook",
                "external_id": f"{PAGE_ID}{unique}",
                "secrets": {"app_secret": APP_SECRET},
            }
            response = await client.post("/v1/channel-accounts", json=account)
            assert response.status_code == 201, response.text
            yield client


async def received(
    kafka_bootstrap: str, tenant: str, *, settle_seconds: float = 3.0
) -> list[messages_pb2.MessageReceived]:
    """The tenant's MessageReceived events on Kafka, read until none came for `settle_seconds`."""
    consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(
        MESSAGE_RECEIVED, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    events: list[messages_pb2.MessageReceived] = []
    try:
        quiet_since = asyncio.get_running_loop().time()
        while asyncio.get_running_loop().time() - quiet_since < settle_seconds:
            batches = await consumer.getmany(timeout_ms=500)
            for messages in batches.values():
                for message in messages:
                    if dict(message.headers).get("ce_tenant") == tenant.encode():
                        event = messages_pb2.MessageReceived()
                        event.ParseFromString(message.value or b"")
                        events.append(event)
                        quiet_since = asyncio.get_running_loop().time()
    finally:
        await consumer.stop()
    return events


async def test_ten_concurrent_rest_deliveries_publish_one_event(
    ingest: httpx.AsyncClient, kafka_bootstrap: str, unique: str
) -> None:
    body: dict[str, Any] = {
        "channel": "x",
        "external_id": f"tweet-{unique}",
        "author": {"id": "4711", "handle": "@kunde"},
        "text": "Mein Paket ist weg 📦",
        "public": True,
    }
    answers = await asyncio.gather(*(ingest.post("/v1/messages", json=body) for _ in range(10)))
    assert [a.status_code for a in answers] == [202] * 10
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(not a.json()["duplicate"] for a in answers) == 1
    events = await received(kafka_bootstrap, f"once-{unique}")
    assert [e.external_id for e in events] == [f"tweet-{unique}"]
    assert events[0].message_id == answers[0].json()["id"]


async def test_ten_concurrent_signed_meta_deliveries_publish_one_event_each(
    ingest: httpx.AsyncClient, kafka_bootstrap: str, unique: str
) -> None:
    body = json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": f"{PAGE_ID}{unique}",
                    "time": 1_732_000_000_000,
                    "messaging": [
                        {
                            "sender": {"id": "7001"},
                            "recipient": {"id": f"{PAGE_ID}{unique}"},
                            "timestamp": 1_732_000_000_000,
                            "message": {"mid": f"m_{unique}", "text": "Wo bleibt meine Rechnung? 🧾"},
                        }
                    ],
                }
            ],
        }
    ).encode()
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    headers = {"X-Hub-Signature-256": signature, "Content-Type": "application/json"}
    answers = await asyncio.gather(
        *(ingest.post("/v1/webhooks/meta", content=body, headers=headers) for _ in range(10))
    )
    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    assert sum(a.json()["accepted"] for a in answers) == 1
    assert sum(a.json()["duplicates"] for a in answers) == 9
    events = await received(kafka_bootstrap, f"once-{unique}")
    assert [(e.channel, e.external_id) for e in events] == [("facebook", f"m_{unique}")]
