"""Classification off the event loop's process, so that consuming, storing and publishing go on while
a batch is being classified.

The classifier is CPU-bound Python and holds the GIL throughout, language detection included (lingua
does not release it): in a thread it stops the event loop for as long as it works. In worker
processes it runs on another core while the service's process handles the other partitions'
batches. `WEBCARE_CLASSIFIER_PROCESSES` says how many (0: a thread of the service's own process, as
embedded tests use).

A worker keeps its own classifier, built from the same model files as the service's, and the
tenants' configurations it was sent, by tenant and revision: a batch names its configuration, and
only a worker that does not know it yet gets it (the default configuration never travels).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from services.classify.classifier import Classification, Classifier, Item, TenantConfig, fallback
from services.classify.model import load_or_build

log = logging.getLogger(__name__)

CONFIGS_KEPT = 64  # tenant configurations a worker keeps (a tenant's own model makes one large)

ConfigKey = tuple[str, int]  # (tenant, revision); None stands for the default configuration


def classify_items(
    classifier: Classifier, config: TenantConfig, items: Sequence[Item]
) -> list[Classification]:
    """Classify a batch of one tenant's messages; should the batch fail, each message on its own,
    and one that still fails leaves flagged for a human (never lost)."""
    try:
        return classifier.classify_many(items, config)
    except Exception:
        log.exception("a batch of %d messages could not be classified together", len(items))
    results = []
    for item in items:
        try:
            results.append(classifier.classify_many([item], config)[0])
        except Exception as exc:  # an unclassifiable message still leaves, flagged for a human
            log.exception("a message could not be classified")
            results.append(fallback(type(exc).__name__))
    return results


class UnknownConfig(Exception):
    """The worker has not been sent this configuration yet."""


# In a worker process: its classifier and the configurations it was sent.
_classifier: Classifier | None = None
_configs: OrderedDict[ConfigKey, TenantConfig] = OrderedDict()


def _start_worker(model_dir: str, corpus: str) -> None:
    global _classifier
    _classifier = Classifier(model=load_or_build(Path(model_dir), Path(corpus)))
    _classifier.default_config  # noqa: B018 - compiled now, not on the first batch


def _ready() -> bool:
    return _classifier is not None


def _classify_in_worker(
    key: ConfigKey | None, config: TenantConfig | None, items: Sequence[Item]
) -> list[Classification]:
    assert _classifier is not None, "the worker's initializer builds the classifier"
    if key is None:
        chosen = _classifier.default_config
    else:
        if config is not None:
            _configs[key] = config
            while len(_configs) > CONFIGS_KEPT:
                _configs.popitem(last=False)
        found = _configs.get(key)
        if found is None:
            raise UnknownConfig(key)
        _configs.move_to_end(key)
        chosen = found
    return classify_items(_classifier, chosen, items)


class Classifiers:
    """Classifies batches in `processes` worker processes, or in a thread when there are none."""

    def __init__(self, classifier: Classifier, *, processes: int, model_dir: Path, corpus: Path) -> None:
        self.classifier = classifier  # the service's own: the thread path and the configurations
        self.processes = processes
        self._args = (str(model_dir), str(corpus))
        self._pool: ProcessPoolExecutor | None = None

    async def start(self) -> None:
        """Start the workers and wait until each has its classifier (a few seconds)."""
        if self.processes <= 0:
            return
        self._pool = ProcessPoolExecutor(
            self.processes,
            # Not forked: the service's process runs threads (Kafka, the database) a fork would copy.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=self._args,
        )
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._pool, _ready) for _ in range(self.processes)))

    async def stop(self) -> None:
        """Stop the workers."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def classify(
        self, key: ConfigKey | None, config: TenantConfig, items: Sequence[Item]
    ) -> list[Classification]:
        """Classify one tenant's batch under `config`, which `key` names (None: the default)."""
        pool = self._pool
        if pool is None:
            return await asyncio.to_thread(classify_items, self.classifier, config, items)
        loop = asyncio.get_running_loop()
        try:
            try:
                return await loop.run_in_executor(pool, _classify_in_worker, key, None, items)
            except UnknownConfig:
                return await loop.run_in_executor(pool, _classify_in_worker, key, config, items)
        except BrokenProcessPool:
            # A worker died (killed, out of memory). Start new ones for the next batches; this one
            # is classified here, so a batch that kills workers cannot do so again and again.
            log.error("a classifier process died; starting new ones, this batch is classified in-process")
            await self._restart(pool)
        except Exception:  # e.g. a configuration that cannot travel: the batch is still classified
            log.exception("the classifier processes failed a batch; it is classified in-process")
        return await asyncio.to_thread(classify_items, self.classifier, config, items)

    async def _restart(self, broken: ProcessPoolExecutor) -> None:
        if self._pool is not broken:  # another batch restarted them already
            return
        broken.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        try:
            await self.start()
        except Exception:
            log.exception("classifier processes could not be started; classifying in-process")
            self._pool = None
