"""A tenant's taxonomy, rules and private-data patterns apply to /v1/classify and to received
messages; agents correct classifications; urgency follows reach and repeat contact."""

from __future__ import annotations

from typing import Any

from webcare.v1 import messages_pb2

from services.classify.repository import ClassificationRepository
from services.kit.auth import Role
from services.kit.bus.memory import MemoryBus
from services.kit.events import MESSAGE_CLASSIFIED, decode
from tests.unit.conftest import Api, eventually

FIBRE = {
    "labels": {"de": "Glasfaser-Ausbau", "en": "Fibre roll-out"},
    "skill": "fibre",
    "keywords": ["glasfaser*", "ftth"],
    "examples": ["Wann wird bei uns in der Straße endlich Glasfaser verlegt?"],
}


async def classify(api: Api, text: str, **fields: Any) -> dict[str, Any]:
    response = await api.call("POST", "/v1/classify", json={"text": text, **fields})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def classified(api: Api, message_id: str) -> messages_pb2.MessageClassified:
    bus = api.app.state.bus
    assert isinstance(bus, MemoryBus)
    found: list[messages_pb2.MessageClassified] = []

    async def arrived() -> bool:
        for partition in bus.broker.partitions(MESSAGE_CLASSIFIED):
            for record in partition:
                event = decode(record)
                if isinstance(event, messages_pb2.MessageClassified) and event.message_id == message_id:
                    found.append(event)
                    return True
        return False

    await eventually(arrived)
    return found[0]


async def test_the_default_taxonomy_finds_topics_and_their_skills(api: Api) -> None:
    body = await classify(api, "Meine Rechnung ist diesen Monat 18 € höher, bitte prüfen")
    assert "billing" in body["topics"]
    assert "billing" in body["skills"]
    listed = (await api.call("GET", "/v1/taxonomy-topics")).json()["items"]
    assert {"billing", "delivery", "cancellation", "network"} <= {t["key"] for t in listed}
    assert all(t["default"] for t in listed)
    assert all({"de", "en"} <= t["labels"].keys() for t in listed)


async def test_a_tenant_topic_applies_at_once_and_copies_the_default_first(api: Api) -> None:
    text = "Wann kommt bei uns FTTH? Wir warten seit Monaten"
    assert "fibre_rollout" not in (await classify(api, text))["topics"]
    response = await api.call("PUT", "/v1/taxonomy-topics/fibre_rollout", json=FIBRE)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == "/v1/taxonomy-topics/fibre_rollout"
    body = await classify(api, text)
    assert "fibre_rollout" in body["topics"] and "fibre" in body["skills"]
    listed = (await api.call("GET", "/v1/taxonomy-topics")).json()["items"]
    assert "billing" in {t["key"] for t in listed} and not any(t["default"] for t in listed)
    assert (await api.call("PUT", "/v1/taxonomy-topics/fibre_rollout", json=FIBRE)).status_code == 200


async def test_a_topic_is_found_by_an_example_without_any_keyword(api: Api) -> None:
    topic = {**FIBRE, "keywords": [], "examples": ["Die Baustelle vor unserem Haus ist seit Wochen offen"]}
    assert (await api.call("PUT", "/v1/taxonomy-topics/roadworks", json=topic)).status_code == 201
    body = await classify(api, "Die Baustelle vor unserem Haus ist seit Wochen offen!!")
    assert "roadworks" in body["topics"]
    assert "roadworks" not in (await classify(api, "Danke für die schnelle Hilfe"))["topics"]


async def test_a_deleted_topic_is_no_longer_found(api: Api) -> None:
    assert (await api.call("DELETE", "/v1/taxonomy-topics/billing")).status_code == 204
    body = await classify(api, "Meine Rechnung ist diesen Monat 18 € höher, bitte prüfen")
    assert "billing" not in body["topics"]
    assert (await api.call("GET", "/v1/taxonomy-topics/billing")).status_code == 404
    assert (await api.call("DELETE", "/v1/taxonomy-topics/billing")).status_code == 404


