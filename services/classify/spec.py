"""How the kernel runs classify."""

from __future__ import annotations

import asyncio

from services.classify.api import router
from services.classify.classifier import Classifier
from services.classify.config import ClassifySettings
from services.classify.consumers import CONSUMERS
from services.classify.model import TextModel, load_or_build
from services.classify.models import metadata
from services.classify.tenants import TenantConfigs
from services.classify.workers import Classifiers
from services.kit.runtime import Runtime, ServiceSpec


def _classifier(settings: ClassifySettings) -> Classifier:
    model: TextModel = load_or_build(settings.model_dir, settings.model_corpus)
    return Classifier(model=model)


def _settings(rt: Runtime) -> ClassifySettings:
    return rt.settings if isinstance(rt.settings, ClassifySettings) else ClassifySettings()


async def _load_classifier(rt: Runtime) -> None:
    settings = _settings(rt)
    classifier = await asyncio.to_thread(_classifier, settings)
    await asyncio.to_thread(lambda: classifier.default_config)  # compiles the default taxonomy
    classifiers = Classifiers(
        classifier,
        processes=settings.classifier_processes,
        model_dir=settings.model_dir,
        corpus=settings.model_corpus,
    )
    await classifiers.start()
    rt.state["classifier"] = classifier
    rt.state["classifiers"] = classifiers
    rt.state["tenants"] = TenantConfigs(classifier)


async def _stop_classifiers(rt: Runtime) -> None:
    classifiers = rt.state.get("classifiers")
    if isinstance(classifiers, Classifiers):
        await classifiers.stop()


def spec() -> ServiceSpec:
    """Classify's routes, tables and consumers."""
    return ServiceSpec(
        name="classify",
        router=router,
        metadata=metadata,
        consumers=CONSUMERS,
        on_start=(_load_classifier,),
        on_stop=(_stop_classifiers,),
    )
