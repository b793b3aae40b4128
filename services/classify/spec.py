"""How the kernel runs classify."""

from __future__ import annotations

import asyncio

from services.classify.api import router
from services.classify.classifier import Classifier
from services.classify.consumers import CONSUMERS
from services.classify.models import metadata
from services.kit.runtime import Runtime, ServiceSpec


async def _load_classifier(rt: Runtime) -> None:
    rt.state["classifier"] = await asyncio.to_thread(Classifier)


def spec() -> ServiceSpec:
    """Classify's routes, tables and consumers."""
    return ServiceSpec(
        name="classify", router=router, metadata=metadata, consumers=CONSUMERS, on_start=(_load_classifier,)
    )