async def test_bad_topics_are_refused_with_the_reason(api: Api) -> None:
    for body in (
        {**FIBRE, "labels": {"de": "Nur Deutsch"}},
        {**FIBRE, "keywords": [], "examples": []},
        {**FIBRE, "skill": "Not A Skill"},
        {**FIBRE, "keywords": ["**"]},
    ):
        response = await api.call("PUT", "/v1/taxonomy-topics/x", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"] == "invalid_request"


async def test_a_rule_overrides_the_model_and_says_so(api: Api) -> None:
    text = "Ich habe meinen Anwalt eingeschaltet wegen eurer Rechnung"
    rule = {
        "name": "Anwalt ist Krise",
        "priority": 10,
        "when": {"keywords": ["anwalt*"], "public": True},
        "then": {"category": "crisis", "urgency": 5, "add_skills": ["escalation"]},
    }
    response = await api.call("POST", "/v1/classification-rules", json=rule)
    assert response.status_code == 201, response.text
    rule_id = response.json()["id"]
    assert response.headers["Location"] == f"/v1/classification-rules/{rule_id}"
    model = (await classify(api, text, public=False))["category"]
    public = await classify(api, text, public=True)
    assert public["category"]["primary"] == "crisis" and public["category"]["confidence"] == 1.0
    if model["primary"] != "crisis":  # the model's own view stays, with its confidence
        assert public["category"]["secondary"][0] == {
            "category": model["primary"],
            "confidence": model["confidence"],
        }
    assert public["urgency"] == 5 and "escalation" in public["skills"]
    assert public["rules"] == ["Anwalt ist Krise"]
    private = await classify(api, text, public=False)
    assert private["rules"] == []
    disabled = {**rule, "enabled": False}
    assert (await api.call("PUT", f"/v1/classification-rules/{rule_id}", json=disabled)).status_code == 200
    assert (await classify(api, text, public=True))["rules"] == []
    assert (await api.call("DELETE", f"/v1/classification-rules/{rule_id}")).status_code == 204
    assert (await api.call("GET", f"/v1/classification-rules/{rule_id}")).status_code == 404


async def test_rules_apply_in_priority_order(api: Api) -> None:
    base = {"when": {"keywords": ["paket"]}}
    for name, priority, category in (("später", 50, "question"), ("zuerst", 5, "complaint")):
        rule = {**base, "name": name, "priority": priority, "then": {"category": category}}
        assert (await api.call("POST", "/v1/classification-rules", json=rule)).status_code == 201
    body = await classify(api, "Wo ist mein Paket?")
    assert body["category"]["primary"] == "complaint"
    assert body["rules"] == ["zuerst", "später"]
    listed = (await api.call("GET", "/v1/classification-rules")).json()["items"]
    assert [r["name"] for r in listed] == ["zuerst", "später"]


async def test_bad_rules_are_refused_with_the_reason(api: Api) -> None:
    for rule in (
        {"name": "nichts", "when": {}, "then": {"category": "crisis"}},
        {"name": "tut nichts", "when": {"keywords": ["x"]}, "then": {}},
        {"name": "kaputt", "when": {"pattern": "(?<=x)y"}, "then": {"urgency": 5}},
        {"name": "zu dringend", "when": {"keywords": ["x"]}, "then": {"urgency": 9}},
        {"name": "unbekannt", "when": {"keywords": ["x"]}, "then": {"category": "sales"}},
        {"name": "langes Thema", "when": {"keywords": ["x"]}, "then": {"add_topics": ["t" * 65]}},
        {
            "name": "Skill mit Leerzeichen",
            "when": {"keywords": ["x"]},
            "then": {"add_skills": ["Not A Skill"]},
        },
    ):
        response = await api.call("POST", "/v1/classification-rules", json=rule)
        assert response.status_code == 422, rule
    response = await api.call(
        "POST",
        "/v1/classification-rules",
        json={"name": "r", "when": {"pattern": "(?<=x)y"}, "then": {"urgency": 5}},
    )
    assert "RE2" in response.text


async def test_a_tenant_pattern_finds_its_customer_numbers(api: Api) -> None:
    text = "Meine Kundennummer ist KD-1234567, bitte melden"
    assert (await classify(api, text, public=True))["private_data"] == []
    pattern = {"kind": "customer_number", "pattern": r"\bKD-?\d{7}\b", "description": "Kundennummer"}
    response = await api.call("POST", "/v1/private-data-patterns", json=pattern)
    assert response.status_code == 201, response.text
    body = await classify(api, text, public=True)
    assert body["private_data"] == [{"kind": "customer_number", "start": 23, "end": 33}]
    assert "[CUSTOMER_NUMBER]" in body["redacted_preview"] and body["move_to_private"] is True
    assert (await api.call("POST", "/v1/private-data-patterns", json=pattern)).status_code == 409
    assert (await api.call("DELETE", f"/v1/private-data-patterns/{response.json()['id']}")).status_code == 204
    assert (await classify(api, text, public=True))["private_data"] == []


async def test_bad_patterns_are_refused_with_the_reason(api: Api) -> None:
    for pattern, why in (("(a+)+(?=b)", "RE2"), ("x*", "empty"), ("[unclosed", "RE2")):
        response = await api.call(
            "POST", "/v1/private-data-patterns", json={"kind": "contract_number", "pattern": pattern}
        )
        assert response.status_code == 422 and why in response.text, response.text
    response = await api.call("POST", "/v1/private-data-patterns", json={"kind": "iban", "pattern": "X\\d+"})
    assert response.status_code == 422


async def test_configuration_is_for_supervisors_and_reading_it_for_integrations(api: Api) -> None:
    api.add_key("agent-key-0123456789", tenant="acme", role=Role.agent, agent_id="a1")
    api.add_key("crm-key-0123456789", tenant="acme", role=Role.integration)
    put = await api.call("PUT", "/v1/taxonomy-topics/x", key="crm-key-0123456789", json=FIBRE)
    assert put.status_code == 403
    assert (await api.call("GET", "/v1/taxonomy-topics", key="crm-key-0123456789")).status_code == 200
    assert (await api.call("GET", "/v1/classification-rules", key="agent-key-0123456789")).status_code == 403


async def test_another_tenants_configuration_does_not_apply(api: Api) -> None:
    api.add_key("other-supervisor-0123456789", tenant="other", role=Role.supervisor)
    rule = {"name": "alles Krise", "when": {"keywords": ["hallo"]}, "then": {"category": "crisis"}}
    response = await api.call(
        "POST", "/v1/classification-rules", key="other-supervisor-0123456789", json=rule
    )
    assert response.status_code == 201
    assert (await classify(api, "Hallo, kurze Frage zum Tarif"))["rules"] == []
    assert (await api.call("GET", f"/v1/classification-rules/{response.json()['id']}")).status_code == 404


async def test_received_messages_get_the_tenants_rules_and_topics(api: Api) -> None:
    rule = {"name": "Presse", "when": {"keywords": ["presse"]}, "then": {"urgency": 5, "add_skills": ["pr"]}}
    assert (await api.call("POST", "/v1/classification-rules", json=rule)).status_code == 201
    message_id = await api.message("press-1", "Ich gehe mit eurer falschen Rechnung zur Presse")
    event = await classified(api, message_id)
    assert list(event.rules) == ["Presse"] and event.urgency == 5
    assert len(event.category.secondary_confidence) == len(event.category.secondary)
    assert "billing" in event.topics and {"billing", "pr"} <= set(event.skills)


async def test_reach_and_a_repeat_contact_raise_urgency(api: Api) -> None:
    text = "Wo bleibt mein Paket? Bestellung seit einer Woche unterwegs"
    quiet = await classify(api, text, public=True)
    loud = await classify(api, text, public=True, followers=250_000)
    assert quiet["urgency"] <= 3  # room to rise, or the comparison below proves nothing
    assert loud["urgency"] == quiet["urgency"] + 2
    author = {"id": "same-author", "handle": "@kunde"}
    first = await classified(api, await api.message("rep-1", text, author=author))
    second = await classified(api, await api.message("rep-2", text, author=author))
    assert first.urgency <= 4
    assert second.urgency == first.urgency + 1
    other = await classified(api, await api.message("rep-3", text, author={"id": "another-author"}))
    assert other.urgency == first.urgency


async def test_agents_correct_a_classification(api: Api) -> None:
    message_id = await api.message("corr-1", "Meine IBAN DE89 3704 0044 0532 0130 00, wo ist mein Paket?")
    await classified(api, message_id)
    api.add_key("agent-key-0123456789", tenant="acme", role=Role.agent, agent_id="a1")
    path = f"/v1/classifications/{message_id}"
    before = (await api.call("GET", path, key="agent-key-0123456789")).json()
    assert before["corrections"] == []
    response = await api.call(
        "POST", f"{path}/corrections", key="agent-key-0123456789", json={"category": "lead"}
    )
    assert response.status_code == 201, response.text
    correction = response.json()
    assert correction["category"] == "lead" and correction["was_category"] == before["category"]
    assert correction["sentiment"] == before["sentiment"]["label"] and correction["corrected_by"] == "a1"
    after = (await api.call("GET", path, key="agent-key-0123456789")).json()
    assert [c["id"] for c in after["corrections"]] == [correction["id"]]
    async with api.app.state.runtimes["classify"].db.sessions() as session:  # what training will read
        (stored,) = await ClassificationRepository(session).corrections("acme", message_id)
    assert "[IBAN]" in stored.text and "DE89" not in stored.text and "Paket" in stored.text
    assert (await api.call("POST", f"{path}/corrections", json={})).status_code == 422
    assert (await api.call("POST", f"{path}/corrections", json={"category": "sales"})).status_code == 422
    assert (
        await api.call("POST", "/v1/classifications/nope/corrections", json={"category": "lead"})
    ).status_code == 404


async def test_a_rule_keeps_the_models_category_as_secondary_with_its_confidence(api: Api) -> None:
    text = "Ich habe meinen Anwalt eingeschaltet wegen eurer Rechnung"
    model = (await classify(api, text))["category"]
    assert model["primary"] != "compliment"
    rule = {"name": "alles Lob", "when": {"keywords": ["anwalt"]}, "then": {"category": "compliment"}}
    assert (await api.call("POST", "/v1/classification-rules", json=rule)).status_code == 201
    category = (await classify(api, text))["category"]
    assert category["primary"] == "compliment" and category["confidence"] == 1.0
    assert category["secondary"][0] == {"category": model["primary"], "confidence": model["confidence"]}
    assert all(s["category"] != "compliment" for s in category["secondary"])


async def test_a_stored_rule_that_no_longer_compiles_is_skipped_not_fatal(api: Api) -> None:
    from sqlalchemy import update

    from services.classify.models import ClassificationRule

    good = {"name": "Paket", "when": {"keywords": ["paket"]}, "then": {"urgency": 5}}
    broken = {"name": "kaputt", "when": {"keywords": ["paket"]}, "then": {"urgency": 4}}
    assert (await api.call("POST", "/v1/classification-rules", json=good)).status_code == 201
    broken_id = (await api.call("POST", "/v1/classification-rules", json=broken)).json()["id"]
    classify_rt = api.app.state.runtimes["classify"]
    async with classify_rt.db.sessions() as session:  # a rule stored before its syntax was refused
        bad_when = {"pattern": "(?<=KD)\\d+"}
        await session.execute(
            update(ClassificationRule).where(ClassificationRule.id == broken_id).values(when=bad_when)
        )
        await session.commit()
    assert (await api.call("PUT", "/v1/taxonomy-topics/x", json=FIBRE)).status_code == 201  # new revision
    assert (await classify(api, "Wo ist mein Paket?"))["rules"] == ["Paket"]
    event = await classified(api, await api.message("broken-rule", "Wo ist mein Paket?"))
    assert list(event.rules) == ["Paket"] and event.model_version != "none"
