"""How the kernel runs routing."""

from __future__ import annotations

from services.kit.runtime import ServiceSpec
from services.routing.api import router
from services.routing.consumers import CONSUMERS
from services.routing.models import metadata


def spec() -> ServiceSpec:
    """Routing's routes, tables and consumers."""
    return ServiceSpec(name="routing", router=router, metadata=metadata, consumers=CONSUMERS)
