"""Predicting in batches: the same probabilities as one text at a time, the features scikit-learn
computes, unit vectors for similarity, the artifact as bytes, weighted training examples, and the
quick tests that rule the cue patterns out."""

from __future__ import annotations

import math
import pathlib
import re
from collections import Counter

import numpy as np
import pytest

from services.classify import features, lexicon, training
from services.classify.classifier import clean
from services.classify.config import CORPUS
from services.classify.model import CHUNK, TOKEN_CACHE, Prediction, TextModel

HOSTILE = [
    "",
    "   ",
    "😡😡😡🙄",
    "👍",
    "x" * 65_536,
    ("Mein Internet ist kaputt! " * 3000)[:65_536],
    "Hallo\u200b\u200d\ufeffWelt",
    "wirk\u200blich schlecht\u2060!",
    "<script>alert(1)</script><b>kaputt</b>",
    "<p>Danke f&uuml;r <i>nichts</i></p>",
    "Das ist nicht gut, but the service was great 👍",
    "مرحبا، الإنترنت لا يعمل",
    "\x00\x01\x02",
    "@TelvanaHilft #KeinNetz seit 3 Tagen!!! https://telvana.de/status mail: kunde@example.org",
    'Oh great, love it 🙄 again... thanks for nothing. "Premium" Service, na toll',
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every 7th corpus text (train and test), the hostile texts, and some of them cleaned."""
    corpus = training.read_corpus(CORPUS, split="train") + training.read_corpus(CORPUS, split="test")
    sample = [example.text for example in corpus[::7]]
    assert len(sample) >= 300
    return sample + HOSTILE + [clean(text) for text in HOSTILE]


def probabilities(prediction: Prediction) -> list[float]:
    return [*prediction.category.values(), *prediction.sentiment.values()]


def test_predict_many_gives_what_predict_gives_text_by_text(
    classify_model: TextModel, texts: list[str]
) -> None:
    batch = classify_model.predict_many(texts)
    assert len(batch) == len(texts)
    for text, prediction in zip(texts, batch, strict=True):
        alone = classify_model.predict(text)
        assert list(prediction.category) == list(alone.category) == list(classify_model.category.classes)
        assert list(prediction.sentiment) == list(alone.sentiment) == list(classify_model.sentiment.classes)
        assert np.allclose(probabilities(prediction), probabilities(alone), rtol=0, atol=1e-9), text[:80]
        assert math.isclose(sum(prediction.category.values()), 1.0)
        assert math.isclose(sum(prediction.sentiment.values()), 1.0)


def test_predict_many_of_no_texts_and_of_more_than_a_chunk(classify_model: TextModel) -> None:
    assert classify_model.predict_many([]) == []
    texts = [f"Rechnung {n} ist falsch, bitte korrigieren" for n in range(CHUNK + 3)]
    batch = classify_model.predict_many(texts)
    assert len(batch) == len(texts)
    assert np.allclose(probabilities(batch[-1]), probabilities(classify_model.predict(texts[-1])), atol=1e-9)


def test_the_feature_matrix_is_tf_idf_per_block_as_in_training(
    classify_model: TextModel, texts: list[str]
) -> None:
    docs = [features.prepare(text) for text in texts[:120]]
    matrix = classify_model.matrix(docs).toarray()
    assert matrix.shape == (len(docs), sum(len(block.vocabulary) for block in classify_model.blocks))
    for row, doc in enumerate(docs):  # computed directly, term by term, as TfidfVectorizer does
        offset = 0
        for block in classify_model.blocks:
            expected = np.zeros(len(block.vocabulary))
            for term, n in Counter(features.TERMS[block.name](doc)).items():
                if (column := block.vocabulary.get(term)) is not None:
                    idf = 1.0 if block.idf is None else block.idf[column]
                    expected[column] = (1.0 + math.log(n)) * idf
            if norm := np.linalg.norm(expected):
                expected *= block.weight / norm
            got = matrix[row, offset : offset + len(block.vocabulary)]
            assert np.allclose(got, expected, rtol=0, atol=1e-12), (block.name, doc.raw[:80])
            offset += len(block.vocabulary)


def test_vectors_are_unit_rows_whose_products_are_cosine_similarities(classify_model: TextModel) -> None:
    texts = [
        "Seit gestern kein Internet, wann geht das wieder?",
        "Seit heute kein Internet mehr, wann geht es wieder?",
        "Vielen Dank für die schnelle Hilfe, super Service!",
        "",
    ]
    vectors = classify_model.vectors(texts)
    assert vectors.shape == (len(texts), classify_model.matrix([]).shape[1])
    lengths = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    assert np.allclose(lengths, 1.0)  # the empty text too: it has cue terms (its length, no domain word)
    similarity = (vectors @ vectors.T).toarray()
    assert similarity[0, 1] > 0.5 > similarity[0, 2]
    dense = classify_model.matrix([features.prepare(text) for text in texts[:2]]).toarray()
    cosine = dense[0] @ dense[1] / (np.linalg.norm(dense[0]) * np.linalg.norm(dense[1]))
    assert similarity[0, 1] == pytest.approx(cosine)


def test_predict_with_vectors_is_predict_many_and_vectors_at_once(
    classify_model: TextModel, texts: list[str]
) -> None:
    sample = texts[:50]
    predictions, vectors = classify_model.predict_with_vectors(sample)
    for together, alone in zip(predictions, classify_model.predict_many(sample), strict=True):
        assert np.allclose(probabilities(together), probabilities(alone), rtol=0, atol=1e-9)
    assert abs(vectors - classify_model.vectors(sample)).max() < 1e-12


def test_the_artifact_round_trips_through_bytes(classify_model: TextModel, tmp_path: pathlib.Path) -> None:
    data = classify_model.to_bytes()
    assert data[:2] == b"PK"  # an .npz: a zip of .npy arrays, readable without pickle
    copy = TextModel.from_bytes(data)
    assert copy.version == classify_model.version
    assert copy.info == classify_model.info
    for block, copied in zip(classify_model.blocks, copy.blocks, strict=True):
        assert (copied.name, copied.vocabulary, copied.weight) == (block.name, block.vocabulary, block.weight)
        if block.idf is None:
            assert copied.idf is None
        else:
            assert copied.idf is not None and np.array_equal(copied.idf, block.idf)
    for head, copied_head in (
        (classify_model.category, copy.category),
        (classify_model.sentiment, copy.sentiment),
    ):
        assert copied_head.classes == head.classes
        assert np.array_equal(copied_head.coef, head.coef)
        assert copied_head.coef.dtype == head.coef.dtype
    assert copy.to_bytes() == data
    text = "Ich bin nicht zufrieden mit eurem Service"
    assert copy.predict(text) == classify_model.predict(text)
    path = tmp_path / "model.npz"
    classify_model.save(path)
    assert path.read_bytes() == data
    assert TextModel.load(path).predict(text) == classify_model.predict(text)


def test_a_models_token_cache_is_bounded(classify_model: TextModel) -> None:
    classify_model.predict_many(["Kündigung", "Kündigung bestätigt"])
    info = classify_model._features.token_columns.cache_info()
    assert info.maxsize == TOKEN_CACHE
    assert info.hits > 0


def test_corpus_rows_carry_their_topics_without_other() -> None:
    examples = training.read_corpus(CORPUS, split="train")
    assert all(example.weight == 1.0 for example in examples)
    assert all("other" not in example.topics for example in examples)
    assert sum(bool(example.topics) for example in examples) > len(examples) / 2


def test_example_weights_other_than_one_change_the_training() -> None:
    examples = training.read_corpus(CORPUS, split="train")[:400]
    heavy = [
        training.Example(
            e.text, e.category, e.sentiment, e.base_id, weight=5.0 if e.category == "lead" else 1.0
        )
        for e in examples
    ]
    plain, weighted = training.train(examples, version="plain"), training.train(heavy, version="weighted")
    assert not np.array_equal(plain.category.coef, weighted.category.coef)
    leads = [e.text for e in examples if e.category == "lead"]
    before = np.mean([p.category["lead"] for p in plain.predict_many(leads)])
    after = np.mean([p.category["lead"] for p in weighted.predict_many(leads)])
    assert after > before


def test_the_quick_tests_of_the_cue_patterns_never_rule_out_a_match(texts: list[str]) -> None:
    assert features._needles(r"\bmeine? (anwalt|anwaltin)\b") == (("anwalt", "anwaltin"), ("mein",), (" ",))
    assert features._needles(r"\bxnum ?[€$£]") == (("xnum",), ("€", "$", "£"))
    assert features._needles(r"[🙄🙃👏]|\bnot\b.*again") == (("🙄", "🙃", "👏", "again"),)
    assert features._needles(r"(ab|cd)+ef\.") == (("ef.",),)
    assert features._needles(r"^(\S+\s?){1,3}$") == ()
    assert features._needles(r"(?i)hello") == ()
    assert features._needles(r"\x41bc") == ()
    extra = [
        f"{text} {phrase}" for text in texts[:40] for phrase in ("danke für nichts", "na super", "ab morgen")
    ]
    for kinds, patterns in ((lexicon.PHRASES, features._PHRASES), (lexicon.IRONY, features._IRONY)):
        compiled = [(kind, re.compile(p)) for kind, group in kinds.items() for p in group]
        for text in texts + extra:
            for written in (features.normalize(text), " ".join(features.tokenize(features.normalize(text)))):
                expected = [kind for kind, pattern in compiled if pattern.search(written)]
                assert patterns.hits(written) == expected, written[:80]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "@Telvana #KeinNetz seit Tagen!!! Status: https://telvana.de/status ok??",
            ("xmention", "xhashtag kein netz", "tagen! status:", "xurl  ok?"),
        ),
        ("Schreibt an hilfe@telvana-kundenservice.example bitte", ("an  xemail  bitte",)),
        ("Mehr auf WWW.Telvana.example...", ("mehr auf  xurl",)),
        ("Kein Link hier: nur Text. Wirklich", ("kein link hier: nur text. wirklich",)),
    ],
)
def test_normalize_still_replaces_what_its_quick_tests_let_through(
    text: str, expected: tuple[str, ...]
) -> None:
    normalized = features.normalize(text)
    assert all(piece in normalized for piece in expected), normalized
