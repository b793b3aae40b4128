"""The default taxonomy finds the corpus's topics on the held-out split at least as well as measured
when it was made (`webcare model eval` prints the per-topic table)."""

from __future__ import annotations

from services.classify import evaluation, training
from services.classify.classifier import Classifier
from services.classify.config import CORPUS


def test_the_default_taxonomy_finds_held_out_topics(classifier: Classifier) -> None:
    report = evaluation.evaluate_topics(classifier, training.read_corpus(CORPUS, split="test"))
    assert report.micro_f1 >= 0.65, evaluation.render_topics(report)
    assert report.macro_f1 >= 0.68, evaluation.render_topics(report)
    assert min(report.f1) > 0.3, evaluation.render_topics(report)
    assert "cancellation" in evaluation.render_topics(report)
