"""Classify's settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from services.kit.config import KitSettings

# The labeled corpus in a source checkout; an installed package (the image) has none and loads the
# model it was built with.
CORPUS = Path(__file__).resolve().parents[2] / "data" / "classify" / "corpus.jsonl"


class ClassifySettings(KitSettings):
    """Settings of the classify service (WEBCARE_*)."""

    # Where trained models are kept (built there from the corpus when missing).
    model_dir: Path = Path(".webcare/models")
    # The labeled corpus the model is trained on.
    model_corpus: Path = CORPUS
    # Worker processes that classify the consumed messages (each holds a copy of the models, some
    # hundreds of MB); 0 classifies in a thread of the service's process, which then waits for it.
    classifier_processes: int = Field(default=1, ge=0, le=64)
