"""Routing's HTTP routes for customer profiles: upsert, look-up, identities, notes, history, export and
erasure."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from services.kit.auth import Principal, Role, require
from services.kit.deps import AdminDep, AgentDep, LimitQuery, SupervisorOrIntegrationDep, runtime
from services.kit.runtime import Runtime
from services.routing import customers, erasure
from services.routing.customers import (
    CHANNEL,
    CustomerIn,
    CustomerOut,
    HistoryOut,
    IdentityIn,
    NoteIn,
    NoteOut,
)

RuntimeDep = Annotated[Runtime, Depends(runtime("routing"))]
AgentOrIntegrationDep = Annotated[Principal, Depends(require(Role.agent, Role.integration))]
Channel = Annotated[str, Query(pattern=CHANNEL, description="the identity's channel")]
ExternalId = Annotated[str, Query(min_length=1, max_length=512, description="the channel's id of the person")]


def customers_router() -> APIRouter:
    """/v1/customers."""
    api = APIRouter(tags=["routing"])

    @api.post(
        "/customers",
        status_code=status.HTTP_201_CREATED,
        summary="Create or update a customer profile by the CRM's id (idempotent)",
        description="Without `external_id`, the profile its identities are linked to is updated. An "
        "identity linked to another customer is a 409 (`conflicting_identity`).",
        responses={200: {"description": "the profile existed and was updated"}},
    )
    async def upsert(
        data: CustomerIn, principal: SupervisorOrIntegrationDep, rt: RuntimeDep, response: Response
    ) -> CustomerOut:
        async with rt.unit_of_work() as uow:
            customer, created = await customers.upsert(uow, tenant_id=principal.tenant_id, data=data)
        response.headers["Location"] = f"/v1/customers/{customer.id}"
        if not created:
            response.status_code = status.HTTP_200_OK
        return customer

    @api.post(
        "/customers/bulk",
        summary="Create or update up to 1,000 customer profiles at once (idempotent)",
        description="Each item is upserted as `POST /v1/customers` does, on its own: one that fails "
        "(an identity of another customer, 409) does not stop the others. The answer has one result "
        "per item, in order: `created`, `updated`, or `error` with the reason.",
    )
    async def upsert_many(
        data: customers.BulkIn, principal: SupervisorOrIntegrationDep, rt: RuntimeDep
    ) -> customers.BulkOut:
        async with rt.unit_of_work() as uow:
            return await customers.upsert_many(uow, tenant_id=principal.tenant_id, data=data)

    @api.get("/customers", summary="Look a customer up by any of their identities")
    async def find(
        channel: Channel, external_id: ExternalId, principal: AgentOrIntegrationDep, rt: RuntimeDep
    ) -> CustomerOut:
        async with rt.unit_of_work() as uow:
            return await customers.find(
                uow, tenant_id=principal.tenant_id, channel=channel, external_id=external_id
            )

    @api.get("/customers/{customer_id}", summary="A customer's profile with identities, attributes and notes")
    async def get_customer(customer_id: str, principal: AgentDep, rt: RuntimeDep) -> CustomerOut:
        async with rt.unit_of_work() as uow:
            return await customers.profile(uow, tenant_id=principal.tenant_id, customer_id=customer_id)

    @api.post(
        "/customers/{customer_id}/identities",
        status_code=status.HTTP_201_CREATED,
        summary="Link an identity to a customer (409 if another customer has it)",
        description="The author's past conversations on that channel join the customer's history.",
        responses={200: {"description": "already linked to this customer"}},
    )
    async def link(
        customer_id: str,
        data: IdentityIn,
        principal: AgentOrIntegrationDep,
        rt: RuntimeDep,
        response: Response,
    ) -> CustomerOut:
        async with rt.unit_of_work() as uow:
            customer, created = await customers.link(
                uow, tenant_id=principal.tenant_id, customer_id=customer_id, data=data
            )
        if not created:
            response.status_code = status.HTTP_200_OK
        return customer

    @api.delete(
        "/customers/{customer_id}/identities/{channel}/{external_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary="Unlink an identity from a customer (404 if it is not theirs)",
    )
    async def unlink(
        customer_id: str,
        channel: Annotated[str, Path(pattern=CHANNEL)],
        external_id: Annotated[str, Path(min_length=1, max_length=512)],
        principal: AgentOrIntegrationDep,
        rt: RuntimeDep,
    ) -> None:
        async with rt.unit_of_work() as uow:
            await customers.unlink(
                uow,
                tenant_id=principal.tenant_id,
                customer_id=customer_id,
                channel=channel,
                external_id=external_id,
            )

    @api.post(
        "/customers/{customer_id}/notes",
        status_code=status.HTTP_201_CREATED,
        summary="Leave a note on a customer, shown in their profile",
    )
    async def add_note(customer_id: str, data: NoteIn, principal: AgentDep, rt: RuntimeDep) -> NoteOut:
        async with rt.unit_of_work() as uow:
            return await customers.add_note(uow, principal=principal, customer_id=customer_id, data=data)

    @api.get(
        "/customers/{customer_id}/history",
        summary="A customer's conversations on every channel, newest first, with repeat contacts",
    )
    async def history(
        customer_id: str, principal: AgentDep, rt: RuntimeDep, limit: LimitQuery = 50
    ) -> HistoryOut:
        async with rt.unit_of_work() as uow:
            return await customers.history(
                uow, tenant_id=principal.tenant_id, customer_id=customer_id, limit=limit
            )

    @api.post(
        "/customers/{customer_id}/export",
        status_code=status.HTTP_202_ACCEPTED,
        summary="Collect everything held about a customer from every service (GDPR art. 15)",
        description="Asks ingest, classify, reply and reporting for their part of the customer's data "
        "(the CustomerExportRequested event). Their parts arrive within the bus's latency; "
        "`GET …/export` shows them and which services are still awaited. Collected parts are kept "
        f"{erasure.EXPORT_KEEP_DAYS} days, and deleted at once when the customer is erased.",
    )
    async def request_export(
        customer_id: str, principal: AdminDep, rt: RuntimeDep, response: Response
    ) -> erasure.ExportRequested:
        async with rt.unit_of_work(must_publish=True) as uow:
            requested = await erasure.request_export(
                uow, tenant_id=principal.tenant_id, customer_id=customer_id, requested_by=principal.key_id
            )
        response.headers["Location"] = f"/v1/customers/{customer_id}/export"
        return requested

    @api.get(
        "/customers/{customer_id}/export",
        summary="Everything held about a customer, as one document (GDPR art. 15)",
        description="Routing's part as of now: the profile with its identities, attributes and notes, "
        "and the customer's conversations with their routing decisions. Under `services`, the other "
        "services' parts (messages and deliveries as received, classifications, replies and webhooks "
        "sent, report facts and survey answers) as they answered the newest `POST …/export`; "
        "`collection` tells whether all have answered.",
    )
    async def export(customer_id: str, principal: AdminDep, rt: RuntimeDep) -> erasure.CustomerExport:
        async with rt.unit_of_work() as uow:
            return await erasure.export(uow, tenant_id=principal.tenant_id, customer_id=customer_id)

    @api.post(
        "/customers/{customer_id}/erase",
        status_code=status.HTTP_202_ACCEPTED,
        summary="Erase a customer (GDPR art. 17): routing at once, every other service on CustomerErased",
        description="Deletes the profile, its notes and identities and the VIP entries of its "
        "identities, and anonymises its conversations (kept for counts). Each other service erases "
        "its own data of the customer when the CustomerErased event, whose id the answer carries, "
        "reaches it.",
    )
    async def erase(customer_id: str, principal: AdminDep, rt: RuntimeDep) -> erasure.ErasureAccepted:
        async with rt.unit_of_work(must_publish=True) as uow:
            return await erasure.erase(uow, tenant_id=principal.tenant_id, customer_id=customer_id)

    return api
