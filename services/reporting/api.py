"""Reporting's HTTP routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.kit.deps import SupervisorDep, runtime
from services.kit.errors import Unprocessable
from services.kit.runtime import Runtime
from services.reporting import service
from services.reporting.models import Summary

RuntimeDep = Annotated[Runtime, Depends(runtime("reporting"))]


def router() -> APIRouter:
    """The routes reporting owns: /v1/reports."""
    api = APIRouter(prefix="/v1", tags=["reporting"])

    @api.get("/reports/summary", summary="Volume, response rate and first-response time")
    async def summary(
        principal: SupervisorDep,
        rt: RuntimeDep,
        since: Annotated[datetime | None, Query(alias="from", description="RFC 3339, inclusive")] = None,
        until: Annotated[datetime | None, Query(alias="to", description="RFC 3339, exclusive")] = None,
    ) -> Summary:
        for value in (since, until):
            if value is not None and value.tzinfo is None:
                raise Unprocessable("give times with a zone, e.g. 2026-11-23T00:00:00Z")
        async with rt.unit_of_work() as uow:
            return await service.summary(uow, tenant_id=principal.tenant_id, since=since, until=until)

    return api
