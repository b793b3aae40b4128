"""No text crashes the classifier, and a message it cannot classify still leaves, flagged."""

from __future__ import annotations

import pytest
from webcare.v1 import messages_pb2

from services.classify.classifier import Classification, Classifier
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
    def broken(self: Classifier, text: str, *, public: bool) -> Classification:
        raise RuntimeError("model exploded")

    monkeypatch.setattr(Classifier, "classify", broken)
    await api.message("boom", "Hallo?")
    bus = api.app.state.bus
    assert isinstance(bus, MemoryBus)

    async def classified() -> bool:
        return any(bus.broker.partitions(MESSAGE_CLASSIFIED))

    await eventually(classified)
    event = decode(next(r for p in bus.broker.partitions(MESSAGE_CLASSIFIED) for r in p))
    assert isinstance(event, messages_pb2.MessageClassified)
    assert event.category.primary == "other"
    assert event.needs_triage is True
    assert event.message.text == "Hallo?"
