"""All five services in one `webcare run` process (in-memory bus, SQLite), driven over HTTP."""

from __future__ import annotations

import time

from tests.e2e import flows
from tests.e2e.harness import Stack, wait_for

PROMPT_SECONDS = 2.0


def test_message_to_report_flow_in_one_process(embedded_stack: Stack) -> None:
    """A message travels ingest -> classify -> routing -> reply -> reporting, and the report is exact."""
    flows.support_flow(embedded_stack)


def test_waiting_message_goes_to_an_agent_within_2s_of_them_becoming_available(
    embedded_stack: Stack,
) -> None:
    """A message that arrives while nobody is available waits; it is assigned within 2 s of an agent
    becoming available, and the report shows the message and its answer within 2 s each."""
    admin = embedded_stack.client()
    agent = flows.create_agent(admin, name="Clara")  # offline: nobody is available
    clara = embedded_stack.client(flows.issue_agent_key(admin, agent["id"])["key"])

    accepted = flows.post_message(
        admin, author="customer-w", text=flows.CUSTOMER_TEXTS[0][1], external_id="tweet-w"
    )
    assert accepted.status_code == 202, accepted.text
    posted_at = time.time()
    [waiting] = wait_for(
        lambda: flows.conversations(admin),
        until=lambda items: len(items) == 1,
        timeout=10,
        what="the message to open a conversation",
    )
    opened = time.monotonic()
    flows.wait_for_counts(
        admin,
        {
            "messages_received": 1,
            "conversations_opened": 1,
            "conversations_answered": 0,
            "conversations_resolved": 0,
        },
        timeout=PROMPT_SECONDS,
    )
    print(f"report showed the new conversation {time.monotonic() - opened:.2f}s after it opened")
    [still_waiting] = flows.conversations(admin)
    assert waiting["status"] == still_waiting["status"] == "waiting", still_waiting
    assert still_waiting["assignee_id"] is None

    available = time.monotonic()
    response = clara.put(f"/v1/agents/{agent['id']}/presence", {"presence": "available"})
    assert response.status_code == 200, response.text
    [assigned] = wait_for(
        lambda: flows.conversations(clara, assignee="me"),
        until=lambda items: len(items) == 1 and items[0]["status"] == "assigned",
        timeout=PROMPT_SECONDS,
        what="the waiting conversation to be assigned to the agent who became available",
    )
    print(f"assigned {time.monotonic() - available:.2f}s after the agent became available")
    assert assigned["id"] == waiting["id"] and assigned["assignee_id"] == agent["id"]

    answering = time.time()
    flows.send_reply(clara, assigned["id"], "Hallo, das tut uns leid! Wir schauen sofort nach.")
    answered = time.monotonic()
    report = flows.wait_for_counts(
        admin,
        {
            "messages_received": 1,
            "conversations_opened": 1,
            "conversations_answered": 1,
            "conversations_resolved": 0,
        },
        timeout=PROMPT_SECONDS,
    )
    print(f"report showed the answer {time.monotonic() - answered:.2f}s after it was sent")
    assert report["response_rate"] == 1.0
    # The customer waited at least from the 202 until the agent began to answer.
    first_response = report["first_response_seconds"]
    assert first_response["median"] == first_response["p90"] >= answering - posted_at - 0.01, report
