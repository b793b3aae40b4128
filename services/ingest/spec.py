"""How the kernel runs ingest."""

from __future__ import annotations

from services.ingest.api import router
from services.ingest.consumers import CONSUMERS
from services.ingest.models import metadata
from services.kit.runtime import ServiceSpec


def spec() -> ServiceSpec:
    """Ingest's routes, tables and consumers."""
    return ServiceSpec(name="ingest", router=router, metadata=metadata, consumers=CONSUMERS)
