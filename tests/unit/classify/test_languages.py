"""Language detection: the corpus's German and English, the other six languages, and the quick
mode agreeing with lingua's high-accuracy mode."""

from __future__ import annotations

import json

import pytest

from services.classify.classifier import Classifier
from services.classify.config import CORPUS


def test_the_corpus_languages_are_told_like_high_accuracy_alone_would(classifier: Classifier) -> None:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [row["text"] for row in rows]
    found = classifier.languages(texts)
    high = [
        language.iso_code_639_1.name.lower() if language is not None else "und"
        for language in classifier.detector.detect_languages_in_parallel_of(classifier.samples(texts))
    ]
    accuracy = sum(f == row["language"] for f, row in zip(found, rows, strict=True)) / len(rows)
    agreement = sum(f == h for f, h in zip(found, high, strict=True)) / len(rows)
    assert accuracy >= 0.98, accuracy
    assert agreement >= 0.995, agreement


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Seit gestern kein Internet, was ist da los?", "de"),
        ("My parcel never arrived, can you check?", "en"),
        ("Mijn pakket is nog steeds niet aangekomen", "nl"),
        ("Mon colis n'est toujours pas arrivé", "fr"),
        ("Mi paquete todavía no ha llegado", "es"),
        ("Il mio pacco non è ancora arrivato", "it"),
        ("Paketim hâlâ gelmedi, yard\u0131m eder misiniz?", "tr"),
        ("Moja paczka wciąż nie dotarła", "pl"),
        ("😡😡😡", "und"),
        ("", "und"),
    ],
)
def test_eight_languages_are_told_apart(classifier: Classifier, text: str, code: str) -> None:
    assert classifier.languages([text]) == [code]
