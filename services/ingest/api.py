"""Ingest's HTTP routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from services.ingest import service
from services.ingest.models import MessageAccepted, MessageIn
from services.kit.deps import IntegrationDep, runtime
from services.kit.runtime import Runtime

RuntimeDep = Annotated[Runtime, Depends(runtime("ingest"))]


def router() -> APIRouter:
    """The routes ingest owns: /v1/messages."""
    api = APIRouter(prefix="/v1", tags=["ingest"])

    @api.post(
        "/messages",
        status_code=status.HTTP_202_ACCEPTED,
        response_model=MessageAccepted,
        summary="Take in a customer message from any channel",
        description="Answers 202 once the message is on the event bus; a repeat of the same channel "
        "message id answers with the first one's id.",
    )
    async def post_message(data: MessageIn, principal: IntegrationDep, rt: RuntimeDep) -> MessageAccepted:
        return await service.accept_message(rt, tenant_id=principal.tenant_id, data=data)

    return api
