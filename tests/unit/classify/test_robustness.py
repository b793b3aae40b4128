"""No text crashes the classifier, and a message it cannot classify still leaves, flagged."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from webcare.v1 import messages_pb2

from services.classify.classifier import Classification, Classifier, Item, TenantConfig
from services.kit.bus.memory import MemoryBus
from services.kit.events import MESSAGE_CLASSIFIED, decode
from tests.unit.conftest import Api, eventually

HOSTILE = [
    "",
    "   ",
    "😡😡😡🙄",
    "x" * 65_536,
    ("Mein Internet ist kaputt! " * 3000)[:65_536],
    "Hallo\u200b\u200d\ufeffWelt",
    "<script>alert(1)</script><b>kaputt</b>",
    "Das ist nicht gut, but the service was great 👍",
    "مرحبا، الإنترنت لا يعمل",
    "\x00\x01\x02",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_classified_without_error(classifier: Classifier, text: str) -> None:
    result = classifier.classify(text, public=True)
    assert result.category in {
        "question",
        "complaint",
        "crisis",
        "untruth",
        "compliment",
        "lead",
        "spam",
        "other",
    }
    assert 1 <= result.urgency <= 5
    assert len(result.redacted_preview) <= 280


def test_markup_and_invisible_characters_do_not_hide_words(classifier: Classifier) -> None:
    result = classifier.classify("Das ist <b>schlecht</b>, wirk\u200blich", public=False)
    assert result.sentiment_label == "negative"
    assert result.language == "de"


async def test_a_message_the_classifier_fails_on_leaves_as_other_for_triage(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Classifier.classify_many

    def broken(
        self: Classifier, items: Sequence[Item], config: TenantConfig | None = None
    ) -> list[Classification]:
        if any("Hallo?" in item.text for item in items):
            raise RuntimeError("model exploded")
        return real(self, items, config)

    monkeypatch.setattr(Classifier, "classify_many", broken)
    await api.message("boom", "Hallo?")
    await api.message("fine", "Wo bleibt mein Paket?")
    bus = api.app.state.bus
    assert isinstance(bus, MemoryBus)

    def events() -> dict[str, messages_pb2.MessageClassified]:
        decoded = [decode(r) for p in bus.broker.partitions(MESSAGE_CLASSIFIED) for r in p]
        return {e.message.text: e for e in decoded if isinstance(e, messages_pb2.MessageClassified)}

    async def classified() -> bool:
        return len(events()) == 2

    await eventually(classified)
    failed, fine = events()["Hallo?"], events()["Wo bleibt mein Paket?"]
    assert failed.category.primary == "other"
    assert failed.needs_triage is True
    assert failed.model_version == "none"
    assert fine.model_version != "none" and "delivery" in fine.topics
