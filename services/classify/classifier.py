"""A first classifier: language by lingua, sentiment and category by German and English word lists.

The lists are a baseline that the trained model (and tenants' rules) will replace; they are kept
small and explicit so that what they decide can be read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from services.classify import private_data
from services.classify.private_data import Finding

MODEL_VERSION = "lexicon-2026.11.1"
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

_NEGATIVE = {
    "schlecht",
    "schade",
    "unangenehm",
    "ärgerlich",
    "ärgern",
    "katastrophe",
    "katastrophal",
    "frech",
    "unverschämt",
    "enttäuscht",
    "enttäuschend",
    "mies",
    "kaputt",
    "defekt",
    "störung",
    "wütend",
    "nervt",
    "langsam",
    "falsch",
    "nie",
    "niemals",
    "bad",
    "terrible",
    "awful",
    "worst",
    "broken",
    "angry",
    "disappointed",
    "disappointing",
    "useless",
    "slow",
    "wrong",
    "never",
    "hate",
    "poor",
    "ridiculous",
    "outage",
    "down",
    "weg",
    "funktioniert",
    "ausgefallen",
    "scam",
    "betrug",
    "😡",
    "😠",
    "👎",
    "😤",
    "😞",
}
_POSITIVE = {
    "gut",
    "super",
    "toll",
    "danke",
    "vielen",
    "klasse",
    "prima",
    "perfekt",
    "schnell",
    "freundlich",
    "zufrieden",
    "lob",
    "top",
    "great",
    "good",
    "thanks",
    "thank",
    "awesome",
    "excellent",
    "perfect",
    "love",
    "fast",
    "friendly",
    "happy",
    "helpful",
    "❤️",
    "👍",
    "😊",
    "🙂",
    "😍",
}
_NEGATORS = {"nicht", "kein", "keine", "keinen", "nie", "not", "no", "never", "n't"}
_CRISIS = {
    "shitstorm",
    "boykott",
    "boycott",
    "klage",
    "anwalt",
    "lawyer",
    "lawsuit",
    "presse",
    "press",
    "skandal",
    "scandal",
    "gefährlich",
    "dangerous",
    "verletzt",
    "injured",
    "feuer",
    "fire",
    "rückruf",
    "recall",
    "datenleck",
    "breach",
    "hacked",
    "gehackt",
}
_UNTRUTH = {"fake", "lüge", "lügen", "gerücht", "rumor", "rumour", "hoax", "angeblich", "allegedly", "lie"}
_LEAD = {
    "kaufen",
    "bestellen",
    "angebot",
    "tarif",
    "vertrag",
    "wechseln",
    "preis",
    "buy",
    "order",
    "offer",
    "price",
    "plan",
    "upgrade",
    "switch",
    "quote",
    "interested",
    "interessiert",
    "suche",
    "looking",
}
_QUESTION_WORDS = {
    "wie",
    "wann",
    "wo",
    "warum",
    "was",
    "wer",
    "welche",
    "kann",
    "können",
    "gibt",
    "how",
    "when",
    "where",
    "why",
    "what",
    "who",
    "which",
    "can",
    "could",
    "is",
    "are",
    "does",
    "do",
}
_SPAM_PATTERN = re.compile(r"(https?://\S+.*){3,}|(\bfollow\s+back\b)|(\bcrypto\b.*\bgiveaway\b)", re.I)
_WORD = re.compile(r"[\w']+|[^\w\s]", re.UNICODE)
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
    model_version: str = MODEL_VERSION
    private_data: tuple[Finding, ...] = ()
    redacted_preview: str = ""
    move_to_private: bool = False


@dataclass
class Classifier:
    """Classifies texts; build once per process (the language models take a moment to load)."""

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
        tokens = [t.lower() for t in _WORD.findall(text)]
        score = _sentiment(tokens)
        label = "negative" if score <= -0.2 else "positive" if score >= 0.2 else "neutral"
        category, confidence, secondary = _category(text, tokens, score)
        urgency = _urgency(category, score, public=public)
        findings = tuple(private_data.detect(text))
        return Classification(
            language=self.language(text),
            sentiment_label=label,
            sentiment_score=score,
            category=category,
            confidence=confidence,
            secondary=secondary,
            urgency=urgency,
            needs_triage=confidence < 0.5,
            private_data=findings,
            redacted_preview=private_data.redact(text, findings)[:PREVIEW_CHARS],
            move_to_private=public and bool(findings),
        )


def _sentiment(tokens: list[str]) -> float:
    total = 0
    for i, token in enumerate(tokens):
        polarity = (token in _POSITIVE) - (token in _NEGATIVE)
        if polarity and any(t in _NEGATORS for t in tokens[max(0, i - 3) : i]):
            polarity = -polarity
        total += polarity
    if not total:
        return 0.0
    return max(-1.0, min(1.0, total / 3))


def _category(text: str, tokens: list[str], score: float) -> tuple[str, float, tuple[str, ...]]:
    words = set(tokens)
    found: list[tuple[str, float]] = []
    if _SPAM_PATTERN.search(text):
        found.append(("spam", 0.8))
    if words & _CRISIS:
        found.append(("crisis", 0.75))
    if words & _UNTRUTH:
        found.append(("untruth", 0.6))
    if score < 0:
        found.append(("complaint", 0.6 + min(0.3, -score / 3)))
    if words & _LEAD:
        found.append(("lead", 0.55))
    if "?" in text or (tokens and tokens[0] in _QUESTION_WORDS):
        found.append(("question", 0.7))
    if score > 0:
        found.append(("compliment", 0.6 + min(0.3, score / 3)))
    if not found:
        return "other", 0.4, ()
    primary, confidence = found[0]
    return primary, round(confidence, 2), tuple(name for name, _ in found[1:])


def _urgency(category: str, score: float, *, public: bool) -> int:
    base = {"crisis": 5, "complaint": 3, "untruth": 3, "question": 2, "lead": 2}.get(category, 1)
    if public and score < 0:
        base += 1
    return max(1, min(5, base))
