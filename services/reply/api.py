"""Reply's HTTP routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response, status

from services.kit.deps import AgentDep, runtime
from services.kit.events import now
from services.kit.runtime import Runtime
from services.kit.schemas import Page
from services.reply import dispatch, service
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
        description="The reply is stored, then sent at once; the answer shows how that went: `sent`, "
        "`queued` (the channel refused it for now; it is tried again, see `next_attempt_at`) or `failed` "
        "(with a reason). With an `Idempotency-Key`, a repeated request returns the first reply (200) "
        "and nothing is sent twice.",
        responses={200: {"description": "the reply this Idempotency-Key accepted before"}},
    )
    async def post_reply(
        conversation_id: str,
        data: ReplyIn,
        principal: AgentDep,
        rt: RuntimeDep,
        response: Response,
        idempotency_key: Annotated[str | None, Header(min_length=1, max_length=200)] = None,
    ) -> ReplyOut:
        worker = dispatch.dispatcher(rt)
        async with rt.unit_of_work() as uow:
            reply, created = await service.accept_reply(
                uow,
                principal=principal,
                conversation_id=conversation_id,
                data=data,
                idempotency_key=idempotency_key,
                lease_until=worker.lease(now()),
            )
        if created:
            await worker.deliver(reply.id)
        else:
            response.status_code = status.HTTP_200_OK
        async with rt.unit_of_work() as uow:
            reply = await service.get_reply(
                uow, principal=principal, conversation_id=conversation_id, reply_id=reply.id
            )
        response.headers["Location"] = f"/v1/conversations/{conversation_id}/replies/{reply.id}"
        return reply_out(reply)

    @api.get("/conversations/{conversation_id}/replies/{reply_id}", summary="One reply, and where it stands")
    async def get_reply(conversation_id: str, reply_id: str, principal: AgentDep, rt: RuntimeDep) -> ReplyOut:
        async with rt.unit_of_work() as uow:
            return reply_out(
                await service.get_reply(
                    uow, principal=principal, conversation_id=conversation_id, reply_id=reply_id
                )
            )

    @api.get("/conversations/{conversation_id}/replies", summary="A conversation's replies")
    async def list_replies(conversation_id: str, principal: AgentDep, rt: RuntimeDep) -> Page[ReplyOut]:
        async with rt.unit_of_work() as uow:
            rows = await service.list_replies(uow, principal=principal, conversation_id=conversation_id)
        return Page(items=[reply_out(r) for r in rows], next_cursor=None)

    return api
