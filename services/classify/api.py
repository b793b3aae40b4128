"""Classify's HTTP routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from services.classify import service
from services.classify.models import ClassifyIn, ClassifyOut
from services.kit.deps import SupervisorOrIntegrationDep, runtime
from services.kit.runtime import Runtime

RuntimeDep = Annotated[Runtime, Depends(runtime("classify"))]


def router() -> APIRouter:
    """The routes classify owns: /v1/classify."""
    api = APIRouter(prefix="/v1", tags=["classify"])

    @api.post(
        "/classify",
        summary="Classify a text without publishing anything",
        description="Language, sentiment, category, urgency, skills and private data, as a message "
        "arriving on a channel would get them. For testing rules and for integrators.",
    )
    async def classify(
        data: ClassifyIn, principal: SupervisorOrIntegrationDep, rt: RuntimeDep
    ) -> ClassifyOut:
        return service.classify_text(rt.state["classifier"], data)

    return api
