"""The labeled classify corpus: current, big enough, balanced, validly labeled, with a leak-free split."""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys
from collections import Counter, defaultdict
from types import ModuleType
from typing import Any

import pytest

from services.classify import model
from services.classify.taxonomy import DEFAULT_TOPICS

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = ROOT / "data" / "classify"
CORPUS = DATA / "corpus.jsonl"
REBUILD = "run `python data/classify/build_corpus.py`"

CATEGORIES = set(model.CATEGORIES)
SENTIMENTS = set(model.SENTIMENTS)
TOPICS = {spec.key for spec in DEFAULT_TOPICS} | {"other"}  # the corpus labels what the taxonomy finds
LANGUAGES = {"de", "en"}
CHANNELS = {"x", "facebook", "instagram", "whatsapp", "email", "chat", "review"}
FIELDS = {
    "id",
    "base_id",
    "text",
    "language",
    "category",
    "secondary",
    "sentiment",
    "topics",
    "channel",
    "public",
    "split",
}
BASE_LABELS = ("language", "category", "secondary", "sentiment", "topics", "split")

Row = dict[str, Any]


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    """`data/classify/build_corpus.py`, loaded by path (data/ is not a package)."""
    name = "webcare_classify_build_corpus"
    spec = importlib.util.spec_from_file_location(name, DATA / "build_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _shares(rows: list[Row], field: str) -> dict[str, float]:
    counts = Counter(str(row[field]) for row in rows)
    return {key: count / len(rows) for key, count in counts.items()}


def test_corpus_is_exactly_what_the_builder_writes_now(builder: ModuleType, tmp_path: pathlib.Path) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    assert builder.main(["--out", str(first)]) == 0
    assert builder.main(["--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes(), "the builder is not deterministic"
    assert CORPUS.read_bytes() == first.read_bytes(), f"corpus.jsonl is stale: {REBUILD}"


def test_builder_uses_the_label_sets_of_the_issue(builder: ModuleType) -> None:
    assert set(builder.CATEGORIES) == CATEGORIES
    assert set(builder.SENTIMENTS) == SENTIMENTS
    assert set(builder.TOPICS) == TOPICS
    assert set(builder.LANGUAGES) == LANGUAGES
    assert set(builder.CHANNELS) == CHANNELS


def test_corpus_is_big_enough(rows: list[Row]) -> None:
    assert len(rows) >= 2000
    assert len({row["base_id"] for row in rows}) >= 1200


def test_every_row_has_the_fields_and_valid_labels(rows: list[Row]) -> None:
    assert len({row["id"] for row in rows}) == len(rows), "ids are not unique"
    for row in rows:
        assert set(row) == FIELDS, row["id"]
        assert isinstance(row["text"], str) and row["text"].strip(), row["id"]
        assert row["id"].startswith(row["base_id"] + "-"), row["id"]
        assert row["language"] in LANGUAGES, row["id"]
        assert row["category"] in CATEGORIES, row["id"]
        assert row["sentiment"] in SENTIMENTS, row["id"]
        assert row["channel"] in CHANNELS, row["id"]
        assert row["split"] in {"train", "test"}, row["id"]
        assert isinstance(row["public"], bool), row["id"]
        assert isinstance(row["secondary"], list) and set(row["secondary"]) <= CATEGORIES, row["id"]
        assert row["category"] not in row["secondary"], row["id"]
        assert len(set(row["secondary"])) == len(row["secondary"]), row["id"]
        assert isinstance(row["topics"], list) and row["topics"], row["id"]
        assert set(row["topics"]) <= TOPICS and len(set(row["topics"])) == len(row["topics"]), row["id"]


def test_public_follows_the_channel(rows: list[Row]) -> None:
    for row in rows:
        if row["channel"] in {"x", "instagram", "review"}:
            assert row["public"] is True, row["id"]
        elif row["channel"] in {"whatsapp", "email", "chat"}:
            assert row["public"] is False, row["id"]


def test_variants_of_a_base_message_share_its_labels(rows: list[Row]) -> None:
    labels: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        labels[row["base_id"]].add(json.dumps([row[field] for field in BASE_LABELS]))
    changed = sorted(base_id for base_id, values in labels.items() if len(values) > 1)
    assert not changed, f"variants with different labels: {changed[:5]}"
    variants = Counter(row["base_id"] for row in rows)
    assert max(variants.values()) <= 3


def test_categories_sentiments_and_languages_are_balanced(rows: list[Row]) -> None:
    categories = _shares(rows, "category")
    sentiments = _shares(rows, "sentiment")
    languages = _shares(rows, "language")
    assert set(categories) == CATEGORIES
    assert set(sentiments) == SENTIMENTS
    assert set(languages) == LANGUAGES
    assert min(categories.values()) >= 0.05, categories
    assert min(sentiments.values()) >= 0.15, sentiments
    assert min(languages.values()) >= 0.35, languages


def test_split_is_by_base_message_and_about_a_fifth(rows: list[Row]) -> None:
    splits: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        splits[row["base_id"]].add(row["split"])
    both = sorted(base_id for base_id, values in splits.items() if len(values) > 1)
    assert not both, f"base messages in both splits: {both[:5]}"
    test_rows = sum(row["split"] == "test" for row in rows) / len(rows)
    test_bases = sum(values == {"test"} for values in splits.values()) / len(splits)
    assert 0.15 <= test_rows <= 0.25, test_rows
    assert 0.15 <= test_bases <= 0.25, test_bases


def test_test_split_covers_every_category_in_both_languages(rows: list[Row]) -> None:
    cells = Counter((row["category"], row["language"]) for row in rows if row["split"] == "test")
    missing = [(c, lang) for c in sorted(CATEGORIES) for lang in sorted(LANGUAGES) if cells[(c, lang)] < 10]
    assert not missing, f"too few test rows for {missing}"


def test_no_text_is_in_both_splits(rows: list[Row]) -> None:
    by_text: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_text[row["text"]].add(row["split"])
    shared = sorted(text for text, values in by_text.items() if len(values) > 1)
    assert not shared, f"texts in both splits: {shared[:5]}"
    normalized: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        normalized[" ".join(row["text"].casefold().split())].add(row["split"])
    near = sorted(text for text, values in normalized.items() if len(values) > 1)
    assert not near, f"texts that differ only in case or spacing are in both splits: {near[:5]}"
