"""The five services as separate processes on Kafka and PostgreSQL, driven over HTTP."""

from __future__ import annotations

import time
import uuid

from tests.e2e import flows
from tests.e2e.harness import Client, Distributed, wait_for

KEY_PROPAGATION_SECONDS = 5.0


def test_message_to_report_flow_across_five_processes(distributed_stack: Distributed) -> None:
    """A message travels ingest -> classify -> routing -> reply -> reporting, and the report is exact."""
    flows.support_flow(distributed_stack)


def _statuses(client: Client) -> dict[str, int]:
    """What each service answers a caller with this key (classify serves no /v1 routes)."""
    unknown_conversation = str(uuid.uuid4())
    message = {
        "channel": "x",
        "external_id": "probe",
        "author": {"id": "probe"},
        "text": "hi",
        "public": True,
    }
    return {
        "routing": client.get("/v1/conversations", params={"assignee": "me"}).status_code,
        "reply": client.get(f"/v1/conversations/{unknown_conversation}/replies").status_code,
        "ingest": client.post("/v1/messages", message).status_code,
        "reporting": client.get("/v1/reports/summary").status_code,
    }


def test_agent_key_is_honoured_then_revoked_on_every_service(distributed_stack: Distributed) -> None:
    """An agent key reaches every service through the api-key topic, and so does its revocation.

    Each service keeps its own copy of the keys: with a known agent key, routing lists the agent's
    conversations (200), reply looks the conversation up (404, not 401), ingest and reporting refuse
    the role (403, not 401). After DELETE every one of them answers 401.
    """
    admin = distributed_stack.client()
    stranger = distributed_stack.client("wck_" + uuid.uuid4().hex * 2)
    unauthenticated = dict.fromkeys(("routing", "reply", "ingest", "reporting"), 401)
    assert _statuses(stranger) == unauthenticated

    agent = flows.create_agent(admin, name="Ben")  # offline: never takes a conversation
    key = flows.issue_agent_key(admin, agent["id"])
    issued = time.monotonic()
    ben = distributed_stack.client(key["key"])
    authenticated = {"routing": 200, "reply": 404, "ingest": 403, "reporting": 403}
    wait_for(
        lambda: _statuses(ben),
        until=lambda statuses: statuses == authenticated,
        timeout=KEY_PROPAGATION_SECONDS,
        what="every service to know the new agent key",
    )
    print(f"key known everywhere {time.monotonic() - issued:.2f}s after it was issued")
    assert flows.conversations(ben, assignee="me") == []

    revoked = admin.delete(f"/v1/api-keys/{key['id']}")
    assert revoked.status_code == 204, revoked.text
    revoked_at = time.monotonic()
    wait_for(
        lambda: _statuses(ben),
        until=lambda statuses: statuses == unauthenticated,
        timeout=KEY_PROPAGATION_SECONDS,
        what="every service to refuse the revoked agent key",
    )
    print(f"key refused everywhere {time.monotonic() - revoked_at:.2f}s after it was revoked")
    listed = {k["id"]: k for k in admin.get("/v1/api-keys").json()["items"]}
    assert listed[key["id"]]["revoked_at"] is not None
    assert admin.get("/v1/reports/summary").status_code == 200  # only that key was revoked
