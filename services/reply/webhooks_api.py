"""Reply's HTTP routes for webhooks (CRM out): subscriptions, their delivery log, dead letters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from services.kit.deps import AdminDep, CursorQuery, LimitQuery, runtime
from services.kit.runtime import Runtime
from services.kit.schemas import Page, cut
from services.reply import delivery, webhooks
from services.reply.webhooks import (
    DeliveryOut,
    SubscriptionIn,
    SubscriptionOut,
    delivery_out,
    subscription_out,
)

RuntimeDep = Annotated[Runtime, Depends(runtime("reply"))]
Id = Annotated[str, Path(min_length=1, max_length=64)]


def router() -> APIRouter:
    """The routes of webhook subscriptions and their deliveries."""
    api = APIRouter(tags=["webhooks"])

    @api.post(
        "/webhook-subscriptions",
        status_code=status.HTTP_201_CREATED,
        summary="Send events of the tenant to an outside system (a CRM)",
        description="Each event of the subscribed types is POSTed to `url` as JSON "
        '(`{"id", "type", "occurred_at", "tenant", "data"}`) with `Webcare-Event-Id`, '
        "`Webcare-Timestamp` (unix seconds) and `Webcare-Signature: v1=<hex HMAC-SHA256(secret, "
        '"<timestamp>.<raw body>")>`; verify the signature and reject timestamps older than five '
        "minutes. Anything but a 2xx is tried again with backoff for a day, then the delivery is dead "
        "(GET /v1/webhook-dead-letters). `csat.received` carries every survey answer (CSAT and NPS). "
        "The secret is encrypted at rest and never returned.",
    )
    async def create(
        data: SubscriptionIn, principal: AdminDep, rt: RuntimeDep, response: Response
    ) -> SubscriptionOut:
        async with rt.unit_of_work() as uow:
            row = await webhooks.create(
                uow,
                tenant_id=principal.tenant_id,
                data=data,
                box=webhooks.box_of(rt),
                allow_private_networks=delivery.allow_private(rt),
            )
        response.headers["Location"] = f"/v1/webhook-subscriptions/{row.id}"
        return subscription_out(row)

    @api.get("/webhook-subscriptions", summary="The tenant's webhook subscriptions")
    async def listed(principal: AdminDep, rt: RuntimeDep) -> Page[SubscriptionOut]:
        async with rt.unit_of_work() as uow:
            rows = await webhooks.listed(uow, principal.tenant_id)
        return Page(items=[subscription_out(row) for row in rows], next_cursor=None)

    @api.get("/webhook-subscriptions/{subscription_id}", summary="One webhook subscription")
    async def get(subscription_id: Id, principal: AdminDep, rt: RuntimeDep) -> SubscriptionOut:
        async with rt.unit_of_work() as uow:
            return subscription_out(await webhooks.get(uow, principal.tenant_id, subscription_id))

    @api.delete(
        "/webhook-subscriptions/{subscription_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary="End a subscription; what was not sent yet is not sent",
    )
    async def remove(subscription_id: Id, principal: AdminDep, rt: RuntimeDep) -> None:
        async with rt.unit_of_work() as uow:
            await webhooks.remove(uow, principal.tenant_id, subscription_id)

    @api.get(
        "/webhook-subscriptions/{subscription_id}/deliveries",
        summary="A subscription's delivery log, newest first",
        description="Each event sent or to be sent: its status, tries, and the last status code or error.",
    )
    async def log(
        subscription_id: Id,
        principal: AdminDep,
        rt: RuntimeDep,
        limit: LimitQuery = 50,
        cursor: CursorQuery = None,
    ) -> Page[DeliveryOut]:
        async with rt.unit_of_work() as uow:
            await webhooks.get(uow, principal.tenant_id, subscription_id)
            rows = await webhooks.deliveries(
                uow, principal.tenant_id, subscription_id=subscription_id, limit=limit, before=cursor
            )
        page, next_cursor = cut(rows, limit)
        return Page(items=[delivery_out(row) for row in page], next_cursor=next_cursor)

    @api.get(
        "/webhook-dead-letters",
        summary="Deliveries the receivers did not take within the retry period, newest first",
    )
    async def dead_letters(
        principal: AdminDep, rt: RuntimeDep, limit: LimitQuery = 50, cursor: CursorQuery = None
    ) -> Page[DeliveryOut]:
        async with rt.unit_of_work() as uow:
            rows = await webhooks.deliveries(
                uow, principal.tenant_id, status=webhooks.DEAD, limit=limit, before=cursor
            )
        page, next_cursor = cut(rows, limit)
        return Page(items=[delivery_out(row) for row in page], next_cursor=next_cursor)

    @api.post(
        "/webhook-dead-letters/{delivery_id}/replay",
        summary="Send a dead delivery again",
        description="It is pending at once, its tries counted anew, with a new retry period; 409 "
        "`not_dead` unless it is dead.",
    )
    async def replay(delivery_id: Id, principal: AdminDep, rt: RuntimeDep) -> DeliveryOut:
        async with rt.unit_of_work() as uow:
            row = await webhooks.replay(uow, principal.tenant_id, delivery_id)
        webhooks.sender(rt).wake.set()
        return delivery_out(row)

    return api
