"""The answer's way out: the tenant's checks (blocks refuse, warnings stay with the reply, negative
words counted), templates and suggestions, drafts, four-eyes approval, and the quality-review sample
with the coaching figures it feeds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from webcare.v1 import conversations_pb2, replies_pb2

from services.kit.auth import Role
from services.kit.events import REPLY_EVENTS, new_event, now, timestamp
from services.kit.runtime import Runtime
from services.reply import dispatch, service
from services.reply.models import ConversationView
from tests.unit.conftest import ADMIN_KEY, TENANT, Api
from tests.unit.reply.test_dispatch import Scripted

SUPERVISOR, OTHER_SUPERVISOR, AGENT = "sup-key-0123456789", "sup2-key-0123456789", "agent-key-0123456789"


def reply_runtime(api: Api) -> Runtime:
    runtime: Runtime = api.app.state.runtimes["reply"]
    return runtime


@pytest.fixture
async def channel(api: Api) -> Scripted:
    """Reply sends through a scripted channel; two supervisors and an agent have keys."""
    rt = reply_runtime(api)
    scripted = Scripted()
    dispatch.dispatcher(rt).adapter = scripted
    await dispatch.stop(rt)
    api.add_key(SUPERVISOR, tenant=TENANT, role=Role.supervisor, agent_id="sup-1")
    api.add_key(OTHER_SUPERVISOR, tenant=TENANT, role=Role.supervisor, agent_id="sup-2")
    api.add_key(AGENT, tenant=TENANT, role=Role.agent, agent_id="agent-1")
    return scripted


async def conversation(api: Api, conversation_id: str = "conv-1", **fields: Any) -> str:
    """A conversation reply knows, held by agent-1."""
    values: dict[str, Any] = {
        "tenant_id": TENANT,
        "channel": "whatsapp",
        "channel_account_id": "acct-1",
        "customer_id": "4917612345678",
        "customer_name": "Karla",
        "in_reply_to": "wamid.first",
        "last_message_external_id": "wamid.first",
        "last_customer_message_at": now(),
        "assignee_id": "agent-1",
        "category": "question",
        "language": "de",
        **fields,
    }
    async with reply_runtime(api).unit_of_work() as uow:
        uow.session.add(ConversationView(id=conversation_id, **values))
    return conversation_id


async def policy(api: Api, **body: Any) -> None:
    answer = await api.call("PUT", "/v1/reply-policy", json=body)
    assert answer.status_code == 200, answer.text


async def post(
    api: Api, body: dict[str, Any], *, conversation_id: str = "conv-1", key: str = ADMIN_KEY
) -> Any:
    return await api.call("POST", f"/v1/conversations/{conversation_id}/replies", json=body, key=key)


def events(api: Api, kind: type[Any]) -> list[Any]:
    return [e for e in api.published(REPLY_EVENTS) if isinstance(e, kind)]


# The checks -----------------------------------------------------------------------------------------


async def test_a_blocking_finding_refuses_the_answer_and_nothing_is_stored_or_sent(
    api: Api, channel: Scripted
) -> None:
    await conversation(api, channel="facebook", is_public=True)
    answer = await post(api, {"text": "Ihre IBAN DE89 3704 0044 0532 0130 00 ist hinterlegt."})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"] == "reply_blocked"
    [finding] = body["detail"]["findings"]
    assert (finding["rule"], finding["severity"]) == ("private_data", "block")
    assert "DE89" not in answer.text  # the private data is never echoed
    assert "Direktnachricht" in finding["advice_de"] and "private message" in finding["advice_en"]
    assert channel.sent == []
    listed = (await api.call("GET", "/v1/conversations/conv-1/replies")).json()
    assert listed["items"] == []


async def test_a_warning_stays_with_the_sent_reply_and_negative_words_are_counted(
    api: Api, channel: Scripted
) -> None:
    await conversation(api)
    answer = await post(api, {"text": "Leider ist das schlecht gelaufen, das ist schade."})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "sent"
    assert [f["rule"] for f in body["findings"]] == ["tone"]
    assert body["negative_words"] == ["leider", "schlecht", "schade"]
    [sent] = events(api, replies_pb2.ReplySent)
    assert list(sent.negative_words) == ["leider", "schlecht", "schade"]


async def test_a_rule_set_to_off_finds_nothing(api: Api, channel: Scripted) -> None:
    await conversation(api)
    await policy(api, rules={"tone": "off"})
    body = (await post(api, {"text": "Leider nicht."})).json()
    assert (body["status"], body["findings"], body["negative_words"]) == ("sent", [], [])


async def test_a_long_public_answer_on_x_leaves_as_a_numbered_thread(api: Api, channel: Scripted) -> None:
    await conversation(api, channel="x", is_public=True, last_message_external_id="1790000000000000001")
    sentence = "Wir haben Ihre Meldung an die Technik gegeben und melden uns heute noch bei Ihnen. "
    body = (await post(api, {"text": sentence * 5})).json()
    assert body["status"] == "sent", body
    assert len(body["parts"]) >= 2 and body["parts"][0].endswith(f"(1/{len(body['parts'])})")
    [message] = channel.sent
    assert list(message.posts) == body["parts"]
    assert message.in_reply_to == "1790000000000000001"  # the customer's latest post


async def test_whatsapp_outside_the_window_needs_an_approved_template(api: Api, channel: Scripted) -> None:
    await conversation(api, last_customer_message_at=now() - timedelta(hours=30))
    refused = await post(api, {"text": "Hallo Karla, gibt es Neuigkeiten?"})
    assert refused.status_code == 422 and refused.json()["detail"]["findings"][0]["rule"] == "window"
    template = {"name": "followup_de", "language": "de", "parameters": ["Karla"]}
    sent = await post(api, {"text": "Hallo Karla, gibt es Neuigkeiten?", "whatsapp_template": template})
    assert sent.status_code == 201 and sent.json()["status"] == "sent", sent.text
    [message] = channel.sent
    assert (message.template_name, message.template_language, message.template_parameters) == (
        "followup_de",
        "de",
        ("Karla",),
    )


async def test_messenger_after_a_day_goes_out_with_the_human_agent_tag(api: Api, channel: Scripted) -> None:
    await conversation(api, channel="facebook", last_customer_message_at=now() - timedelta(hours=30))
    assert (await post(api, {"text": "Hallo Karla!"})).status_code == 422
    body = (await post(api, {"text": "Hallo Karla!", "human_agent_tag": True})).json()
    assert body["status"] == "sent" and body["human_agent_tag"] is True
    assert channel.sent[0].human_agent_tag is True


# Templates -----------------------------------------------------------------------------------------


async def template(api: Api, **fields: Any) -> dict[str, Any]:
    body = {"name": "Störung", "situation": "complaint", "language": "de", "text": "Hallo", **fields}
    answer = await api.call("POST", "/v1/reply-templates", json=body)
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def test_templates_are_suggested_by_situation_language_and_channel_and_filled_in(
    api: Api, channel: Scripted
) -> None:
    await conversation(api, category="complaint", language="de")
    text = "Hallo {{customer_name}}, das tut uns leid (Fall {{case_number}}). Viele Grüße, {{ agent_name }}"
    german = await template(api, text=text)
    await template(api, name="Outage", language="en", text="Hi {{customer_name}}, sorry!")
    await template(api, name="Allgemein", situation="any", text="Danke, {{customer_name}}!")
    await template(api, name="Lob", situation="compliment", text="Danke!")
    await template(api, name="Nur X", text="Hallo", channels=["x"])
    assert german["variables"] == ["customer_name", "case_number", "agent_name"]
    duplicate = await api.call(
        "POST", "/v1/reply-templates", json={k: german[k] for k in ("name", "situation", "language", "text")}
    )
    assert duplicate.status_code == 409

    found = (await api.call("GET", "/v1/conversations/conv-1/reply-suggestions")).json()["items"]
    assert [s["template"]["name"] for s in found] == ["Störung", "Outage", "Allgemein"]
    assert found[0]["text"] == "Hallo Karla, das tut uns leid (Fall conv-1). Viele Grüße, {{ agent_name }}"
    assert found[0]["missing"] == ["agent_name"]

    missing = await post(api, {"template_id": german["id"]})
    assert (missing.status_code, missing.json()["error"]) == (422, "missing_variables")
    assert "agent_name" in missing.json()["detail"]
    body = (await post(api, {"template_id": german["id"], "variables": {"agent_name": "Anna"}})).json()
    assert body["text"] == "Hallo Karla, das tut uns leid (Fall conv-1). Viele Grüße, Anna"
    assert body["template_id"] == german["id"] and body["status"] == "sent"
    assert events(api, replies_pb2.ReplySent)[0].template_id == german["id"]


async def test_bad_templates_and_requests_are_refused_clearly(api: Api, channel: Scripted) -> None:
    await conversation(api)
    bad = await api.call(
        "POST",
        "/v1/reply-templates",
        json={"name": "x", "situation": "complaint", "language": "de", "text": "Hallo {{Kunde}}"},
    )
    assert bad.status_code == 422
    assert (await post(api, {})).status_code == 422  # neither text nor template
    assert (await post(api, {"text": "a", "template_id": "t"})).status_code == 422
    assert (await post(api, {"template_id": "nope"})).status_code == 404
    assert (await api.call("GET", "/v1/reply-templates/nope")).status_code == 404
    agent_write = await api.call(
        "POST",
        "/v1/reply-templates",
        json={"name": "n", "situation": "lead", "language": "de", "text": "t"},
        key=AGENT,
    )
    assert agent_write.status_code == 403


# Drafts and four eyes --------------------------------------------------------------------------------


async def test_a_draft_waits_is_changed_and_then_sent(api: Api, channel: Scripted) -> None:
    await conversation(api)
    draft = (await post(api, {"text": "Leider erster Entwurf", "draft": True}, key=AGENT)).json()
    assert draft["status"] == "draft" and channel.sent == []
    assert [f["rule"] for f in draft["findings"]] == ["tone"]
    path = f"/v1/conversations/conv-1/replies/{draft['id']}"
    changed = (await api.call("PATCH", path, json={"text": "Gern geschehen!"}, key=AGENT)).json()
    assert (changed["text"], changed["findings"]) == ("Gern geschehen!", [])
    sent = (await api.call("POST", f"{path}/send", key=AGENT)).json()
    assert sent["status"] == "sent" and [m.text for m in channel.sent] == ["Gern geschehen!"]
    again = await api.call("PATCH", path, json={"text": "zu spät"}, key=AGENT)
    assert again.status_code == 409


async def test_crisis_replies_wait_for_another_supervisors_approval(api: Api, channel: Scripted) -> None:
    await conversation(api, category="crisis")
    await conversation(api, "conv-2")
    await policy(api, approval="crisis")
    held = (await post(api, {"text": "Wir prüfen das sofort."}, key=SUPERVISOR)).json()
    assert held["status"] == "awaiting_approval" and channel.sent == []
    ordinary = (await post(api, {"text": "Gern!"}, conversation_id="conv-2")).json()
    assert ordinary["status"] == "sent"  # not a crisis

    waiting = (await api.call("GET", "/v1/reply-approvals", key=OTHER_SUPERVISOR)).json()["items"]
    assert [r["id"] for r in waiting] == [held["id"]]
    assert (await api.call("GET", "/v1/reply-approvals", key=AGENT)).status_code == 403

    path = f"/v1/conversations/conv-1/replies/{held['id']}"
    own = await api.call("POST", f"{path}/approve", key=SUPERVISOR)
    assert (own.status_code, own.json()["error"]) == (409, "own_reply")
    approved = (await api.call("POST", f"{path}/approve", key=OTHER_SUPERVISOR)).json()
    assert (approved["status"], approved["decided_by"]) == ("sent", "sup-2")
    assert [m.text for m in channel.sent] == ["Gern!", "Wir prüfen das sofort."]
    assert events(api, replies_pb2.ReplySent)[-1].approved_by == "sup-2"
    assert (await api.call("POST", f"{path}/approve", key=OTHER_SUPERVISOR)).status_code == 409


async def test_a_rejected_reply_goes_back_to_its_author_with_the_reason(api: Api, channel: Scripted) -> None:
    await conversation(api, is_public=True, channel="facebook")
    await policy(api, approval="public")
    held = (await post(api, {"text": "Das stimmt so nicht."}, key=AGENT)).json()
    path = f"/v1/conversations/conv-1/replies/{held['id']}"
    assert (await api.call("POST", f"{path}/reject", json={"reason": "x"}, key=AGENT)).status_code == 403
    rejected = (
        await api.call("POST", f"{path}/reject", json={"reason": "Bitte freundlicher"}, key=SUPERVISOR)
    ).json()
    assert (rejected["status"], rejected["rejection_reason"]) == ("rejected", "Bitte freundlicher")
    await api.call("PATCH", path, json={"text": "Danke für den Hinweis, wir prüfen das."}, key=AGENT)
    resent = (await api.call("POST", f"{path}/send", key=AGENT)).json()
    assert resent["status"] == "awaiting_approval" and resent["rejection_reason"] is None
    assert channel.sent == []


# Quality review -----------------------------------------------------------------------------------------


async def test_sampled_replies_are_scored_and_feed_the_coaching_figures(api: Api, channel: Scripted) -> None:
    await conversation(api)
    await policy(api, review_sample_rate=1.0)
    await post(api, {"text": "Leider dauert es noch."}, key=AGENT)
    await post(api, {"text": "Gern geschehen!"}, key=AGENT)
    open_reviews = (await api.call("GET", "/v1/quality-reviews", key=SUPERVISOR)).json()["items"]
    assert [(r["agent_id"], r["status"]) for r in open_reviews] == [("agent-1", "open")] * 2
    assert open_reviews[0]["text"] == "Leider dauert es noch."

    card = {"product_knowledge": 4, "wording": 2, "empathy": 3, "guideline_kept": False, "comment": "Ton"}
    scored = await api.call(
        "POST", f"/v1/quality-reviews/{open_reviews[0]['id']}/score", json=card, key=SUPERVISOR
    )
    assert scored.status_code == 200 and scored.json()["scores"] == {
        "product_knowledge": 4,
        "wording": 2,
        "empathy": 3,
    }
    again = await api.call(
        "POST", f"/v1/quality-reviews/{open_reviews[0]['id']}/score", json=card, key=SUPERVISOR
    )
    assert again.status_code == 409
    bad = {**card, "empathy": 6}
    assert (
        await api.call("POST", f"/v1/quality-reviews/{open_reviews[1]['id']}/score", json=bad)
    ).status_code == 422
    [reviewed] = events(api, replies_pb2.ReplyReviewed)
    assert (reviewed.agent_id, reviewed.reviewer_id, reviewed.wording, reviewed.guideline_kept) == (
        "agent-1",
        "sup-1",
        2,
        False,
    )

    [figures] = (await api.call("GET", "/v1/reply-coaching", key=SUPERVISOR)).json()["items"]
    assert figures["agent_id"] == "agent-1"
    assert (
        figures["replies_sent"],
        figures["negative_wording_replies"],
        figures["negative_wording_rate"],
    ) == (
        2,
        1,
        0.5,
    )
    assert figures["top_negative_words"] == ["leider"]
    assert figures["average_scores"] == {"product_knowledge": 4.0, "wording": 2.0, "empathy": 3.0}
    assert figures["guideline_kept_rate"] == 0.0


async def test_without_a_sample_rate_nothing_is_drawn(api: Api, channel: Scripted) -> None:
    await conversation(api)
    await post(api, {"text": "Gern geschehen!"})
    assert (await api.call("GET", "/v1/quality-reviews")).json()["items"] == []


# What reply learns of the conversation ------------------------------------------------------------------


async def test_the_customers_latest_message_is_answered_and_community_posts_change_nothing(
    api: Api, channel: Scripted
) -> None:
    await conversation(api, last_customer_message_at=now() - timedelta(hours=30), references=["wamid.first"])
    rt = reply_runtime(api)

    async def added(external_id: str, *, community: bool) -> None:
        event = new_event(
            conversations_pb2.ConversationMessageAdded,
            tenant_id=TENANT,
            conversation_id="conv-1",
            message_external_id=external_id,
            sent_at=timestamp(now()),
            community_member=community,
        )
        async with rt.unit_of_work() as uow:
            await service.message_added(uow, event)

    await added("wamid.peer", community=True)
    assert (await post(api, {"text": "Hallo?"})).status_code == 422  # still outside the window
    await added("wamid.latest", community=False)
    body = (await post(api, {"text": "Hallo Karla!"})).json()
    assert body["status"] == "sent"
    assert channel.sent[0].in_reply_to == "wamid.latest"
    assert channel.sent[0].references == ("wamid.first", "wamid.latest")


async def test_coaching_periods_need_a_zone_and_an_order(api: Api, channel: Scripted) -> None:
    for params in (
        {"since": "2026-11-01T00:00:00"},
        {"since": "2026-11-02T00:00:00Z", "until": "2026-11-01T00:00:00Z"},
    ):
        answer = await api.call("GET", "/v1/reply-coaching", params=params, key=SUPERVISOR)
        assert (answer.status_code, answer.json()["error"]) == (422, "invalid_range")
    whole = await api.call(
        "GET", "/v1/reply-coaching", params={"since": "2026-11-01T00:00:00Z"}, key=SUPERVISOR
    )
    assert whole.status_code == 200 and whole.json()["items"] == []
