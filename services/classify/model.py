"""The trained model for category and sentiment: its artifact, its version, and predicting with it.

The artifact is a NumPy `.npz` file (loaded without pickle): the vocabulary and IDF weights of each
block of features (`features.py`), and per task the weights of a linear classifier and the sigmoid
calibration of its scores. `training.py` makes it; this module only reads it, so serving needs
NumPy but not scikit-learn.

An artifact is named by its version, `linear-<hash12>`: a SHA-256 over the corpus, the training
code and parameters (`training.py`), the feature code and word lists (`features.py`, `lexicon.py`)
and the scikit-learn version. Same corpus and code, same version and same weights.

Texts are best predicted in batches (`predict_many`): the terms of all texts are counted, weighted
and scored with a few array operations and one sparse product, and the columns of a token's
character n-grams are cached per model, since tokens recur. `predict` is a batch of one.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import io
import itertools
import json
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from services.classify import features
from services.classify.features import Doc

log = logging.getLogger(__name__)

VERSION_PREFIX = "linear-"
LATEST = "latest"  # names the newest artifact of a model directory, for hosts without the corpus
CATEGORIES = ("question", "complaint", "crisis", "untruth", "compliment", "lead", "spam", "other")
SENTIMENTS = ("negative", "neutral", "positive")
_SOURCES = ("features.py", "lexicon.py", "training.py")
TOKEN_CACHE = 32_768  # tokens whose columns a model keeps (~400 bytes each: at most ~13 MB a model)
CHUNK = 1_000  # texts that `predict_many` weighs and scores at once (its memory is bounded by this)

FloatArray = npt.NDArray[np.float64]


class ModelMissing(RuntimeError):
    """There is no model to load and no corpus to build one from."""


@dataclass(frozen=True)
class Block:
    """One block of features: its terms (column order), IDF weights (or none) and block weight."""

    name: str
    vocabulary: dict[str, int]
    idf: FloatArray | None
    weight: float


@dataclass(frozen=True)
class Head:
    """A calibrated linear classifier over all blocks: P(class) ∝ sigmoid(-(a·score + b))."""

    classes: tuple[str, ...]
    coef: npt.NDArray[np.float32]  # (features, classes)
    intercept: FloatArray
    calibration_a: FloatArray
    calibration_b: FloatArray

    def probabilities(self, scores: FloatArray) -> FloatArray:
        """Class probabilities of texts (a row each) from their scores, features @ coef."""
        with np.errstate(over="ignore"):  # exp overflows to inf for hopeless classes: P = 0
            sigmoid: FloatArray = 1.0 / (
                1.0 + np.exp(self.calibration_a * (scores + self.intercept) + self.calibration_b)
            )
        totals = sigmoid.sum(axis=1)
        hopeless = totals == 0.0
        if hopeless.any():  # every class hopeless: all equally probable
            sigmoid[hopeless] = 1.0
            totals[hopeless] = len(self.classes)
        sigmoid /= totals[:, np.newaxis]
        return sigmoid


@dataclass(frozen=True)
class Prediction:
    """Category and sentiment probabilities of one text, by class name."""

    category: dict[str, float]
    sentiment: dict[str, float]


@dataclass(frozen=True)
class TextModel:
    """The loaded model: turns texts into category and sentiment probabilities."""

    version: str
    blocks: tuple[Block, ...]
    category: Head
    sentiment: Head
    info: dict[str, Any]

    def predict(self, text: str) -> Prediction:
        """Category and sentiment probabilities of a text."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """Category and sentiment probabilities of each text: far cheaper per text than `predict`,
        as the texts' features are weighted and scored together (CHUNK texts at a time)."""
        predictions: list[Prediction] = []
        for start in range(0, len(texts), CHUNK):
            predictions.extend(
                self._predictions(self._scores(list(map(features.prepare, texts[start : start + CHUNK]))))
            )
        return predictions

    def predict_with_vectors(self, texts: Sequence[str]) -> tuple[list[Prediction], sparse.csr_matrix]:
        """`predict_many` and `vectors` of the same texts, their features computed once."""
        matrix = self.matrix(list(map(features.prepare, texts)))
        predictions = self._predictions(np.asarray(matrix @ self._coef))
        return predictions, _unit_rows(matrix)

    def _predictions(self, scores: FloatArray) -> list[Prediction]:
        split = len(self.category.classes)
        category = self.category.probabilities(scores[:, :split]).tolist()
        sentiment = self.sentiment.probabilities(scores[:, split:]).tolist()
        return [
            Prediction(
                category=dict(zip(self.category.classes, c, strict=True)),
                sentiment=dict(zip(self.sentiment.classes, s, strict=True)),
            )
            for c, s in zip(category, sentiment, strict=True)
        ]

    def _scores(self, docs: Sequence[Doc]) -> FloatArray:
        """Both heads' scores (features @ coef, category then sentiment) of each doc, a row each."""
        if len(docs) == 1:  # a lone text: its few features, without a sparse matrix's overhead
            _, columns, values = self._features.weighted(docs)
            lone: FloatArray = values @ self._coef[columns]
            return lone[np.newaxis]
        return np.asarray(self.matrix(docs) @ self._coef)

    def vectors(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The texts' features (`matrix`) with each row scaled to length 1, so that the product of two
        rows is the cosine similarity of their texts. A text without any known term is a zero row."""
        return _unit_rows(self.matrix(list(map(features.prepare, texts))))

    def matrix(self, docs: Sequence[Doc]) -> sparse.csr_matrix:
        """The features of prepared texts, a row each and a column per term of each block: sublinear
        TF times IDF, L2-normalized per block and times the block's weight (as in training)."""
        return self._features.matrix(docs)

    @functools.cached_property
    def _features(self) -> _Features:
        return _Features(self.blocks)

    @functools.cached_property
    def _coef(self) -> FloatArray:
        """Both heads' weights side by side, in float64 (as scikit-learn computes the scores)."""
        return np.hstack([self.category.coef, self.sentiment.coef]).astype(np.float64)

    def to_bytes(self) -> bytes:
        """The artifact: an `.npz` file's content (no pickles), as `from_bytes` reads it."""
        arrays: dict[str, npt.NDArray[Any]] = {"info": _text_array(json.dumps(self._info(), sort_keys=True))}
        for block in self.blocks:
            terms = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
            arrays[f"vocabulary_{block.name}"] = _text_array("\n".join(terms))
            if block.idf is not None:
                arrays[f"idf_{block.name}"] = block.idf
        for task, head in (("category", self.category), ("sentiment", self.sentiment)):
            arrays[f"{task}_coef"] = head.coef
            arrays[f"{task}_intercept"] = head.intercept
            arrays[f"{task}_calibration_a"] = head.calibration_a
            arrays[f"{task}_calibration_b"] = head.calibration_b
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TextModel:
        """The model of an artifact's content (`to_bytes`)."""
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            info = json.loads(_text(arrays["info"]))
            blocks = tuple(
                Block(
                    name=spec["name"],
                    vocabulary={t: i for i, t in enumerate(_terms(arrays[f"vocabulary_{spec['name']}"]))},
                    idf=arrays[f"idf_{spec['name']}"] if spec["idf"] else None,
                    weight=float(spec["weight"]),
                )
                for spec in info.pop("blocks")
            )
            classes = info.pop("classes")
            heads = {
                task: Head(
                    classes=tuple(classes[task]),
                    coef=arrays[f"{task}_coef"],
                    intercept=arrays[f"{task}_intercept"],
                    calibration_a=arrays[f"{task}_calibration_a"],
                    calibration_b=arrays[f"{task}_calibration_b"],
                )
                for task in ("category", "sentiment")
            }
        return cls(info.pop("version"), blocks, heads["category"], heads["sentiment"], info)

    def save(self, path: Path) -> None:
        """Write the artifact atomically (a reader never sees half a file)."""
        _write_atomically(path, self.to_bytes())

    @classmethod
    def load(cls, path: Path) -> TextModel:
        """Read an artifact written by `save`."""
        return cls.from_bytes(path.read_bytes())

    def _info(self) -> dict[str, Any]:
        blocks = [{"name": b.name, "weight": b.weight, "idf": b.idf is not None} for b in self.blocks]
        heads = {"category": list(self.category.classes), "sentiment": list(self.sentiment.classes)}
        return {**self.info, "version": self.version, "blocks": blocks, "classes": heads}


class _Features:
    """The blocks as one feature space, for a batch of texts at once: the terms of all texts become
    (text, column) keys, whose counts are weighted together. The columns of a token's terms
    (`features.TOKEN_TERMS`: its character n-grams) are cached, since tokens recur."""

    def __init__(self, blocks: tuple[Block, ...]) -> None:
        sizes = [len(block.vocabulary) for block in blocks]
        offsets = np.cumsum([0, *sizes]).tolist()
        self.width: int = offsets[-1]
        self.blocks = len(blocks)
        self.block_of = np.repeat(np.arange(len(blocks)), sizes)
        self.block_weight = np.array([block.weight for block in blocks], dtype=np.float64)
        self.idf = np.concatenate(
            [np.ones(n) if b.idf is None else b.idf for b, n in zip(blocks, sizes, strict=True)]
        )
        self.doc_terms = [  # the other blocks: the terms of a doc, and each term's column
            (features.TERMS[block.name], {term: offset + column for term, column in block.vocabulary.items()})
            for block, offset in zip(blocks, offsets, strict=False)
            if block.name not in features.TOKEN_TERMS
        ]
        self.token_terms = [
            (features.TOKEN_TERMS[block.name], block.vocabulary, offset)
            for block, offset in zip(blocks, offsets, strict=False)
            if block.name in features.TOKEN_TERMS
        ]
        self.token_columns = functools.lru_cache(maxsize=TOKEN_CACHE)(self._token_columns)

    def matrix(self, docs: Sequence[Doc]) -> sparse.csr_matrix:
        """The weighted features of the docs (see `TextModel.matrix`)."""
        rows, columns, values = self.weighted(docs)
        indptr = np.zeros(len(docs) + 1, dtype=columns.dtype)
        np.cumsum(np.bincount(rows, minlength=len(docs)), out=indptr[1:])
        return sparse.csr_matrix((values, columns, indptr), shape=(len(docs), self.width))

    def weighted(
        self, docs: Sequence[Doc]
    ) -> tuple[npt.NDArray[np.integer], npt.NDArray[np.integer], FloatArray]:
        """The non-zero features of the docs: row (doc), column and value, by row and column."""
        n = len(docs)
        tokens: list[str] = []
        token_rows: list[int] = []
        columns: list[int] = []  # of the doc terms, -1 for those not in the vocabulary
        rows: list[int] = []
        for row, doc in enumerate(docs):
            tokens.extend(doc.tokens)
            token_rows.extend(itertools.repeat(row, len(doc.tokens)))
            for terms, vocabulary in self.doc_terms:
                found = terms(doc)
                columns.extend(map(vocabulary.get, found, itertools.repeat(-1)))
                rows.extend(itertools.repeat(row, len(found)))
        pieces = list(map(self.token_columns, tokens))
        sizes = np.fromiter(map(len, pieces), dtype=np.intp, count=len(pieces))
        all_rows = np.concatenate(
            [np.repeat(np.array(token_rows, dtype=np.intp), sizes), np.array(rows, dtype=np.intp)]
        )
        all_columns = np.concatenate([*pieces, np.array(columns, dtype=np.intp)])
        known = all_columns >= 0
        # One key per (text, column) occurrence; sorted, equal keys are one term's count in one text.
        keys = (all_rows[known] * self.width + all_columns[known]).astype(
            np.int32 if n * self.width < 2**31 else np.int64  # int32 sorts faster
        )
        keys.sort()
        first = np.empty(keys.size, dtype=bool)
        first[:1] = True
        first[1:] = keys[1:] != keys[:-1]
        counts = np.bincount(np.cumsum(first) - 1)
        rows_of, cols = np.divmod(keys[first], self.width)
        values = np.log(counts)
        values += 1.0
        values *= self.idf[cols]
        blocks = self.block_of[cols]
        groups = rows_of * self.blocks + blocks
        norms = np.sqrt(np.bincount(groups, weights=values * values, minlength=n * self.blocks))
        values *= self.block_weight[blocks] / norms[groups]
        return rows_of, cols, values

    def _token_columns(self, token: str) -> npt.NDArray[np.intp]:
        """The columns of a token's terms in the feature space, a column per occurrence."""
        columns = [
            offset + column
            for terms, vocabulary, offset in self.token_terms
            for term in terms(token)
            if (column := vocabulary.get(term)) is not None
        ]
        cached = np.array(columns, dtype=np.intp)
        cached.flags.writeable = False  # shared by every doc with the token
        return cached


def _unit_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """The matrix with each non-zero row scaled to length 1 (in place)."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    lengths = np.sqrt(np.bincount(rows, weights=matrix.data * matrix.data, minlength=matrix.shape[0]))
    matrix.data /= lengths[rows]
    return matrix


def model_version(corpus: Path) -> str:
    """`linear-<hash12>` of the corpus, the feature and training code, and scikit-learn's version."""
    digest = hashlib.sha256()
    digest.update(corpus.read_bytes())
    here = Path(__file__).parent
    for name in _SOURCES:
        digest.update(b"\x1f" + name.encode() + b"\x1f" + (here / name).read_bytes())
    digest.update(b"\x1fscikit-learn " + importlib.metadata.version("scikit-learn").encode())
    return VERSION_PREFIX + digest.hexdigest()[:12]


def artifact_path(model_dir: Path, version: str) -> Path:
    """Where the artifact of a version lives."""
    return model_dir / f"{version}.npz"


def load_or_build(model_dir: Path, corpus: Path) -> TextModel:
    """The model of the corpus from `model_dir`, built there first if it is missing.

    Without a corpus (an image that carries only the built model), the artifact `model_dir/latest`
    names is loaded.
    """
    if not corpus.is_file():
        return load_latest(model_dir, reason=f"no corpus at {corpus}")
    model, _ = ensure_built(model_dir, corpus)
    return model


def ensure_built(model_dir: Path, corpus: Path, *, force: bool = False) -> tuple[TextModel, bool]:
    """The model of the corpus from `model_dir`, and whether it had to be built (always with `force`)."""
    version = model_version(corpus)
    path = artifact_path(model_dir, version)
    if path.is_file() and not force:
        model = TextModel.load(path)
        log.info("classify model %s loaded from %s", version, path)
        return model, False
    if not force:
        log.warning("classify model %s is not in %s: building it from %s", version, model_dir, corpus)
    return build(model_dir, corpus), True


def build(model_dir: Path, corpus: Path) -> TextModel:
    """Train the model on the corpus's train split and write it to `model_dir` as the latest."""
    from services.classify import training  # scikit-learn is needed only to train

    started = time.perf_counter()
    version = model_version(corpus)
    model = training.train(training.read_corpus(corpus, split="train"), version=version)
    path = artifact_path(model_dir, version)
    model.save(path)
    mark_latest(model_dir, version)
    log.info(
        "classify model %s built in %.1f s: %s (%.1f MB)",
        version,
        time.perf_counter() - started,
        path,
        path.stat().st_size / 1e6,
    )
    return model


def mark_latest(model_dir: Path, version: str) -> None:
    """Make `model_dir/latest` name the artifact of `version`."""
    _write_atomically(model_dir / LATEST, f"{artifact_path(model_dir, version).name}\n".encode())


def load_latest(model_dir: Path, *, reason: str) -> TextModel:
    """The artifact `model_dir/latest` names."""
    latest = model_dir / LATEST
    if not latest.is_file():
        raise ModelMissing(f"{reason} and no model in {model_dir}: run `webcare model build`")
    path = model_dir / latest.read_text().strip()
    model = TextModel.load(path)
    log.info("classify model %s loaded from %s (%s)", model.version, path, reason)
    return model


def _write_atomically(path: Path, content: bytes) -> None:
    """Write a file so that a reader (or a concurrent writer) never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}-", delete=False) as f:
        f.write(content)
    os.chmod(f.name, 0o644)  # readable by the unprivileged user a container runs as
    os.replace(f.name, path)


def _terms(array: npt.NDArray[np.uint8]) -> list[str]:
    text = _text(array)
    return text.split("\n") if text else []


def _text_array(text: str) -> npt.NDArray[np.uint8]:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(array: npt.NDArray[np.uint8]) -> str:
    return array.tobytes().decode("utf-8")
