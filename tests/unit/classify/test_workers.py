"""Classifier worker processes: the same decisions as in-process, tenants' configurations sent once,
and a worker that dies replaced without losing the batch."""

from __future__ import annotations

import os
import pathlib
import signal
from collections.abc import AsyncIterator

import pytest

from services.classify.classifier import Classifier, Item, TenantConfig
from services.classify.config import CORPUS
from services.classify.patterns import SafePattern
from services.classify.private_data import TenantPattern
from services.classify.rules import Rule, RuleThen, RuleWhen
from services.classify.workers import Classifiers

ITEMS = [
    Item("Seit drei Tagen kein Internet, ich kündige jetzt! Vertrag V-123456", public=True, channel="x"),
    Item("Thanks a lot, the new router works great 👍"),
    Item("Was kostet der Tarif mit 100 Mbit?"),
    Item(""),
]


@pytest.fixture
async def workers(classifier: Classifier, classify_model_dir: pathlib.Path) -> AsyncIterator[Classifiers]:
    started = Classifiers(classifier, processes=1, model_dir=classify_model_dir, corpus=CORPUS)
    await started.start()
    try:
        yield started
    finally:
        await started.stop()


def tenant_config(classifier: Classifier, revision: int, category: str) -> TenantConfig:
    when = RuleWhen(keywords=["internet", "router", "tarif"])
    rule = Rule.of("all three", when, RuleThen(category=category))
    pattern = TenantPattern("contract_number", SafePattern(r"V-\d{6}"))
    return TenantConfig(classifier.default_config.taxonomy, (rule,), (pattern,), None, revision)


async def test_a_worker_decides_as_the_service_itself_would(
    workers: Classifiers, classifier: Classifier
) -> None:
    assert await workers.classify(None, classifier.default_config, ITEMS) == classifier.classify_many(ITEMS)


async def test_a_tenants_configuration_reaches_the_worker_and_a_new_revision_replaces_it(
    workers: Classifiers, classifier: Classifier
) -> None:
    first = tenant_config(classifier, 1, "lead")
    decided = await workers.classify(("acme", 1), first, ITEMS)
    assert decided == classifier.classify_many(ITEMS, first)
    assert [d.category for d in decided[:3]] == ["lead"] * 3  # the tenant's rule, not the model
    assert [f.kind for f in decided[0].private_data].count("contract_number") == 1

    second = tenant_config(classifier, 2, "spam")
    assert [d.category for d in (await workers.classify(("acme", 2), second, ITEMS))[:3]] == ["spam"] * 3


async def test_a_dead_worker_is_replaced_and_its_batch_still_classified(
    workers: Classifiers, classifier: Classifier
) -> None:
    pool = workers._pool
    assert pool is not None
    for process in list(pool._processes.values()):
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)  # killed, as the kernel's OOM killer would

    assert await workers.classify(None, classifier.default_config, ITEMS) == classifier.classify_many(ITEMS)
    assert workers._pool is not None and workers._pool is not pool  # new workers for the next batches
    assert await workers.classify(None, classifier.default_config, ITEMS) == classifier.classify_many(ITEMS)


async def test_without_processes_the_service_classifies_in_a_thread(classifier: Classifier) -> None:
    inline = Classifiers(classifier, processes=0, model_dir=pathlib.Path("unused"), corpus=CORPUS)
    await inline.start()
    assert inline._pool is None
    assert await inline.classify(None, classifier.default_config, ITEMS) == classifier.classify_many(ITEMS)


async def test_a_batch_the_workers_cannot_take_is_classified_in_process(
    workers: Classifiers, classifier: Classifier
) -> None:
    config = tenant_config(classifier, 3, "lead")
    object.__setattr__(config, "unpicklable", lambda: None)  # this configuration cannot travel
    decided = await workers.classify(("acme", 3), config, ITEMS)
    assert decided == classifier.classify_many(ITEMS, config)
    assert workers._pool is not None  # the workers stay for the next batches
