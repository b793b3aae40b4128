"""What integrators see on Kafka: CloudEvents binary headers and a body that proto/ alone decodes."""

from __future__ import annotations

import asyncio
import pathlib
import subprocess
import sys

import httpx
from aiokafka import AIOKafkaConsumer
from pydantic import SecretStr

from services.ingest.spec import spec as ingest_spec
from services.kit.app import create_app
from services.kit.config import KitSettings
from services.kit.events import MESSAGE_RECEIVED

ROOT = pathlib.Path(__file__).resolve().parents[2]
ADMIN_KEY = "wire-test-admin-key-0123456789"


def decode_with_protoc(message_type: str, proto_file: str, body: bytes) -> str:
    """Decode a body with protoc and the .proto files only, as an integrator in any language would."""
    from grpc_tools import protoc

    include = pathlib.Path(protoc.__file__).parent / "_proto"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            f"-I{ROOT / 'proto'}",
            f"-I{include}",
            f"--decode={message_type}",
            proto_file,
        ],
        input=body,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


async def test_message_received_on_kafka_has_cloudevents_headers_and_a_protobuf_body(
    kafka_bootstrap: str, tmp_path: pathlib.Path, unique: str
) -> None:
    tenant = f"wire-{unique}"
    settings = KitSettings(
        kafka_bootstrap=kafka_bootstrap,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db",
        admin_api_key=SecretStr(ADMIN_KEY),
        tenant=tenant,
    )
    app = create_app([ingest_spec()], settings, bus_kind="kafka", migrate_on_start=True)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest.test") as client:
            response = await client.post(
                "/v1/messages",
                headers={"Authorization": f"Bearer {ADMIN_KEY}"},
                json={
                    "channel": "x",
                    "external_id": f"tweet-{unique}",
                    "author": {"id": "4711", "handle": "@kunde", "name": "Karla Kunde"},
                    "text": "Grüße 👋 — wann kommt mein Paket?",
                    "public": True,
                },
            )
    assert response.status_code == 202, response.text
    message_id = response.json()["id"]

    consumer: AIOKafkaConsumer[bytes, bytes] = AIOKafkaConsumer(
        MESSAGE_RECEIVED,
        bootstrap_servers=kafka_bootstrap,
        group_id=f"wire-{unique}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        found = None
        async with asyncio.timeout(30):
            while found is None:
                batches = await consumer.getmany(timeout_ms=500)
                for messages in batches.values():
                    for message in messages:
                        headers = {k: bytes(v).decode() for k, v in message.headers}
                        if headers.get("ce_tenant") == tenant:
                            found = (message, headers)
    finally:
        await consumer.stop()

    message, headers = found
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_type"] == "webcare.message.received.v1"
    assert headers["ce_source"] == "/webcare/ingest"
    assert headers["ce_time"].endswith("Z")
    assert headers["content-type"] == "application/protobuf"
    assert headers["traceparent"].startswith("00-")
    assert message.key == b"x:4711"
    text = decode_with_protoc("webcare.v1.MessageReceived", "webcare/v1/messages.proto", message.value or b"")
    assert f'event_id: "{headers["ce_id"]}"' in text
    assert f'message_id: "{message_id}"' in text
    assert f'tenant_id: "{tenant}"' in text
    assert 'handle: "@kunde"' in text
