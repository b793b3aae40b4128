"""How the kernel runs reply."""

from __future__ import annotations

from services.kit.runtime import Runtime, ServiceSpec
from services.reply import dispatch
from services.reply.adapters import LoopbackAdapter
from services.reply.api import router
from services.reply.consumers import CONSUMERS
from services.reply.models import metadata


async def _start(rt: Runtime) -> None:
    rt.state["adapter"] = adapter = LoopbackAdapter()
    await dispatch.start(rt, adapter)


async def _stop(rt: Runtime) -> None:
    await dispatch.stop(rt)


def spec() -> ServiceSpec:
    """Reply's routes, tables, consumers, and its dispatcher."""
    return ServiceSpec(
        name="reply",
        router=router,
        metadata=metadata,
        consumers=CONSUMERS,
        on_start=(_start,),
        on_stop=(_stop,),
    )
