"""Ingest's HTTP routes: the generic REST channel, channel accounts, and each channel's webhooks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from services.ingest import accounts, listening, service
from services.ingest.channels import chat, email, feeds, meta, reviews, whatsapp, x
from services.ingest.models import (
    Channel,
    ChannelAccountIn,
    ChannelAccountOut,
    ChannelAccountPatch,
    MessageAccepted,
    MessageIn,
)
from services.kit.deps import AdminDep, IntegrationDep, runtime
from services.kit.runtime import Runtime
from services.kit.schemas import Page

RuntimeDep = Annotated[Runtime, Depends(runtime("ingest"))]
AccountId = Annotated[str, Path(max_length=64, description="The channel account's id")]

CHANNEL_ROUTERS = (
    meta.router,
    whatsapp.router,
    x.router,
    email.router,
    reviews.router,
    chat.router,
    feeds.router,
)


def router() -> APIRouter:
    """The routes ingest owns: /v1/messages, /v1/channel-accounts, /v1/webhooks/..., /v1/chat."""
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

    # Routes are matched in order, each candidate costing every request that passes it: the message
    # intake (the REST channel and the webhooks) comes before the administration routes.
    for channel_router in CHANNEL_ROUTERS:
        api.include_router(channel_router())

    @api.post(
        "/channel-accounts",
        status_code=status.HTTP_201_CREATED,
        summary="Register a channel account",
        description="Deliveries for the account's channel id map to this tenant. Secrets are encrypted "
        "at rest and never returned; 409 when the channel id is registered already.",
    )
    async def create_account(
        data: ChannelAccountIn, principal: AdminDep, rt: RuntimeDep
    ) -> ChannelAccountOut:
        return await accounts.create(rt, principal.tenant_id, data)

    @api.get("/channel-accounts", summary="The tenant's channel accounts")
    async def list_accounts(
        principal: AdminDep,
        rt: RuntimeDep,
        channel: Annotated[Channel | None, Query(description="Only this channel")] = None,
    ) -> Page[ChannelAccountOut]:
        items = await accounts.list_accounts(rt, principal.tenant_id, channel=channel)
        return Page(items=items, next_cursor=None)

    @api.get("/channel-accounts/{account_id}", summary="One channel account")
    async def get_account(account_id: AccountId, principal: AdminDep, rt: RuntimeDep) -> ChannelAccountOut:
        return await accounts.get(rt, principal.tenant_id, account_id)

    @api.patch(
        "/channel-accounts/{account_id}",
        summary="Change a channel account",
        description="Secrets given replace the stored ones of the same name; an empty value removes one.",
    )
    async def patch_account(
        account_id: AccountId, patch: ChannelAccountPatch, principal: AdminDep, rt: RuntimeDep
    ) -> ChannelAccountOut:
        return await accounts.update(rt, principal.tenant_id, account_id, patch)

    @api.delete(
        "/channel-accounts/{account_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary="Remove a channel account; its deliveries are refused from now on",
    )
    async def delete_account(account_id: AccountId, principal: AdminDep, rt: RuntimeDep) -> Response:
        await accounts.delete(rt, principal.tenant_id, account_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    api.include_router(listening.router())
    return api
