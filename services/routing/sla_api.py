"""Routing's HTTP routes for SLAs: business calendars and the SLA policy."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from services.kit.deps import CursorQuery, LimitQuery, SupervisorDep, runtime
from services.kit.runtime import Runtime
from services.kit.schemas import Page
from services.routing import sla
from services.routing.sla import CalendarIn, CalendarOut, SlaPolicyIn, SlaPolicyOut, calendar_out

RuntimeDep = Annotated[Runtime, Depends(runtime("routing"))]


def sla_router() -> APIRouter:
    """/v1/calendars, /v1/sla-policy."""
    api = APIRouter(tags=["routing"])

    @api.post("/calendars", status_code=status.HTTP_201_CREATED, summary="Add a business calendar")
    async def create_calendar(
        data: CalendarIn, principal: SupervisorDep, rt: RuntimeDep, response: Response
    ) -> CalendarOut:
        async with rt.unit_of_work() as uow:
            row = await sla.create_calendar(uow, tenant_id=principal.tenant_id, data=data)
        response.headers["Location"] = f"/v1/calendars/{row.id}"
        return calendar_out(row)

    @api.get("/calendars", summary="List business calendars")
    async def list_calendars(
        principal: SupervisorDep, rt: RuntimeDep, limit: LimitQuery = 50, cursor: CursorQuery = None
    ) -> Page[CalendarOut]:
        async with rt.unit_of_work() as uow:
            rows, next_cursor = await sla.list_calendars(
                uow, tenant_id=principal.tenant_id, limit=limit, cursor=cursor
            )
        return Page(items=[calendar_out(row) for row in rows], next_cursor=next_cursor)

    @api.get("/calendars/{calendar_id}", summary="One business calendar")
    async def get_calendar(calendar_id: str, principal: SupervisorDep, rt: RuntimeDep) -> CalendarOut:
        async with rt.unit_of_work() as uow:
            row = await sla.get_calendar(uow, tenant_id=principal.tenant_id, calendar_id=calendar_id)
        return calendar_out(row)

    @api.put("/calendars/{calendar_id}", summary="Replace a business calendar")
    async def replace_calendar(
        calendar_id: str, data: CalendarIn, principal: SupervisorDep, rt: RuntimeDep
    ) -> CalendarOut:
        async with rt.unit_of_work() as uow:
            row = await sla.replace_calendar(
                uow, tenant_id=principal.tenant_id, calendar_id=calendar_id, data=data
            )
        return calendar_out(row)

    @api.delete(
        "/calendars/{calendar_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary="Remove a business calendar (409 while the SLA policy counts in it)",
    )
    async def delete_calendar(calendar_id: str, principal: SupervisorDep, rt: RuntimeDep) -> None:
        async with rt.unit_of_work() as uow:
            await sla.delete_calendar(uow, tenant_id=principal.tenant_id, calendar_id=calendar_id)

    @api.get("/sla-policy", summary="The tenant's SLA policy (the default when it set none)")
    async def get_sla_policy(principal: SupervisorDep, rt: RuntimeDep) -> SlaPolicyOut:
        async with rt.unit_of_work() as uow:
            return await sla.get_policy(uow, tenant_id=principal.tenant_id)

    @api.put(
        "/sla-policy",
        summary="Replace the tenant's SLA policy",
        description="The first target that applies to a conversation sets when its first response is due; "
        "with `calendar_id`, only that calendar's business hours count. Applies to conversations opened "
        "from now on.",
    )
    async def set_sla_policy(data: SlaPolicyIn, principal: SupervisorDep, rt: RuntimeDep) -> SlaPolicyOut:
        async with rt.unit_of_work() as uow:
            return await sla.set_policy(uow, tenant_id=principal.tenant_id, data=data)

    return api
