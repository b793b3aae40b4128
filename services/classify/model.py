"""The trained model for category and sentiment: its artifact, its version, and predicting with it.

The artifact is a NumPy `.npz` file (loaded without pickle): the vocabulary and IDF weights of each
block of features (`features.py`), and per task the weights of a linear classifier and the sigmoid
calibration of its scores. `training.py` makes it; this module only reads it, so serving needs
NumPy but not scikit-learn.

An artifact is named by its version, `linear-<hash12>`: a SHA-256 over the corpus, the training
code and parameters (`training.py`), the feature code and word lists (`features.py`, `lexicon.py`)
and the scikit-learn version. Same corpus and code, same version and same weights.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import logging
import os
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from services.classify import features
from services.classify.features import Doc

log = logging.getLogger(__name__)

VERSION_PREFIX = "linear-"
LATEST = "latest"  # names the newest artifact of a model directory, for hosts without the corpus
CATEGORIES = ("question", "complaint", "crisis", "untruth", "compliment", "lead", "spam", "other")
SENTIMENTS = ("negative", "neutral", "positive")
_SOURCES = ("features.py", "lexicon.py", "training.py")

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

    def probabilities(self, columns: npt.NDArray[np.intp], values: FloatArray) -> FloatArray:
        """Class probabilities of one feature vector given by its non-zero columns and values."""
        scores = values @ self.coef[columns].astype(np.float64) + self.intercept
        with np.errstate(over="ignore"):  # exp overflows to inf for hopeless classes: P = 0
            sigmoid: FloatArray = 1.0 / (1.0 + np.exp(self.calibration_a * scores + self.calibration_b))
        total = float(sigmoid.sum())
        if total == 0.0:
            return np.full(len(self.classes), 1.0 / len(self.classes))
        return sigmoid / total


@dataclass(frozen=True)
class Prediction:
    """Category and sentiment probabilities of one text, by class name."""

    category: dict[str, float]
    sentiment: dict[str, float]


@dataclass(frozen=True)
class TextModel:
    """The loaded model: turns a text into category and sentiment probabilities."""

    version: str
    blocks: tuple[Block, ...]
    category: Head
    sentiment: Head
    info: dict[str, Any]

    def predict(self, text: str) -> Prediction:
        """Category and sentiment probabilities of a text."""
        columns, values = self.vector(features.prepare(text))
        return Prediction(
            category=_named(self.category, self.category.probabilities(columns, values)),
            sentiment=_named(self.sentiment, self.sentiment.probabilities(columns, values)),
        )

    def vector(self, doc: Doc) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """The doc's TF-IDF vector (sublinear TF, L2 per block, times the block weight), sparse."""
        columns: list[npt.NDArray[np.intp]] = []
        values: list[FloatArray] = []
        offset = 0
        for block in self.blocks:
            vocabulary = block.vocabulary
            found: dict[int, int] = {}
            for term, n in Counter(features.TERMS[block.name](doc)).items():
                column = vocabulary.get(term)
                if column is not None:
                    found[column] = n
            if found:
                cols = np.fromiter(found.keys(), dtype=np.intp, count=len(found))
                weights = 1.0 + np.log(np.fromiter(found.values(), dtype=np.float64, count=len(found)))
                if block.idf is not None:
                    weights *= block.idf[cols]
                weights *= block.weight / np.sqrt(np.dot(weights, weights))
                columns.append(cols + offset)
                values.append(weights)
            offset += len(vocabulary)
        if not columns:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float64)
        return np.concatenate(columns), np.concatenate(values)

    def save(self, path: Path) -> None:
        """Write the artifact atomically (a reader never sees half a file)."""
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
        _write_atomically(path, buffer.getvalue())

    def _info(self) -> dict[str, Any]:
        blocks = [{"name": b.name, "weight": b.weight, "idf": b.idf is not None} for b in self.blocks]
        heads = {"category": list(self.category.classes), "sentiment": list(self.sentiment.classes)}
        return {**self.info, "version": self.version, "blocks": blocks, "classes": heads}

    @classmethod
    def load(cls, path: Path) -> TextModel:
        """Read an artifact written by `save`."""
        with np.load(path, allow_pickle=False) as data:
            info = json.loads(_text(data["info"]))
            blocks = tuple(
                Block(
                    name=spec["name"],
                    vocabulary={t: i for i, t in enumerate(_terms(data[f"vocabulary_{spec['name']}"]))},
                    idf=data[f"idf_{spec['name']}"] if spec["idf"] else None,
                    weight=float(spec["weight"]),
                )
                for spec in info.pop("blocks")
            )
            classes = info.pop("classes")
            heads = {
                task: Head(
                    classes=tuple(classes[task]),
                    coef=data[f"{task}_coef"],
                    intercept=data[f"{task}_intercept"],
                    calibration_a=data[f"{task}_calibration_a"],
                    calibration_b=data[f"{task}_calibration_b"],
                )
                for task in ("category", "sentiment")
            }
        return cls(info.pop("version"), blocks, heads["category"], heads["sentiment"], info)


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


def _named(head: Head, probabilities: FloatArray) -> dict[str, float]:
    return dict(zip(head.classes, probabilities.tolist(), strict=True))


def _text_array(text: str) -> npt.NDArray[np.uint8]:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(array: npt.NDArray[np.uint8]) -> str:
    return array.tobytes().decode("utf-8")
