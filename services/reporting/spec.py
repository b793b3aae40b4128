"""How the kernel runs reporting."""

from __future__ import annotations

from services.kit.runtime import ServiceSpec
from services.reporting import metrics
from services.reporting.api import router
from services.reporting.consumers import CONSUMERS
from services.reporting.models import metadata


def spec() -> ServiceSpec:
    """Reporting's routes, tables and consumers."""
    return ServiceSpec(
        name="reporting",
        router=router,
        metadata=metadata,
        consumers=CONSUMERS,
        on_start=(metrics.start,),
        on_stop=(metrics.stop,),
    )
