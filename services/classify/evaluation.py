"""How well the classify model does: per-class scores and confusion matrices, on the held-out split
or cross-validated on the train split; and how well the default taxonomy finds the corpus's topics.

Kept apart from `training.py`, whose source is part of the model's version: changing how a model is
scored does not make a new model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import MultiLabelBinarizer

from services.classify.classifier import Classifier, Item
from services.classify.model import TextModel
from services.classify.taxonomy import DEFAULT_TOPICS
from services.classify.training import FOLDS, TASKS, Example, train


@dataclass(frozen=True)
class TaskReport:
    """Per-class precision, recall, F1 and support, the confusion matrix and macro F1 of one task."""

    task: str
    classes: tuple[str, ...]
    precision: tuple[float, ...]
    recall: tuple[float, ...]
    f1: tuple[float, ...]
    support: tuple[int, ...]
    confusion: tuple[tuple[int, ...], ...]  # rows: true class, columns: predicted class
    macro_f1: float
    accuracy: float


def evaluate(model: TextModel, examples: Sequence[Example]) -> dict[str, TaskReport]:
    """How the model does on labeled examples, per task."""
    predictions = model.predict_many([example.text for example in examples])
    reports: dict[str, TaskReport] = {}
    for task, classes in TASKS.items():
        truth = [getattr(example, task) for example in examples]
        guessed = [max(probs, key=probs.__getitem__) for probs in (getattr(p, task) for p in predictions)]
        reports[task] = report(task, classes, truth, guessed)
    return reports


def report(task: str, classes: Sequence[str], truth: Sequence[str], guessed: Sequence[str]) -> TaskReport:
    """The TaskReport of predictions against the truth."""
    labels = list(classes)
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, guessed, labels=labels, zero_division=0
    )
    return TaskReport(
        task=task,
        classes=tuple(labels),
        precision=tuple(float(v) for v in precision),
        recall=tuple(float(v) for v in recall),
        f1=tuple(float(v) for v in f1),
        support=tuple(int(v) for v in support),
        confusion=tuple(
            tuple(int(v) for v in row) for row in confusion_matrix(truth, guessed, labels=labels)
        ),
        macro_f1=float(f1_score(truth, guessed, labels=labels, average="macro", zero_division=0)),
        accuracy=float(np.mean([t == g for t, g in zip(truth, guessed, strict=True)])),
    )


def cross_validate(examples: Sequence[Example]) -> dict[str, TaskReport]:
    """Grouped k-fold cross-validation on the examples (the train split): for choosing, not reporting."""
    groups = [example.base_id for example in examples]
    truth: dict[str, list[str]] = {task: [] for task in TASKS}
    guessed: dict[str, list[str]] = {task: [] for task in TASKS}
    for fit_rows, held_rows in GroupKFold(n_splits=FOLDS).split(np.zeros(len(examples)), groups=groups):
        model = train([examples[i] for i in fit_rows], version="cross-validation")
        predictions = model.predict_many([examples[i].text for i in held_rows])
        for i, prediction in zip(held_rows, predictions, strict=True):
            for task in TASKS:
                probs: dict[str, float] = getattr(prediction, task)
                truth[task].append(getattr(examples[i], task))
                guessed[task].append(max(probs, key=probs.__getitem__))
    return {task: report(task, classes, truth[task], guessed[task]) for task, classes in TASKS.items()}


def render(report: TaskReport) -> str:
    """The report as a plain-text table and confusion matrix."""
    width = max(len(c) for c in (*report.classes, "macro avg"))
    lines = [f"{report.task}", f"{'':{width}}  precision  recall     f1  support"]
    for i, name in enumerate(report.classes):
        lines.append(
            f"{name:{width}}  {report.precision[i]:9.3f}  {report.recall[i]:6.3f}  {report.f1[i]:5.3f}"
            f"  {report.support[i]:7d}"
        )
    macro = (float(np.mean(report.precision)), float(np.mean(report.recall)), report.macro_f1)
    lines.append(
        f"{'macro avg':{width}}  {macro[0]:9.3f}  {macro[1]:6.3f}  {macro[2]:5.3f}  {sum(report.support):7d}"
    )
    lines.append(f"{'accuracy':{width}}  {'':9}  {'':6}  {report.accuracy:5.3f}")
    lines.append("")
    lines.append(f"confusion (rows: true {report.task}, columns: predicted)")
    cell = max(len(name) for name in report.classes)
    lines.append(f"{'':{width}}  " + " ".join(f"{name:>{cell}}" for name in report.classes))
    for name, row in zip(report.classes, report.confusion, strict=True):
        lines.append(f"{name:{width}}  " + " ".join(f"{n:{cell}d}" for n in row))
    return "\n".join(lines)


@dataclass(frozen=True)
class TopicReport:
    """Per-topic precision, recall, F1 and support of topic detection, and micro and macro F1."""

    topics: tuple[str, ...]
    precision: tuple[float, ...]
    recall: tuple[float, ...]
    f1: tuple[float, ...]
    support: tuple[int, ...]
    micro_f1: float
    macro_f1: float


def evaluate_topics(classifier: Classifier, examples: Sequence[Example]) -> TopicReport:
    """How well the default taxonomy finds the corpus's topics (a text may have several or none)."""
    keys = [spec.key for spec in DEFAULT_TOPICS]
    binarizer = MultiLabelBinarizer(classes=keys)
    truth = binarizer.fit_transform([set(e.topics) & set(keys) for e in examples])
    found = binarizer.transform(
        [set(c.topics) for c in classifier.classify_many([Item(e.text) for e in examples])]
    )
    precision, recall, f1, support = precision_recall_fscore_support(truth, found, zero_division=0)
    return TopicReport(
        topics=tuple(keys),
        precision=tuple(float(v) for v in precision),
        recall=tuple(float(v) for v in recall),
        f1=tuple(float(v) for v in f1),
        support=tuple(int(v) for v in support),
        micro_f1=float(f1_score(truth, found, average="micro", zero_division=0)),
        macro_f1=float(np.mean(f1)),
    )


def render_topics(report: TopicReport) -> str:
    """The topic report as a plain-text table."""
    width = max(len(k) for k in (*report.topics, "macro avg"))
    lines = ["topics (default taxonomy)", f"{'':{width}}  precision  recall     f1  support"]
    for key, p, r, f, n in zip(
        report.topics, report.precision, report.recall, report.f1, report.support, strict=True
    ):
        lines.append(f"{key:{width}}  {p:9.3f}  {r:6.3f}  {f:5.3f}  {n:7d}")
    lines.append(f"{'macro avg':{width}}  {'':9}  {'':6}  {report.macro_f1:5.3f}")
    lines.append(f"{'micro avg':{width}}  {'':9}  {'':6}  {report.micro_f1:5.3f}")
    return "\n".join(lines)
