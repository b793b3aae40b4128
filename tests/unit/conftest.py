"""An embedded Webcare (all services, in-memory bus, SQLite) driven in-process over ASGI."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pathlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from google.protobuf.message import Message
from pydantic import SecretStr

from services.classify import model
from services.classify.classifier import Classifier
from services.classify.config import CORPUS
from services.classify.model import TextModel
from services.cli import SPECS
from services.kit.app import create_app
from services.kit.auth import Principal, Role
from services.kit.bus.memory import MemoryBus
from services.kit.config import KitSettings
from services.kit.events import decode

ADMIN_KEY = "unit-test-admin-key-0123456789"
TENANT = "acme"
# Channel-account secrets are encrypted with this key in every test process (ingest reads it).
os.environ.setdefault("WEBCARE_SECRETS_KEY", Fernet.generate_key().decode())
# The tests' feeds are served on 127.0.0.1 (production refuses non-public addresses).
os.environ.setdefault("WEBCARE_FEED_ALLOW_PRIVATE_NETWORKS", "true")
# ... and the tests' channel APIs too.
os.environ.setdefault("WEBCARE_REPLY_ALLOW_PRIVATE_NETWORKS", "true")
os.environ.setdefault("WEBCARE_ROUTING_ALLOW_PRIVATE_NETWORKS", "true")  # ... and the tests' CRMs


class Api:
    """An HTTP client of the embedded app with the admin key, and helpers to wait for the bus."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        self.app = app
        self.client = client

    def headers(self, key: str = ADMIN_KEY) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    async def call(self, method: str, path: str, *, key: str = ADMIN_KEY, **kwargs: Any) -> httpx.Response:
        return await self.client.request(method, path, headers=self.headers(key), **kwargs)

    async def agent(self, name: str = "Anna", **fields: Any) -> dict[str, Any]:
        body = {"name": name, "languages": ["de", "en"], "capacity": {"default": 5}, **fields}
        response = await self.call("POST", "/v1/agents", json=body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def message(self, external_id: str, text: str = "Wo bleibt meine Rechnung?", **fields: Any) -> str:
        body = {
            "channel": "x",
            "external_id": external_id,
            "author": {"id": f"author-{external_id}", "handle": "@kunde"},
            "text": text,
            "public": True,
            **fields,
        }
        response = await self.call("POST", "/v1/messages", json=body)
        assert response.status_code == 202, response.text
        message_id: str = response.json()["id"]
        return message_id

    async def conversations(self, **params: str) -> list[dict[str, Any]]:
        response = await self.call("GET", "/v1/conversations", params=params)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    def published(self, topic: str) -> list[Message]:
        """Every event on a topic of the in-memory bus so far, partition by partition."""
        bus = self.app.state.bus
        assert isinstance(bus, MemoryBus)
        events = [decode(record) for part in bus.broker.partitions(topic) for record in part]
        return [event for event in events if event is not None]

    async def channel_account(self, channel: str, external_id: str, **fields: Any) -> dict[str, Any]:
        """Register a channel account for the test tenant."""
        body = {"channel": channel, "external_id": external_id, **fields}
        response = await self.call("POST", "/v1/channel-accounts", json=body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def add_key(self, key: str, *, tenant: str, role: Role, agent_id: str | None = None) -> None:
        """Know a key directly, as if its ApiKeyIssued event had arrived."""
        from services.kit.auth import hash_secret

        principal = Principal(tenant_id=tenant, role=role, key_id=f"k-{key}", agent_id=agent_id)
        self.app.state.keys.add(secret_sha256=hash_secret(key), principal=principal)


async def eventually(check: Callable[[], Awaitable[bool]], *, seconds: float = 10.0) -> None:
    """Wait until `check` holds, or fail after `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not await check():
        if loop.time() > deadline:
            pytest.fail(f"condition not met within {seconds}s")
        await asyncio.sleep(0.02)


@pytest.fixture(scope="session")
def classify_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pathlib.Path]:
    """A model directory with the classify model, built once per session; WEBCARE_MODEL_DIR names it."""
    directory = tmp_path_factory.mktemp("models")
    model.build(directory, CORPUS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WEBCARE_MODEL_DIR", str(directory))
        yield directory


@pytest.fixture(scope="session")
def classify_model(classify_model_dir: pathlib.Path) -> TextModel:
    """The classify model of this session."""
    return model.load_or_build(classify_model_dir, CORPUS)


@pytest.fixture(scope="session")
def classifier(classify_model: TextModel) -> Classifier:
    """A classifier with the session's model (its language detector takes a moment to load)."""
    return Classifier(model=classify_model)


@contextlib.asynccontextmanager
async def embedded_api(database_url: str) -> AsyncIterator[Api]:
    """A started embedded app on these databases (a URL template with `{service}`), driven over ASGI;
    its classify service loads the model WEBCARE_MODEL_DIR names."""
    settings = KitSettings(
        database_url=database_url,
        admin_api_key=SecretStr(ADMIN_KEY),
        tenant=TENANT,
        handler_backoff_seconds=0.01,
        outbox_relay_seconds=0.2,
    )
    app = create_app([f() for f in SPECS.values()], settings, bus_kind="memory", migrate_on_start=True)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://webcare.test") as client:
            yield Api(app, client)


@pytest.fixture
async def api(tmp_path: pathlib.Path, classify_model_dir: pathlib.Path) -> AsyncIterator[Api]:
    """A started embedded app on SQLite (its classify service loads the session's model)."""
    async with embedded_api(f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db") as started:
        yield started
