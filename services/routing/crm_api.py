"""Routing's HTTP routes for the tenant's CRM connector (see crm.py for the lookups it makes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from services.kit.deps import AdminDep, runtime
from services.kit.runtime import Runtime
from services.routing import crm
from services.routing.config import routing_settings
from services.routing.crm import CrmConnectorIn, CrmConnectorOut

RuntimeDep = Annotated[Runtime, Depends(runtime("routing"))]


def crm_router() -> APIRouter:
    """/v1/crm-connector."""
    api = APIRouter(tags=["routing"])

    @api.put(
        "/crm-connector",
        summary="Set the CRM routing looks customers up in when their conversation opens",
        description="The CRM answers `GET {base_url}/customers?channel=&external_id=` with a bearer "
        "token (see the reference contract); the token is encrypted at rest and never returned.",
    )
    async def put_connector(data: CrmConnectorIn, principal: AdminDep, rt: RuntimeDep) -> CrmConnectorOut:
        async with rt.unit_of_work() as uow:
            return await crm.put_connector(
                uow,
                tenant_id=principal.tenant_id,
                data=data,
                box=crm.box_of(rt),
                lookups=crm.lookups_of(rt),
                allow_private_networks=routing_settings(rt).routing_allow_private_networks,
            )

    @api.get("/crm-connector", summary="The CRM connector, without its token")
    async def get_connector(principal: AdminDep, rt: RuntimeDep) -> CrmConnectorOut:
        async with rt.unit_of_work() as uow:
            return await crm.get_connector(uow, tenant_id=principal.tenant_id)

    @api.delete(
        "/crm-connector", status_code=status.HTTP_204_NO_CONTENT, summary="Stop looking customers up in a CRM"
    )
    async def delete_connector(principal: AdminDep, rt: RuntimeDep) -> None:
        async with rt.unit_of_work() as uow:
            await crm.delete_connector(uow, tenant_id=principal.tenant_id, lookups=crm.lookups_of(rt))

    return api
