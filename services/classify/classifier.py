"""The classifier: language by lingua, category and sentiment by the trained model, private data by
patterns, urgency from what they found.

The model (`model.py`) gives probabilities; this module turns them into the decision: the most
probable category with its probability as the confidence, other probable categories as secondary,
a sentiment score of P(positive) - P(negative), and a flag for a human when the model is unsure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from services.classify import private_data
from services.classify.config import ClassifySettings
from services.classify.model import TextModel, load_or_build
from services.classify.private_data import Finding

UNCLASSIFIED = "none"  # the model version of a message no model has seen
SECONDARY_MIN = 0.25  # other categories at least this probable are secondary (chosen by CV on train)
TRIAGE_BELOW = 0.5  # a primary category less probable than this needs a human
PREVIEW_CHARS = 280
LANGUAGE_SAMPLE_CHARS = 1_000
LANGUAGES = (
    Language.GERMAN,
    Language.ENGLISH,
    Language.DUTCH,
    Language.FRENCH,
    Language.SPANISH,
    Language.ITALIAN,
    Language.TURKISH,
    Language.POLISH,
)

_MARKUP = re.compile(r"<[^>]{0,200}>")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_LETTERS = re.compile(r"[^\w\s'-]|\d|_")


def clean(text: str) -> str:
    """The text as a reader sees it: no markup tags, no invisible characters, NFC."""
    without = _INVISIBLE.sub("", _MARKUP.sub(" ", text))
    return unicodedata.normalize("NFC", without)


def fallback(reason: str) -> Classification:
    """What a message gets when it cannot be classified: other, for a human to triage."""
    return Classification(
        language="und",
        sentiment_label="neutral",
        sentiment_score=0.0,
        category="other",
        confidence=0.0,
        needs_triage=True,
        redacted_preview=f"(not classified: {reason})"[:PREVIEW_CHARS],
    )


@dataclass(frozen=True)
class Classification:
    """What the classifier decided about one text."""

    language: str
    sentiment_label: str
    sentiment_score: float
    category: str
    confidence: float
    secondary: tuple[str, ...] = ()
    urgency: int = 2
    skills: tuple[str, ...] = ()
    needs_triage: bool = False
    model_version: str = UNCLASSIFIED
    private_data: tuple[Finding, ...] = ()
    redacted_preview: str = ""
    move_to_private: bool = False


def configured_model() -> TextModel:
    """The model the settings name (WEBCARE_MODEL_DIR), built from the corpus first if missing."""
    settings = ClassifySettings()
    return load_or_build(settings.model_dir, settings.model_corpus)


@dataclass
class Classifier:
    """Classifies texts; build once per process (the language models take a moment to load)."""

    model: TextModel = field(default_factory=configured_model)
    detector: LanguageDetector = field(
        default_factory=lambda: (
            LanguageDetectorBuilder.from_languages(*LANGUAGES).with_preloaded_language_models().build()
        )
    )

    def language(self, text: str) -> str:
        """ISO 639-1 code of the text's language, or "und" when it cannot be told."""
        sample = _LETTERS.sub(" ", text[:LANGUAGE_SAMPLE_CHARS]).strip()
        found = self.detector.detect_language_of(sample) if len(sample) >= 2 else None
        return found.iso_code_639_1.name.lower() if found is not None else "und"

    def classify(self, text: str, *, public: bool) -> Classification:
        """Language, sentiment, category and urgency of a customer message."""
        text = clean(text)
        findings = tuple(private_data.detect(text))
        preview = private_data.redact(text, findings)[:PREVIEW_CHARS]
        if not text.strip():
            return replace(fallback("empty"), redacted_preview=preview, model_version=self.model.version)
        prediction = self.model.predict(text)
        ranked = sorted(prediction.category.items(), key=lambda item: item[1], reverse=True)
        category, confidence = ranked[0]
        sentiment = prediction.sentiment
        label = max(sentiment, key=sentiment.__getitem__)
        return Classification(
            language=self.language(text),
            sentiment_label=label,
            sentiment_score=round(sentiment["positive"] - sentiment["negative"], 3),
            category=category,
            confidence=round(confidence, 3),
            secondary=tuple(name for name, p in ranked[1:] if p >= SECONDARY_MIN),
            urgency=_urgency(category, label, public=public),
            needs_triage=confidence < TRIAGE_BELOW,
            model_version=self.model.version,
            private_data=findings,
            redacted_preview=preview,
            move_to_private=public and bool(findings),
        )


def _urgency(category: str, sentiment: str, *, public: bool) -> int:
    base = {"crisis": 5, "complaint": 3, "untruth": 3, "question": 2, "lead": 2}.get(category, 1)
    if public and sentiment == "negative":
        base += 1
    return max(1, min(5, base))
