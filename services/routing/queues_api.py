"""Routing's HTTP routes for queues (with the supervisor's view and its SLA countdown) and VIPs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import Field

from services.kit.deps import CursorQuery, LimitQuery, SupervisorDep, runtime
from services.kit.runtime import Runtime
from services.kit.schemas import Page
from services.routing import queues, service, sla
from services.routing.models import ConversationOut
from services.routing.queues import QueueIn, QueueOut, VipIn, VipOut, vip_out

RuntimeDep = Annotated[Runtime, Depends(runtime("routing"))]
QueueName = Annotated[str, Path(max_length=64, description="the queue's name; `default` always exists")]


class QueueEntryOut(ConversationOut):
    """A waiting conversation in queue order, with the time its SLA has left."""

    sla_remaining_seconds: float | None = Field(
        description="until the first response is due, on the SLA's clock (business hours when the policy "
        "counts them); negative once breached; null without a target"
    )


def queues_router() -> APIRouter:
    """/v1/queues, /v1/vip-customers."""
    api = APIRouter(tags=["routing"])

    @api.get("/queues", summary="Every queue, with how many conversations wait in each")
    async def list_queues(principal: SupervisorDep, rt: RuntimeDep) -> list[QueueOut]:
        async with rt.unit_of_work() as uow:
            return await queues.list_queues(uow, tenant_id=principal.tenant_id)

    @api.get("/queues/{name}", summary="One queue")
    async def get_queue(name: QueueName, principal: SupervisorDep, rt: RuntimeDep) -> QueueOut:
        async with rt.unit_of_work() as uow:
            return await queues.get_queue(uow, tenant_id=principal.tenant_id, name=name)

    @api.put(
        "/queues/{name}",
        summary="Create or replace a queue",
        description="Who serves it (members; null: every agent), how an agent is picked among those "
        "eligible with the best skill fit, and a fairness cap. The routing policy's queue rules send "
        "conversations to it; transfers may too.",
    )
    async def put_queue(name: QueueName, data: QueueIn, principal: SupervisorDep, rt: RuntimeDep) -> QueueOut:
        async with rt.unit_of_work() as uow:
            return await service.configure_queue(uow, tenant_id=principal.tenant_id, name=name, data=data)

    @api.delete(
        "/queues/{name}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary="Remove a queue (409 for `default`, while the routing policy names it, or while not empty)",
    )
    async def delete_queue(name: QueueName, principal: SupervisorDep, rt: RuntimeDep) -> None:
        async with rt.unit_of_work() as uow:
            await queues.delete_queue(uow, tenant_id=principal.tenant_id, name=name)

    @api.get(
        "/queues/{name}/conversations",
        summary="A queue's waiting conversations in queue order, with their SLA countdown",
        description="Escalated first, then priority (urgency, raised for VIPs), then the earliest SLA "
        "breach, then the longest waiting.",
    )
    async def queue_conversations(
        name: QueueName,
        principal: SupervisorDep,
        rt: RuntimeDep,
        limit: Annotated[int, Query(ge=1, le=500, description="How many items at most")] = 100,
    ) -> list[QueueEntryOut]:
        async with rt.unit_of_work() as uow:
            await queues.get_queue(uow, tenant_id=principal.tenant_id, name=name)  # 404 if unknown
            entries = await sla.queue(uow, tenant_id=principal.tenant_id, name=name, limit=limit)
        return [
            QueueEntryOut.model_validate(
                {**row.model_dump(), "public": row.is_public, "sla_remaining_seconds": remaining}
            )
            for row, remaining in entries
        ]

    @api.post(
        "/vip-customers",
        summary="Mark a customer VIP (idempotent: again replaces the note)",
        description="By the channel's id of the person; their open conversations move up at once. A CRM "
        "keeps its VIP flag in step through this call.",
        responses={200: {"description": "already a VIP; the note is replaced"}},
        status_code=status.HTTP_201_CREATED,
    )
    async def put_vip(data: VipIn, principal: SupervisorDep, rt: RuntimeDep, response: Response) -> VipOut:
        async with rt.unit_of_work() as uow:
            row, created = await service.mark_vip(uow, tenant_id=principal.tenant_id, data=data)
        response.headers["Location"] = f"/v1/vip-customers/{row.id}"
        if not created:
            response.status_code = status.HTTP_200_OK
        return vip_out(row)

    @api.get("/vip-customers", summary="The tenant's VIP customers")
    async def list_vips(
        principal: SupervisorDep, rt: RuntimeDep, limit: LimitQuery = 50, cursor: CursorQuery = None
    ) -> Page[VipOut]:
        async with rt.unit_of_work() as uow:
            rows, next_cursor = await queues.list_vips(
                uow, tenant_id=principal.tenant_id, limit=limit, cursor=cursor
            )
        return Page(items=[vip_out(row) for row in rows], next_cursor=next_cursor)

    @api.delete(
        "/vip-customers/{vip_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Unmark a VIP customer"
    )
    async def delete_vip(vip_id: str, principal: SupervisorDep, rt: RuntimeDep) -> None:
        async with rt.unit_of_work() as uow:
            await service.unmark_vip(uow, tenant_id=principal.tenant_id, vip_id=vip_id)

    return api
