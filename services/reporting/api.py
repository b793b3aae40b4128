"""Reporting's HTTP routes: the KPIs as JSON or CSV, surveys, and the public response time."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel

from services.kit.deps import AdminDep, SupervisorDep, SupervisorOrIntegrationDep, runtime
from services.kit.errors import Unprocessable
from services.kit.runtime import Runtime
from services.reporting import reports
from services.reporting.models import (
    AgentFigures,
    Community,
    FrequentQuestion,
    Lead,
    PublicResponseTime,
    PublicSharing,
    Satisfaction,
    SlaGroup,
    Summary,
    SurveyIn,
    Trending,
)
from services.reporting.reports import Filters

RuntimeDep = Annotated[Runtime, Depends(runtime("reporting"))]
Format = Annotated[Literal["json", "csv"], Query(description="json, or csv for a spreadsheet")]
CSV = "text/csv; charset=utf-8"
BusinessHours = Annotated[
    bool,
    Query(
        description="time first responses in the business hours of the calendar the SLA policy counted "
        "in when they were given (around the clock without one); conversations answered before "
        "business hours were recorded are left out, and first_response_measured says how many are in"
    ),
]
BUSINESS_HOURS = (
    "With `business_hours=true` the first-response mean, median and p90 count only the opening hours "
    "of the calendar the tenant's SLA policy counted in when each first response was given (all of "
    "the time for a policy without a calendar). Conversations answered before routing recorded "
    "business hours have no such time: they are left out of these figures, and "
    "`first_response_measured` says how many first responses the figures cover. Without it (the "
    "default) first-response times are elapsed time and `first_response_measured` is absent."
)


def filters(
    since: Annotated[datetime | None, Query(alias="from", description="RFC 3339, inclusive")] = None,
    until: Annotated[datetime | None, Query(alias="to", description="RFC 3339, exclusive")] = None,
    channel: Annotated[str | None, Query(max_length=32)] = None,
    channel_account: Annotated[str | None, Query(max_length=64)] = None,
    queue: Annotated[str | None, Query(max_length=64)] = None,
    category: Annotated[str | None, Query(max_length=32)] = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    agent: Annotated[str | None, Query(max_length=64)] = None,
) -> Filters:
    """The period and filters of a report."""
    for value in (since, until):
        if value is not None and value.tzinfo is None:
            raise Unprocessable("give times with a zone, e.g. 2026-11-23T00:00:00Z", code="invalid_range")
    if since and until and since >= until:
        raise Unprocessable("from must be before to", code="invalid_range")
    return Filters(since, until, channel, channel_account, queue, category, language, agent)


FiltersDep = Annotated[Filters, Depends(filters)]


def _flat(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [row for key, item in value.items() for row in _flat(item, f"{prefix}{key}.")]
    if isinstance(value, list):
        return [row for index, item in enumerate(value) for row in _flat(item, f"{prefix}{index}.")]
    return [(prefix.rstrip("."), value)]


def as_csv(items: BaseModel | Sequence[BaseModel], name: str) -> Response:
    """A report as CSV: a list one row per item (nested fields as dotted columns), one object as
    metric,value rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    if isinstance(items, BaseModel):
        writer.writerow(["metric", "value"])
        writer.writerows(_flat(items.model_dump(mode="json")))
    else:
        rows = [dict(_flat(item.model_dump(mode="json"))) for item in items]
        columns = list(dict.fromkeys(key for row in rows for key in row))
        writer.writerow(columns)
        writer.writerows([[row.get(column, "") for column in columns] for row in rows])
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    return Response(out.getvalue(), media_type=CSV, headers=headers)


def _answer(report: BaseModel | Sequence[BaseModel], fmt: str, name: str) -> Any:
    return as_csv(report, name) if fmt == "csv" else report


