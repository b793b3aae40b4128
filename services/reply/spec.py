"""How the kernel runs reply."""

from __future__ import annotations

from services.kit.runtime import Runtime, ServiceSpec
from services.reply.adapters import LoopbackAdapter
from services.reply.api import router
from services.reply.consumers import CONSUMERS
from services.reply.models import metadata


async def _adapters(rt: Runtime) -> None:
    rt.state["adapter"] = LoopbackAdapter()


def spec() -> ServiceSpec:
    """Reply's routes, tables and consumers."""
    return ServiceSpec(
        name="reply", router=router, metadata=metadata, consumers=CONSUMERS, on_start=(_adapters,)
    )
