"""Reply's HTTP routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from services.kit.deps import AgentDep, runtime
from services.kit.runtime import Runtime
from services.kit.schemas import Page
from services.reply import service
from services.reply.models import Reply, ReplyIn, ReplyOut

RuntimeDep = Annotated[Runtime, Depends(runtime("reply"))]


def reply_out(reply: Reply) -> ReplyOut:
    """The API's view of a reply."""
    return ReplyOut.model_validate(reply, from_attributes=True)


def router() -> APIRouter:
    """The routes reply owns: /v1/conversations/{id}/replies."""
    api = APIRouter(prefix="/v1", tags=["reply"])

    @api.post(
        "/conversations/{conversation_id}/replies",
        status_code=status.HTTP_201_CREATED,
        summary="Answer the customer on their channel",
    )
    async def post_reply(
        conversation_id: str, data: ReplyIn, principal: AgentDep, rt: RuntimeDep, response: Response
    ) -> ReplyOut:
        async with rt.unit_of_work() as uow:
            reply = await service.send_reply(
                uow, rt.state["adapter"], principal=principal, conversation_id=conversation_id, data=data
            )
        response.headers["Location"] = f"/v1/conversations/{conversation_id}/replies/{reply.id}"
        return reply_out(reply)

    @api.get("/conversations/{conversation_id}/replies", summary="A conversation's replies")
    async def list_replies(conversation_id: str, principal: AgentDep, rt: RuntimeDep) -> Page[ReplyOut]:
        async with rt.unit_of_work() as uow:
            rows = await service.list_replies(uow, principal=principal, conversation_id=conversation_id)
        return Page(items=[reply_out(r) for r in rows], next_cursor=None)

    return api
