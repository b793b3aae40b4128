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
from services.kit.runtime import Runtime, ServiceSpec


def _classifier(settings: ClassifySettings) -> Classifier:
    model: TextModel = load_or_build(settings.model_dir, settings.model_corpus)
    return Classifier(model=model)


async def _load_classifier(rt: Runtime) -> None:
    settings = rt.settings if isinstance(rt.settings, ClassifySettings) else ClassifySettings()
    classifier = await asyncio.to_thread(_classifier, settings)
    await asyncio.to_thread(lambda: classifier.default_config)  # compiles the default taxonomy
    rt.state["classifier"] = classifier
    rt.state["tenants"] = TenantConfigs(classifier)


def spec() -> ServiceSpec:
    """Classify's routes, tables and consumers."""
    return ServiceSpec(
        name="classify", router=router, metadata=metadata, consumers=CONSUMERS, on_start=(_load_classifier,)
    )
