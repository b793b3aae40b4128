"""Customer profiles: a CRM's upsert, look-up by identity, identities, notes, cross-channel history;
conversations linked to profiles as they open, repeat contacts more urgent, the last agent across
channels."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from webcare.v1 import conversations_pb2

from services.kit.auth import Role
from services.kit.events import now
from services.routing import service
from services.routing.models import Conversation
from tests.unit.conftest import ADMIN_KEY, TENANT, Api, eventually
from tests.unit.routing.test_handover import events_of
from tests.unit.routing.test_skill_routing import LAST_AGENT_FIRST, classified_event, routing

ERIKA: dict[str, Any] = {
    "external_id": "crm-4711",
    "name": "Erika Mustermann",
    "identities": [
        {"channel": "x", "external_id": "u-erika"},
        {"channel": "phone", "external_id": "+49 151 1234567"},
        {"channel": "email", "external_id": "Erika@Example.com"},
    ],
    "attributes": {"vip": True, "segment": "gold"},
}


async def upsert(
    api: Api, body: dict[str, Any], *, key: str = ADMIN_KEY, expect: int = 201
) -> dict[str, Any]:
    answer = await api.call("POST", "/v1/customers", json=body, key=key)
    assert answer.status_code == expect, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def opened(api: Api, key: str, **facts: Any) -> Conversation:
    """Hand routing a classified message that opens a conversation."""
    async with routing(api).unit_of_work() as uow:
        return await service.take_message(uow, classified_event(key, **facts), reopen_within=timedelta(0))


async def history(api: Api, customer_id: str, key: str = ADMIN_KEY) -> dict[str, Any]:
    answer = await api.call("GET", f"/v1/customers/{customer_id}/history", key=key)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def looked_up(api: Api, channel: str, external_id: str) -> dict[str, Any] | None:
    answer = await api.call("GET", "/v1/customers", params={"channel": channel, "external_id": external_id})
    if answer.status_code == 404:
        assert answer.json()["error"] == "not_found"
        return None
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def test_a_crm_upserts_a_profile_by_its_id_and_the_same_body_twice_is_one_profile(api: Api) -> None:
    answer = await api.call("POST", "/v1/customers", json=ERIKA)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert answer.headers["Location"] == f"/v1/customers/{created['id']}"
    assert (created["external_id"], created["name"], created["attributes"]) == (
        "crm-4711",
        "Erika Mustermann",
        {"vip": True, "segment": "gold"},
    )
    # Identities are kept normalised: the phone number in E.164, the address in lower case.
    assert [(i["channel"], i["external_id"]) for i in created["identities"]] == [
        ("email", "erika@example.com"),
        ("phone", "+491511234567"),
        ("x", "u-erika"),
    ]
    again = await upsert(api, ERIKA, expect=200)
    assert (again["id"], again["updated_at"], again["identities"]) == (
        created["id"],
        created["updated_at"],
        created["identities"],
    )
    changed = await upsert(
        api, {"external_id": "crm-4711", "attributes": {"segment": None, "language": "de"}}, expect=200
    )
    assert (changed["id"], changed["name"], changed["attributes"]) == (
        created["id"],
        "Erika Mustermann",
        {"vip": True, "language": "de"},
    )
    shown = await api.call("GET", f"/v1/customers/{created['id']}")
    assert (shown.status_code, shown.json()["attributes"]) == (200, {"vip": True, "language": "de"})


async def test_an_upsert_without_crm_id_updates_the_profile_its_identities_point_to(api: Api) -> None:
    auto = await opened(api, "k1", customer="u-anon", channel="facebook")
    assert auto.profile_id is not None
    adopted = await upsert(
        api,
        {"external_id": "crm-1", "identities": [{"channel": "facebook", "external_id": "u-anon"}]},
        expect=200,
    )
    assert (adopted["id"], adopted["external_id"]) == (auto.profile_id, "crm-1")
    invalid = await api.call("POST", "/v1/customers", json={"name": "Nobody"})
    assert (invalid.status_code, invalid.json()["error"]) == (422, "unprocessable")
    bad_phone = await api.call(
        "POST", "/v1/customers", json={"identities": [{"channel": "phone", "external_id": "call me"}]}
    )
    assert bad_phone.status_code == 422


async def test_an_identity_linked_to_another_customer_is_a_conflict_that_names_it(api: Api) -> None:
    erika = await upsert(api, ERIKA)
    other = {"external_id": "crm-9", "identities": [{"channel": "x", "external_id": "u-erika"}]}
    answer = await api.call("POST", "/v1/customers", json=other)
    assert answer.status_code == 409
    assert answer.json()["error"] == "conflicting_identity"
    assert "x:u-erika" in answer.json()["detail"] and erika["id"] in answer.json()["detail"]
    assert await looked_up(api, "x", "u-erika") is not None
    max_ = await upsert(api, {"external_id": "crm-9", "name": "Max"})
    linked = await api.call(
        "POST",
        f"/v1/customers/{max_['id']}/identities",
        json={"channel": "phone", "external_id": "+491511234567"},
    )
    assert (linked.status_code, linked.json()["error"]) == (409, "conflicting_identity")


async def test_supervisors_and_integrations_upsert_agents_read_and_unknown_ids_are_404(api: Api) -> None:
    api.add_key("agent-key", tenant=TENANT, role=Role.agent, agent_id="a-1")
    api.add_key("crm-key", tenant=TENANT, role=Role.integration)
    api.add_key("other-tenant", tenant="globex", role=Role.supervisor)
    denied = await api.call("POST", "/v1/customers", json=ERIKA, key="agent-key")
    assert denied.status_code == 403
    erika = await upsert(api, ERIKA, key="crm-key")
    shown = await api.call("GET", f"/v1/customers/{erika['id']}", key="agent-key")
    assert (shown.status_code, shown.json()["name"]) == (200, "Erika Mustermann")
    found = await api.call(
        "GET", "/v1/customers", params={"channel": "x", "external_id": "u-erika"}, key="crm-key"
    )
    assert (found.status_code, found.json()["id"]) == (200, erika["id"])
    assert (await api.call("GET", f"/v1/customers/{erika['id']}", key="crm-key")).status_code == 403
    hidden = await api.call("GET", f"/v1/customers/{erika['id']}", key="other-tenant")
    assert (hidden.status_code, hidden.json()["error"]) == (404, "not_found")
    assert (await api.call("GET", "/v1/customers/nope")).status_code == 404
    assert (await api.call("GET", "/v1/customers/nope/history")).status_code == 404


async def test_a_customer_is_found_by_any_identity_phone_and_email_normalised(api: Api) -> None:
    erika = await upsert(api, ERIKA)
    for channel, external_id in [
        ("x", "u-erika"),
        ("phone", "+49-151-1234567"),
        ("email", "ERIKA@example.COM"),
    ]:
        found = await looked_up(api, channel, external_id)
        assert found is not None and found["id"] == erika["id"], (channel, external_id)
    assert await looked_up(api, "x", "u-nobody") is None
    assert await looked_up(api, "facebook", "u-erika") is None  # an id is the channel's own


async def test_identities_are_linked_and_unlinked_with_their_conversations(api: Api) -> None:
    erika = await upsert(api, ERIKA)
    max_ = await upsert(api, {"external_id": "crm-9", "name": "Max"})
    on_facebook = await opened(api, "k1", customer="fb-erika", channel="facebook")  # a profile of its own
    assert on_facebook.profile_id not in (None, erika["id"])
    path = f"/v1/customers/{erika['id']}/identities"
    body = {"channel": "facebook", "external_id": "fb-erika"}
    taken = await api.call("POST", path, json=body)
    assert (taken.status_code, taken.json()["error"]) == (409, "conflicting_identity")
    freed = await api.call("DELETE", f"/v1/customers/{on_facebook.profile_id}/identities/facebook/fb-erika")
    assert freed.status_code == 204
    linked = await api.call("POST", path, json=body)
    assert linked.status_code == 201, linked.text
    assert ("facebook", "fb-erika") in [(i["channel"], i["external_id"]) for i in linked.json()["identities"]]
    assert (await api.call("POST", path, json=body)).status_code == 200  # already linked here
    # The author's earlier conversation joins Erika's history.
    assert [c["conversation_id"] for c in (await history(api, erika["id"]))["items"]] == [on_facebook.id]
    assert (
        await api.call("DELETE", f"/v1/customers/{max_['id']}/identities/facebook/fb-erika")
    ).status_code == 404
    assert (await api.call("DELETE", f"{path}/facebook/fb-erika")).status_code == 204
    assert (await api.call("DELETE", f"{path}/facebook/fb-erika")).status_code == 404
    assert await looked_up(api, "facebook", "fb-erika") is None
    assert (await history(api, erika["id"]))["items"] == []


async def test_an_agents_note_shows_in_the_profile(api: Api) -> None:
    api.add_key("anna-key", tenant=TENANT, role=Role.agent, agent_id="anna")
    erika = await upsert(api, ERIKA)
    path = f"/v1/customers/{erika['id']}/notes"
    first = await api.call("POST", path, json={"text": "Prefers calls"}, key="anna-key")
    assert first.status_code == 201, first.text
    assert (first.json()["author"], first.json()["text"]) == ("anna", "Prefers calls")
    await api.call("POST", path, json={"text": "Promised a voucher"}, key="anna-key")
    profile = (await api.call("GET", f"/v1/customers/{erika['id']}", key="anna-key")).json()
    assert [n["text"] for n in profile["notes"]] == ["Promised a voucher", "Prefers calls"]
    assert (await api.call("POST", "/v1/customers/nope/notes", json={"text": "x"})).status_code == 404


async def test_a_new_author_gets_a_profile_and_writes_again_into_it(api: Api) -> None:
    first = await opened(api, "k1", customer="u-new")
    found = await looked_up(api, "x", "u-new")
    assert found is not None and found["id"] == first.profile_id
    second = await opened(api, "k2", customer="u-new", category="complaint")
    assert second.profile_id == first.profile_id
    anonymous = await opened(api, "k3", customer="")
    assert anonymous.profile_id is None


async def test_whatsapp_joins_the_profile_with_that_phone_number_and_email_the_address(api: Api) -> None:
    erika = await upsert(api, ERIKA)
    on_whatsapp = await opened(api, "w1", customer="491511234567", channel="whatsapp", public=False)
    by_mail = await opened(api, "e1", customer="Erika@EXAMPLE.com", channel="email", public=False)
    on_x = await opened(api, "x1", customer="u-erika")
    assert (on_whatsapp.profile_id, by_mail.profile_id, on_x.profile_id) == (erika["id"],) * 3
    found = await looked_up(api, "whatsapp", "+491511234567")
    assert found is not None and found["id"] == erika["id"]
    stranger = await opened(api, "w2", customer="491519999999", channel="whatsapp", public=False)
    assert stranger.profile_id not in (None, erika["id"])
    # An X id that looks like Erika's number is no proof of it.
    lookalike = await opened(api, "x2", customer="+491511234567")
    assert lookalike.profile_id not in (None, erika["id"])


async def test_history_spans_channels_newest_first_with_repeat_contacts(api: Api) -> None:
    api.add_key("anna-key", tenant=TENANT, role=Role.agent, agent_id="anna")
    erika = await upsert(api, ERIKA)
    old = await opened(api, "x1", customer="u-erika", category="complaint", at=now() - timedelta(days=40))
    complaint = await opened(
        api, "x2", customer="u-erika", category="complaint", at=now() - timedelta(days=3)
    )
    question = await opened(api, "e1", customer="erika@example.com", channel="email", category="question")
    third = await opened(
        api, "w1", customer="491511234567", channel="whatsapp", category="complaint", public=False
    )
    await opened(api, "x3", customer="u-someone-else", category="complaint")
    shown = await history(api, erika["id"], key="anna-key")
    assert [c["conversation_id"] for c in shown["items"]] == [third.id, question.id, complaint.id, old.id]
    assert [c["channel"] for c in shown["items"]] == ["whatsapp", "email", "x", "x"]
    assert shown["repeat_contacts"] == {"complaint": 2, "question": 1}  # the 40-day-old one is out
    first = shown["items"][0]
    assert (first["category"], first["status"], first["message_count"], first["resolved_at"]) == (
        "complaint",
        "waiting",
        1,
        None,
    )


async def test_the_whole_pipeline_links_a_message_to_the_crm_profile(api: Api) -> None:
    erika = await upsert(api, ERIKA)
    await api.message("m1", author={"id": "u-erika", "handle": "@erika"})

    async def in_history() -> bool:
        return len((await history(api, erika["id"]))["items"]) == 1

    await eventually(in_history)
    [conversation] = await api.conversations()
    assert (await history(api, erika["id"]))["items"][0]["conversation_id"] == conversation["id"]


async def test_a_repeat_contact_of_the_same_category_is_one_point_more_urgent(api: Api) -> None:
    first = await opened(api, "k1", customer="u-1", category="complaint", urgency=2)
    assert first.urgency == 2
    again = await opened(api, "k2", customer="u-1", category="complaint", urgency=2)
    assert (again.urgency, again.priority) == (3, 3)
    [event] = events_of(api, conversations_pb2.ConversationOpened, again.id)
    assert event.urgency == 3
    other_category = await opened(api, "k3", customer="u-1", category="question", urgency=2)
    assert other_category.urgency == 2
    capped = await opened(api, "k4", customer="u-1", category="complaint", urgency=5)
    assert capped.urgency == 5
    stale = await opened(api, "k5", customer="u-2", category="complaint", at=now() - timedelta(days=31))
    fresh = await opened(api, "k6", customer="u-2", category="complaint", urgency=2)
    assert (stale.urgency, fresh.urgency) == (2, 2)  # the earlier one is older than 30 days
    await upsert(api, ERIKA)  # the same person on X and WhatsApp: a repeat contact across channels
    await opened(api, "w1", customer="491511234567", channel="whatsapp", category="lead", public=False)
    across = await opened(api, "x7", customer="u-erika", category="lead", urgency=2)
    assert across.urgency == 3


async def test_the_last_agent_is_preferred_across_the_customers_channels(api: Api) -> None:
    assert (await api.call("PUT", "/v1/routing-policy", json=LAST_AGENT_FIRST)).status_code == 200
    erika = await upsert(api, ERIKA)
    anna = await api.agent("Anna", presence="available")
    on_x = await opened(api, "x1", customer="u-erika")
    assert on_x.assignee_id == anna["id"]
    await api.call("POST", f"/v1/conversations/{on_x.id}/resolve")
    ben = await api.agent("Ben", presence="available")  # never assigned: the longest idle
    on_whatsapp = await opened(api, "w1", customer="491511234567", channel="whatsapp", public=False)
    assert (on_whatsapp.profile_id, on_whatsapp.last_agent_id, on_whatsapp.assignee_id) == (
        erika["id"],
        anna["id"],
        anna["id"],
    )
    stranger = await opened(api, "x2", customer="u-stranger")
    assert (stranger.last_agent_id, stranger.assignee_id) == (None, ben["id"])


async def test_a_new_profile_takes_over_its_authors_earlier_unlinked_conversations(api: Api) -> None:
    earlier = await opened(api, "k1", customer="u-1")
    assert (await api.call("POST", f"/v1/conversations/{earlier.id}/resolve")).status_code == 200
    unlinked = await api.call("DELETE", f"/v1/customers/{earlier.profile_id}/identities/x/u-1")
    assert unlinked.status_code == 204
    assert (await history(api, str(earlier.profile_id)))["items"] == []
    later = await opened(api, "k2", customer="u-1")
    assert later.profile_id not in (None, earlier.profile_id)
    shown = await history(api, str(later.profile_id))
    assert [c["conversation_id"] for c in shown["items"]] == [later.id, earlier.id]
    assert shown["items"][1]["status"] == "resolved"


async def test_a_crm_upserts_in_bulk_and_one_refused_item_leaves_the_others_done(api: Api) -> None:
    await upsert(api, ERIKA)
    max_ = {"external_id": "crm-1", "name": "Max", "identities": [{"channel": "x", "external_id": "u-max"}]}
    thief = {"external_id": "crm-2", "identities": [{"channel": "x", "external_id": "u-erika"}]}
    renamed = {**ERIKA, "name": "Erika M."}
    body = {"customers": [max_, thief, renamed]}
    answer = await api.call("POST", "/v1/customers/bulk", json=body)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["outcome"] for r in results] == ["created", "error", "updated"]
    assert results[1]["error"] == "conflicting_identity" and "u-erika" in results[1]["detail"]
    assert (await looked_up(api, "x", "u-max")) is not None  # kept, though an item after it failed
    erika = await looked_up(api, "x", "u-erika")
    assert erika is not None and erika["name"] == "Erika M." and erika["external_id"] == "crm-4711"
    again = (await api.call("POST", "/v1/customers/bulk", json=body)).json()["results"]
    assert [r["outcome"] for r in again] == ["updated", "error", "updated"]  # idempotent
    too_many = {"customers": [max_] * 1001}
    assert (await api.call("POST", "/v1/customers/bulk", json=too_many)).status_code == 422


async def test_a_new_authors_identity_made_by_another_conversation_meanwhile_is_taken_not_fought(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.routing import customers
    from services.routing.repository import CustomerRepository

    winner = await upsert(api, {"identities": [{"channel": "x", "external_id": "u-new"}]})
    real = CustomerRepository.identity
    unseen = {"calls": 0}

    async def not_yet_committed(self: CustomerRepository, tenant_id: str, channel: str, value: str) -> Any:
        unseen["calls"] += 1
        # The other conversation's transaction had not committed when this one looked first.
        return None if unseen["calls"] == 1 else await real(self, tenant_id, channel, value)

    monkeypatch.setattr(CustomerRepository, "identity", not_yet_committed)
    async with routing(api).unit_of_work() as uow:
        found = await customers.link_author(uow, tenant_id=TENANT, channel="x", external_id="u-new", name="")
    assert found == winner["id"] and unseen["calls"] >= 2
    monkeypatch.undo()
    assert (await looked_up(api, "x", "u-new") or {}).get("id") == winner["id"]
