"""Training and evaluating the classify model on the labeled corpus (`data/classify/`).

One set of features (`features.py`: word 1-2-grams, character 2-5-grams, cue words) feeds two
linear SVMs, one for the category and one for the sentiment. Each SVM's scores are calibrated to
probabilities with a sigmoid per class, fitted on out-of-fold scores; the folds group the variants
of a base message, as the held-out split does. Everything is seeded: the same corpus and code give
the same weights.

Choices (blocks, weights, C) were made by grouped 5-fold cross-validation on the train split
(`webcare model eval --cv`, `evaluation.py`), never on the test split.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

from services.classify import features
from services.classify.features import Doc
from services.classify.model import CATEGORIES, SENTIMENTS, Block, Head, TextModel


@dataclass(frozen=True)
class BlockParams:
    """How one block of features is weighted."""

    min_df: int
    idf: bool
    weight: float


BLOCKS = {
    "word": BlockParams(min_df=1, idf=True, weight=1.0),
    "char": BlockParams(min_df=2, idf=True, weight=1.0),
    "cue": BlockParams(min_df=1, idf=False, weight=0.5),
}
C = 1.0  # inverse regularization of both SVMs
FOLDS = 5  # for the calibration and for `cross_validate`
SEED = 0
CHECK_EVERY = 25  # the exported model is compared with scikit-learn's on every 25th training text
TASKS = {"category": CATEGORIES, "sentiment": SENTIMENTS}


@dataclass(frozen=True)
class Example:
    """One labeled text: a corpus row, or an agent's correction (which may count more)."""

    text: str
    category: str
    sentiment: str
    base_id: str
    weight: float = 1.0  # how much the example counts in training, relative to a corpus row
    topics: tuple[str, ...] = ()  # the corpus's topics of the text ("other" left out); not trained on


def read_corpus(path: Path, *, split: str) -> list[Example]:
    """The rows of one split ("train" or "test") of a corpus.jsonl."""
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return [
        Example(
            text=r["text"],
            category=r["category"],
            sentiment=r["sentiment"],
            base_id=r["base_id"],
            topics=tuple(topic for topic in r.get("topics", ()) if topic != "other"),
        )
        for r in rows
        if r["split"] == split
    ]


def train(examples: Sequence[Example], *, version: str) -> TextModel:
    """Fit the model on the examples."""
    docs = [features.prepare(example.text) for example in examples]
    vectorizers = {
        name: TfidfVectorizer(
            analyzer=features.TERMS[name], min_df=params.min_df, use_idf=params.idf, sublinear_tf=True
        )
        for name, params in BLOCKS.items()
    }
    matrix = sparse.hstack(
        [BLOCKS[name].weight * vectorizer.fit_transform(docs) for name, vectorizer in vectorizers.items()]
    ).tocsr()
    folds = list(GroupKFold(n_splits=FOLDS).split(matrix, groups=[e.base_id for e in examples]))
    weights = [example.weight for example in examples]
    # Without weights other than 1, fit without any: exactly the model of the unweighted corpus.
    sample_weight = np.asarray(weights, dtype=np.float64) if any(w != 1.0 for w in weights) else None
    fitted: dict[str, CalibratedClassifierCV] = {}
    for task, classes in TASKS.items():
        labels = [getattr(example, task) for example in examples]
        if unknown := set(labels) - set(classes):
            raise ValueError(f"unknown {task} labels in the corpus: {sorted(unknown)}")
        svm = LinearSVC(C=C, random_state=SEED, max_iter=20_000)
        fitted[task] = CalibratedClassifierCV(svm, method="sigmoid", cv=folds, ensemble=False)
        fitted[task].fit(matrix, labels, sample_weight=sample_weight)  # for the SVMs and calibration
    model = TextModel(
        version=version,
        blocks=tuple(_block(name, vectorizer) for name, vectorizer in vectorizers.items()),
        category=_head(fitted["category"]),
        sentiment=_head(fitted["sentiment"]),
        info={"trained_on": len(examples), "scikit_learn": sklearn.__version__, "c": C, "folds": FOLDS},
    )
    _check_export(model, fitted, docs, matrix)
    return model


def _block(name: str, vectorizer: TfidfVectorizer) -> Block:
    vocabulary = {str(term): int(column) for term, column in vectorizer.vocabulary_.items()}
    if any("\n" in term for term in vocabulary):
        raise ValueError(f"a {name} term with a line break cannot be stored")
    idf = np.asarray(vectorizer.idf_, dtype=np.float64) if BLOCKS[name].idf else None
    return Block(name=name, vocabulary=vocabulary, idf=idf, weight=BLOCKS[name].weight)


def _head(calibrated: CalibratedClassifierCV) -> Head:
    (fitted,) = calibrated.calibrated_classifiers_
    svm: LinearSVC = fitted.estimator
    return Head(
        classes=tuple(str(c) for c in calibrated.classes_),
        coef=np.ascontiguousarray(svm.coef_.T, dtype=np.float32),
        intercept=np.asarray(svm.intercept_, dtype=np.float64),
        calibration_a=np.array([c.a_ for c in fitted.calibrators], dtype=np.float64),
        calibration_b=np.array([c.b_ for c in fitted.calibrators], dtype=np.float64),
    )


def _check_export(
    model: TextModel, fitted: dict[str, CalibratedClassifierCV], docs: Sequence[Doc], matrix: Any
) -> None:
    """The exported model must compute what scikit-learn computes (up to float32 weights)."""
    rows = list(range(0, len(docs), CHECK_EVERY))
    exported = model.matrix([docs[row] for row in rows])
    difference = abs(exported - matrix[rows]).max() if rows else 0.0
    if difference > 1e-9:
        raise RuntimeError(f"the exported features differ from scikit-learn's by up to {difference}")
    for task, calibrated in fitted.items():
        expected = calibrated.predict_proba(matrix[rows])
        head: Head = getattr(model, task)
        got = head.probabilities(np.asarray(exported @ head.coef.astype(np.float64)))
        for row, want, have in zip(rows, expected, got, strict=True):
            if not np.allclose(have, want, atol=1e-4):
                raise RuntimeError(f"the exported {task} model disagrees with scikit-learn on row {row}")
