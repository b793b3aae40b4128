"""Steps of the customer-service path over the HTTP API, shared by the embedded and distributed tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.harness import Client, Stack, wait_for

# (language the classifier must detect, what the customer wrote)
CUSTOMER_TEXTS: tuple[tuple[str, str], ...] = (
    ("de", "Mein Internet ist seit gestern weg. Wann funktioniert es endlich wieder?"),
    ("en", "My parcel still has not arrived, could you please check where it is?"),
    ("de", "Ich warte seit zwei Wochen auf meine Rechnung, bitte melden Sie sich bei mir."),
    ("en", "The app keeps crashing whenever I try to log in to my account."),
    ("de", "Vielen Dank für die schnelle Hilfe gestern, der Techniker war sehr freundlich!"),
)
COUNTS = ("messages_received", "conversations_opened", "conversations_answered", "conversations_resolved")
Json = dict[str, Any]


def create_agent(admin: Client, *, name: str, presence: str = "offline") -> Json:
    """Add a German- and English-speaking agent with the default capacity."""
    response = admin.post("/v1/agents", {"name": name, "languages": ["de", "en"], "presence": presence})
    assert response.status_code == 201, response.text
    agent: Json = response.json()
    assert response.headers["location"] == f"/v1/agents/{agent['id']}"
    return agent


def issue_agent_key(admin: Client, agent_id: str) -> Json:
    """Create an API key with the agent role for one agent; the answer carries the secret."""
    response = admin.post("/v1/api-keys", {"name": "console", "role": "agent", "agent_id": agent_id})
    assert response.status_code == 201, response.text
    key: Json = response.json()
    assert key["key"] and key["role"] == "agent" and key["agent_id"] == agent_id
    return key


def post_message(
    client: Client, *, author: str, text: str, external_id: str, conversation_key: str | None = None
) -> httpx.Response:
    """Send one customer message to ingest, as X would deliver it."""
    body: Json = {
        "channel": "x",
        "external_id": external_id,
        "author": {"id": author, "handle": f"@{author}"},
        "text": text,
        "public": True,
    }
    if conversation_key is not None:
        body["conversation_key"] = conversation_key
    return client.post("/v1/messages", body)


def conversations(client: Client, **filters: str) -> list[Json]:
    """Every conversation the caller may see (one page of up to 500)."""
    response = client.get("/v1/conversations", params={"limit": 500, **filters})
    assert response.status_code == 200, response.text
    body: Json = response.json()
    assert body["next_cursor"] is None
    items: list[Json] = body["items"]
    return items


def summary(client: Client) -> Json:
    """The tenant's summary report."""
    response = client.get("/v1/reports/summary")
    assert response.status_code == 200, response.text
    report: Json = response.json()
    return report


def counts(report: Json) -> dict[str, int]:
    """The counters of a summary report."""
    return {name: report[name] for name in COUNTS}


def wait_for_counts(client: Client, expected: dict[str, int], *, timeout: float) -> Json:
    """Wait until the summary report shows exactly `expected`; return the report."""
    return wait_for(
        lambda: summary(client),
        until=lambda report: counts(report) == expected,
        timeout=timeout,
        what=f"the summary report to show {expected}",
    )


def send_reply(agent: Client, conversation_id: str, text: str, *, timeout: float = 10.0) -> Json:
    """Answer a conversation, once reply has heard (from routing's events) that it is the agent's."""
    response = wait_for(
        lambda: agent.post(f"/v1/conversations/{conversation_id}/replies", {"text": text}),
        until=lambda r: r.status_code != 404,
        timeout=timeout,
        what=f"reply to learn that conversation {conversation_id} is assigned",
    )
    assert response.status_code == 201, response.text
    reply: Json = response.json()
    assert reply["status"] == "sent" and reply["conversation_id"] == conversation_id, reply
    return reply


def resolve(agent: Client, conversation_id: str) -> Json:
    """Resolve a conversation."""
    response = agent.post(f"/v1/conversations/{conversation_id}/resolve")
    assert response.status_code == 200, response.text
    conversation: Json = response.json()
    assert conversation["status"] == "resolved", conversation
    return conversation


def support_flow(stack: Stack, *, resolve_count: int = 2, timeout: float = 30.0) -> None:
    """Drive the whole path over HTTP and check every step and the final report exactly.

    An agent (German and English, capacity 5) goes available with their own agent key; five
    customers write (German and English); each message opens its own conversation, which is
    classified by language and assigned to the agent; the agent answers all and resolves some.
    """
    admin = stack.client()
    agent = create_agent(admin, name="Anna")
    assert agent["capacity"] == {"default": 5} and agent["presence"] == "offline"
    anna = stack.client(issue_agent_key(admin, agent["id"])["key"])
    # Every service learns the new key from the api-key topic; routing too.
    presence = wait_for(
        lambda: anna.put(f"/v1/agents/{agent['id']}/presence", {"presence": "available"}),
        until=lambda r: r.status_code != 401,
        timeout=5,
        what="routing to accept the new agent key",
    )
    assert presence.status_code == 200 and presence.json()["presence"] == "available", presence.text

    language_of: dict[str, str] = {}
    for number, (language, text) in enumerate(CUSTOMER_TEXTS):
        author = f"customer-{number}"
        accepted = post_message(admin, author=author, text=text, external_id=f"tweet-{number}")
        assert accepted.status_code == 202, accepted.text
        assert accepted.json()["status"] == "accepted" and not accepted.json()["duplicate"]
        language_of[f"x:{author}"] = language
    total = len(CUSTOMER_TEXTS)

    mine = wait_for(
        lambda: conversations(anna, assignee="me"),
        until=lambda items: len(items) >= total,
        timeout=timeout,
        what=f"{total} conversations assigned to the agent",
    )
    assert {c["conversation_key"]: c["language"] for c in mine} == language_of
    assert all(c["status"] == "assigned" and c["assignee_id"] == agent["id"] for c in mine), mine
    assert all(c["message_count"] == 1 for c in mine), mine
    assert len(conversations(admin)) == total  # nothing else was opened in this tenant

    for conversation in mine:
        send_reply(anna, conversation["id"], "Danke für Ihre Nachricht, wir kümmern uns sofort darum.")
        replies = anna.get(f"/v1/conversations/{conversation['id']}/replies")
        assert replies.status_code == 200 and len(replies.json()["items"]) == 1, replies.text
    for conversation in mine[:resolve_count]:
        resolve(anna, conversation["id"])

    report = wait_for_counts(
        admin,
        {
            "messages_received": total,
            "conversations_opened": total,
            "conversations_answered": total,
            "conversations_resolved": resolve_count,
        },
        timeout=timeout,
    )
    assert report["response_rate"] == 1.0, report
    median, p90 = report["first_response_seconds"]["median"], report["first_response_seconds"]["p90"]
    assert isinstance(median, int | float) and isinstance(p90, int | float), report
    assert 0 <= median <= p90, report
