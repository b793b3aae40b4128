"""POST /v1/classify answers without publishing; received messages carry the same facts onward."""

from __future__ import annotations

from webcare.v1 import messages_pb2

from services.ingest.channels.base import Author, Inbound, Parsed
from services.ingest.service import Raw, Source, accept
from services.kit.auth import Role
from services.kit.bus.memory import MemoryBus
from services.kit.events import MESSAGE_CLASSIFIED, decode
from tests.unit.conftest import Api, eventually

IBAN_TEXT = "@telco Ihr habt doppelt abgebucht!! Meine IBAN: DE89 3704 0044 0532 0130 00"


async def test_classify_answers_the_documented_shape_and_publishes_nothing(api: Api) -> None:
    bus = api.app.state.bus
    assert isinstance(bus, MemoryBus)
    before = sum(len(p) for p in bus.broker.partitions(MESSAGE_CLASSIFIED))
    response = await api.call(
        "POST", "/v1/classify", json={"text": IBAN_TEXT, "channel": "x", "public": True}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["language"] == "de"
    assert body["sentiment"]["label"] in {"negative", "neutral", "positive"}
    assert set(body["category"]) == {"primary", "confidence", "secondary"}
    for other in body["category"]["secondary"]:
        assert set(other) == {"category", "confidence"}
        assert other["category"] != body["category"]["primary"]
        assert 0 < other["confidence"] <= body["category"]["confidence"]
    assert 1 <= body["urgency"] <= 5
    assert [p["kind"] for p in body["private_data"]] == ["iban"]
    assert body["redacted_preview"].endswith("Meine IBAN: [IBAN]")
    assert body["move_to_private"] is True
    assert isinstance(body["needs_triage"], bool)
    assert body["model_version"]
    assert sum(len(p) for p in bus.broker.partitions(MESSAGE_CLASSIFIED)) == before


async def test_private_data_in_a_private_message_does_not_ask_to_move(api: Api) -> None:
    response = await api.call("POST", "/v1/classify", json={"text": IBAN_TEXT, "public": False})
    assert response.json()["move_to_private"] is False


async def test_classify_is_for_supervisors_and_integrations(api: Api) -> None:
    api.add_key("agent-key-0123456789", tenant="acme", role=Role.agent, agent_id="a1")
    api.add_key("crm-key-0123456789", tenant="acme", role=Role.integration)
    body = {"text": "Hallo"}
    assert (await api.call("POST", "/v1/classify", key="agent-key-0123456789", json=body)).status_code == 403
    assert (await api.call("POST", "/v1/classify", key="crm-key-0123456789", json=body)).status_code == 200


async def test_message_classified_carries_private_data_and_the_move_advice(api: Api) -> None:
    await api.message("iban-1", IBAN_TEXT)
    bus = api.app.state.bus
    assert isinstance(bus, MemoryBus)

    async def classified() -> bool:
        return any(bus.broker.partitions(MESSAGE_CLASSIFIED))

    await eventually(classified)
    records = [r for p in bus.broker.partitions(MESSAGE_CLASSIFIED) for r in p]
    event = decode(records[0])
    assert isinstance(event, messages_pb2.MessageClassified)
    assert [p.kind for p in event.private_data] == ["iban"]
    assert event.move_to_private is True
    assert "[IBAN]" in event.redacted_preview


async def test_a_one_star_review_is_a_complaint_whatever_its_words(api: Api) -> None:
    text = "Die Lieferung kam pünktlich, vielen Dank!"
    plain = await api.call("POST", "/v1/classify", json={"text": text, "channel": "review", "public": True})
    assert plain.status_code == 200, plain.text
    assert plain.json()["category"]["primary"] != "complaint"
    rated = await api.call(
        "POST", "/v1/classify", json={"text": text, "channel": "review", "public": True, "rating": 1}
    )
    assert rated.status_code == 200, rated.text
    category = rated.json()["category"]
    assert category["primary"] == "complaint"
    assert plain.json()["category"]["primary"] in [c["category"] for c in category["secondary"]]
    four = await api.call(
        "POST", "/v1/classify", json={"text": text, "channel": "review", "public": True, "rating": 4}
    )
    assert four.json()["category"]["primary"] == plain.json()["category"]["primary"]


async def test_a_received_review_with_one_star_leaves_as_a_complaint(api: Api) -> None:
    rt = api.app.state.runtimes["ingest"]
    review = Inbound(
        external_id="r-1",
        conversation_key="review:generic:r-1",
        author=Author(id="rev-1", name="Rita"),
        text="Die Lieferung kam pünktlich, vielen Dank!",
        public=True,
        subject="Na ja",
        rating=1,
    )
    await accept(rt, Source(tenant_id="acme", channel="review"), Parsed(messages=[review]), Raw(body="{}"))

    async def classified() -> bool:
        return bool(api.published(MESSAGE_CLASSIFIED))

    await eventually(classified)
    event = api.published(MESSAGE_CLASSIFIED)[0]
    assert isinstance(event, messages_pb2.MessageClassified)
    assert event.message.rating == 1 and event.message.subject == "Na ja"
    assert event.category.primary == "complaint"
