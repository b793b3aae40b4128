"""How the kernel runs routing."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from services.kit.runtime import Runtime, ServiceSpec
from services.routing import erasure, handover, service
from services.routing.api import router
from services.routing.config import routing_settings
from services.routing.consumers import CONSUMERS
from services.routing.models import metadata

log = logging.getLogger(__name__)

SWEEP_SECONDS = 5.0


async def _sweep(rt: Runtime) -> None:
    """Now and then, set offline the agents whose clients went quiet, escalate conversations whose
    SLA is at risk, take back offers not answered in time and conversations left without a reply, and
    route what waits, down the whole queue (a safety net under the event-driven assignment, which
    judges the head of the queue, and what re-offers those)."""
    timeout = routing_settings(rt).agent_heartbeat_timeout_seconds
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        try:
            if timeout > 0:
                async with rt.unit_of_work() as uow:
                    await service.expire_presence(uow, quiet_for=timedelta(seconds=timeout))
            async with rt.unit_of_work() as uow:
                await service.escalate_at_risk(uow)
                await service.expire_offers(uow)
                await handover.take_back_unanswered(uow)
            async with rt.unit_of_work() as uow:
                tenants = await service.tenants_waiting(uow)
            for tenant_id in tenants:
                async with rt.unit_of_work() as uow:
                    await service.assign_waiting(uow, tenant_id=tenant_id, depth=None)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the next sweep tries again; nothing is lost
            log.warning("routing sweep failed, will retry: %r", exc)


async def _start_sweep(rt: Runtime) -> None:
    rt.state["sweep"] = asyncio.create_task(_sweep(rt))


async def _stop_sweep(rt: Runtime) -> None:
    task: asyncio.Task[None] | None = rt.state.pop("sweep", None)
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def spec() -> ServiceSpec:
    """Routing's routes, tables, consumers, its sweep and the pruning of collected exports."""
    return ServiceSpec(
        name="routing",
        router=router,
        metadata=metadata,
        consumers=CONSUMERS,
        on_start=(_start_sweep,),
        on_stop=(_stop_sweep,),
        retention=(erasure.prune_exports,),
    )