def router() -> APIRouter:
    """The routes reporting owns: /v1/reports, /v1/surveys and /v1/public."""
    api = APIRouter(prefix="/v1", tags=["reporting"])
    csv_response: dict[int | str, dict[str, Any]] = {200: {"content": {CSV: {}}}}

    @api.get(
        "/reports/summary",
        summary="Volume, mood, response rate, response and resolution times, SLA and backlog",
        description=BUSINESS_HOURS,
        response_model=Summary,
        responses=csv_response,
    )
    async def summary(
        principal: SupervisorDep,
        rt: RuntimeDep,
        f: FiltersDep,
        format: Format = "json",
        business_hours: BusinessHours = False,
    ) -> Any:
        async with rt.unit_of_work() as uow:
            found = await reports.summary(uow, principal.tenant_id, f, business_hours=business_hours)
        return _answer(found, format, "summary")

    @api.get(
        "/reports/sla",
        summary="SLA attainment per queue or channel",
        response_model=list[SlaGroup],
        responses=csv_response,
    )
    async def sla(
        principal: SupervisorDep,
        rt: RuntimeDep,
        f: FiltersDep,
        by: Literal["queue", "channel"] = "queue",
        format: Format = "json",
    ) -> Any:
        async with rt.unit_of_work() as uow:
            return _answer(await reports.sla(uow, principal.tenant_id, f, by=by), format, f"sla-by-{by}")

    @api.get(
        "/reports/agents",
        summary="Per agent: first responses, replies, negative wording, CSAT, review scores",
        description=BUSINESS_HOURS,
        response_model=list[AgentFigures],
        responses=csv_response,
    )
    async def agents(
        principal: SupervisorDep,
        rt: RuntimeDep,
        f: FiltersDep,
        format: Format = "json",
        business_hours: BusinessHours = False,
    ) -> Any:
        async with rt.unit_of_work() as uow:
            found = await reports.agents(uow, principal.tenant_id, f, business_hours=business_hours)
        return _answer(found, format, "agents")

    @api.get(
        "/reports/trending",
        summary="Terms bursting above their own baseline, and clusters of similar complaints",
        description="The window ends at `to` (default now); the baseline is the windows before it.",
        response_model=Trending,
    )
    async def trending(
        principal: SupervisorDep,
        rt: RuntimeDep,
        f: FiltersDep,
        window_hours: Annotated[int, Query(ge=1, le=24 * 31)] = 24,
        baseline_windows: Annotated[int, Query(ge=1, le=60)] = 7,
    ) -> Trending:
        async with rt.unit_of_work() as uow:
            return await reports.trending(
                uow,
                principal.tenant_id,
                f,
                window=timedelta(hours=window_hours),
                baseline_windows=baseline_windows,
            )

    @api.get(
        "/reports/leads",
        summary="Purchase signals to hand to sales, newest first",
        response_model=list[Lead],
        responses=csv_response,
    )
    async def leads(
        principal: SupervisorDep,
        rt: RuntimeDep,
        f: FiltersDep,
        limit: Annotated[int, Query(ge=1, le=5000)] = 500,
        format: Format = "json",
    ) -> Any:
        async with rt.unit_of_work() as uow:
            return _answer(await reports.leads(uow, principal.tenant_id, f, limit=limit), format, "leads")

    @api.get(
        "/reports/questions",
        summary="The questions customers ask most, for FAQs and product teams",
        response_model=list[FrequentQuestion],
        responses=csv_response,
    )
    async def questions(
        principal: SupervisorDep,
        rt: RuntimeDep,
        f: FiltersDep,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        format: Format = "json",
    ) -> Any:
        async with rt.unit_of_work() as uow:
            return _answer(
                await reports.questions(uow, principal.tenant_id, f, limit=limit), format, "questions"
            )

    @api.get(
        "/reports/community",
        summary="Questions other customers answered before an agent did, and who helps most",
        response_model=Community,
    )
    async def community(principal: SupervisorDep, rt: RuntimeDep, f: FiltersDep) -> Community:
        async with rt.unit_of_work() as uow:
            return await reports.community(uow, principal.tenant_id, f)

    @api.get(
        "/reports/satisfaction",
        summary="CSAT and NPS",
        response_model=Satisfaction,
        responses=csv_response,
    )
    async def satisfaction(
        principal: SupervisorDep, rt: RuntimeDep, f: FiltersDep, format: Format = "json"
    ) -> Any:
        async with rt.unit_of_work() as uow:
            return _answer(await reports.satisfaction(uow, principal.tenant_id, f), format, "satisfaction")

    @api.post(
        "/surveys",
        status_code=status.HTTP_201_CREATED,
        summary="Record a customer's CSAT (1-5) or NPS (0-10) answer",
        description="Once per `external_id`: a repeated request answers 200.",
        responses={200: {"description": "recorded before"}},
    )
    async def survey(
        data: SurveyIn, principal: SupervisorOrIntegrationDep, rt: RuntimeDep, response: Response
    ) -> dict[str, str]:
        async with rt.unit_of_work() as uow:
            answer, created = await reports.record_survey(uow, principal.tenant_id, data)
        if not created:
            response.status_code = status.HTTP_200_OK
        return {"id": answer.id}

    @api.put("/reports/public-sharing", summary="Opt in or out of the public response time")
    async def sharing(data: PublicSharing, principal: AdminDep, rt: RuntimeDep) -> PublicSharing:
        async with rt.unit_of_work() as uow:
            share = await reports.set_sharing(uow, principal.tenant_id, response_time=data.response_time)
        return PublicSharing(response_time=share.response_time)

    @api.get(
        "/public/{tenant}/response-time",
        summary="The tenant's current response time per channel, for its website (no key)",
        description="Median first-response time per channel over the last 24 hours. Only for tenants "
        "that opted in (PUT /v1/reports/public-sharing); nothing else about the tenant is shown. "
        "Cacheable for a minute.",
    )
    async def public_response_time(
        tenant: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")],
        rt: RuntimeDep,
        response: Response,
    ) -> PublicResponseTime:
        async with rt.unit_of_work() as uow:
            found = await reports.public_response_time(uow, tenant)
        response.headers["Cache-Control"] = "public, max-age=60"
        response.headers["Access-Control-Allow-Origin"] = "*"
        return found

    return api
