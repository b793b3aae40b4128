"""One error format, API keys with roles, and tenants that never see each other."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.kit.auth import Role
from tests.unit.conftest import Api, eventually


async def test_missing_key_is_401_in_the_error_format(api: Api) -> None:
    response = await api.client.get("/v1/reports/summary")
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "unauthenticated" and body["detail"] and body["request_id"]
    assert response.headers["www-authenticate"] == "Bearer"


async def test_unknown_key_is_401(api: Api) -> None:
    response = await api.call("GET", "/v1/reports/summary", key="wck_nope")
    assert response.status_code == 401


async def test_malformed_json_is_400(api: Api) -> None:
    response = await api.client.post(
        "/v1/messages", content=b"{not json", headers={**api.headers(), "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "malformed"


async def test_valid_json_breaking_a_rule_is_422_naming_the_field(api: Api) -> None:
    response = await api.call("POST", "/v1/agents", json={"name": "Anna", "languages": ["deutsch"]})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request"
    assert any(problem["field"] == "languages" for problem in body["detail"])


async def test_unknown_path_is_404_in_the_error_format(api: Api) -> None:
    response = await api.call("GET", "/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("role", "method", "path", "allowed"),
    [
        (Role.agent, "POST", "/v1/agents", False),
        (Role.agent, "GET", "/v1/reports/summary", False),
        (Role.supervisor, "GET", "/v1/reports/summary", True),
        (Role.integration, "GET", "/v1/conversations", False),
        (Role.supervisor, "POST", "/v1/messages", False),
    ],
)
async def test_roles_limit_what_a_key_may_do(
    api: Api, role: Role, method: str, path: str, allowed: bool
) -> None:
    api.add_key(
        "role-key-0123456789", tenant="acme", role=role, agent_id="a1" if role == Role.agent else None
    )
    response = await api.call(method, path, key="role-key-0123456789", json={})
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden"


async def test_another_tenant_never_sees_or_changes_our_conversations(api: Api) -> None:
    await api.message("m1")

    async def opened() -> bool:
        return len(await api.conversations()) == 1

    await eventually(opened)
    conversation_id = (await api.conversations())[0]["id"]
    api.add_key("other-tenant-admin-0123", tenant="globex", role=Role.admin)
    listing = await api.call("GET", "/v1/conversations", key="other-tenant-admin-0123")
    assert listing.json()["items"] == []
    resolve = await api.call(
        "POST", f"/v1/conversations/{conversation_id}/resolve", key="other-tenant-admin-0123"
    )
    assert resolve.status_code == 404
    summary = await api.call("GET", "/v1/reports/summary", key="other-tenant-admin-0123")
    assert summary.json()["messages_received"] == 0


async def test_issued_key_works_and_stops_working_when_revoked(api: Api) -> None:
    created = await api.call("POST", "/v1/api-keys", json={"name": "CRM", "role": "integration"})
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/v1/api-keys/{created.json()['id']}"
    key = created.json()["key"]
    message = {"channel": "api", "external_id": "1", "author": {"id": "a"}, "text": "Hallo", "public": False}

    async def accepted() -> bool:
        return (await api.call("POST", "/v1/messages", key=key, json=message)).status_code == 202

    await eventually(accepted)
    listed = await api.call("GET", "/v1/api-keys")
    assert all(item["key"] is None for item in listed.json()["items"])
    assert (await api.call("DELETE", f"/v1/api-keys/{created.json()['id']}")).status_code == 204

    async def refused() -> bool:
        return (await api.call("POST", "/v1/messages", key=key, json=message)).status_code == 401

    await eventually(refused)


async def test_agent_key_needs_an_existing_agent(api: Api) -> None:
    response = await api.call(
        "POST", "/v1/api-keys", json={"name": "x", "role": "agent", "agent_id": "nobody"}
    )
    assert response.status_code == 404
    response = await api.call("POST", "/v1/api-keys", json={"name": "x", "role": "agent"})
    assert response.status_code == 422


async def test_health_readiness_metrics_and_openapi(api: Api) -> None:
    assert (await api.client.get("/healthz")).json() == {"status": "ok"}
    ready = await api.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    await api.call("GET", "/v1/reports/summary")
    metrics = (await api.client.get("/metrics")).text
    assert (
        'webcare_http_requests_total{method="GET",route="/v1/reports/summary",service="reporting",status="200"}'
        in metrics
    )
    schema = (await api.client.get("/openapi.json")).json()
    assert "/v1/messages" in schema["paths"] and "/v1/agents/{agent_id}/presence" in schema["paths"]
    request_body = schema["paths"]["/v1/messages"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert request_body["$ref"].endswith("MessageIn")
    assert schema["components"]["schemas"]["MessageIn"]["examples"]


async def test_body_over_the_limit_is_413_announced_or_streamed(api: Api) -> None:
    big = b'{"text": "' + b"x" * 2_000_000 + b'"}'
    headers = {**api.headers(), "content-type": "application/json"}
    announced = await api.client.post("/v1/messages", content=big, headers=headers)
    assert announced.status_code == 413
    assert announced.json()["error"] == "too_large"

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 65_536):
            yield big[start : start + 65_536]

    streamed = await api.client.post("/v1/messages", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    assert streamed.json()["error"] == "too_large"


async def test_inbound_email_may_be_larger_than_other_bodies_but_not_unbounded(api: Api) -> None:
    attachment = b"a" * 2_000_000  # over WEBCARE_MAX_BODY_BYTES (1 MB), under the e-mail limit
    files = {"attachment-1": ("vertrag.pdf", attachment, "application/pdf")}
    email = await api.client.post("/v1/webhooks/email", data={"recipient": "x@nowhere.example"}, files=files)
    assert email.status_code != 413, email.text  # it reaches the adapter (which knows no such mailbox)
    assert email.status_code == 404
    other = await api.client.post("/v1/messages", content=b"{" + attachment + b"}", headers=api.headers())
    assert other.status_code == 413
    huge = b"a" * 31 * 1024 * 1024
    too_big = await api.client.post(
        "/v1/webhooks/email", content=huge, headers={"content-type": "text/plain"}
    )
    assert too_big.status_code == 413
