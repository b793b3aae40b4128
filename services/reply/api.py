"""Reply's HTTP routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response, status

from services.kit.deps import AdminDep, AgentDep, LimitQuery, SupervisorDep, runtime
from services.kit.events import now
from services.kit.runtime import Runtime
from services.kit.schemas import Page
from services.reply import delivery, dispatch, quality, service, templates, webhooks_api
from services.reply.delivery import DeliveryAccountIn, DeliveryAccountOut, account_out
from services.reply.intake import intake
from services.reply.models import Decision, Reply, ReplyEdit, ReplyIn, ReplyOut
from services.reply.policy import ReplyPolicyIn, ReplyPolicyOut, policy_of, put_policy
from services.reply.templates import Suggestion, TemplateIn, TemplateOut, template_out

RuntimeDep = Annotated[Runtime, Depends(runtime("reply"))]
AccountId = Annotated[str, Path(min_length=1, max_length=64)]


def reply_out(reply: Reply) -> ReplyOut:
    """The API's view of a reply."""
    return ReplyOut.model_validate(reply, from_attributes=True)


def router() -> APIRouter:
    """The routes reply owns: replies of conversations, their approval, templates, the reply policy,
    delivery accounts, quality review, and webhooks."""
    api = APIRouter(prefix="/v1", tags=["reply"])
    _replies(api)
    _templates(api)
    _settings(api)
    _quality(api)
    api.include_router(webhooks_api.router())
    return api


def _replies(api: APIRouter) -> None:
    @api.post(
        "/conversations/{conversation_id}/replies",
        status_code=status.HTTP_201_CREATED,
        summary="Answer the customer on their channel",
        description="The answer (its `text`, or a `template_id` with `variables`) is checked against "
        "the tenant's reply policy: a blocking finding refuses it (422 `reply_blocked`, with the "
        "findings in German and English); warnings are kept with it. Then it is kept as a `draft`, "
        "waits for a supervisor (`awaiting_approval`) where the tenant wants four eyes, or is sent at "
        "once: `sent`, `queued` (the channel refused it for now; it is tried again, see "
        "`next_attempt_at`) or `failed` (with a reason). With an `Idempotency-Key`, a repeated request "
        "returns the first reply (200) and nothing is sent twice.",
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
        request = service.ReplyRequest(principal, conversation_id, data, idempotency_key)
        reply, created = await intake(rt).submit(request)
        if created:
            reply = await dispatch.dispatcher(rt).send_if_held(reply)
        else:
            response.status_code = status.HTTP_200_OK
        response.headers["Location"] = f"/v1/conversations/{conversation_id}/replies/{reply.id}"
        return reply_out(reply)

    @api.patch(
        "/conversations/{conversation_id}/replies/{reply_id}",
        summary="Change a draft, or a reply a supervisor sent back",
        description="The checks run again; their findings come with the answer.",
    )
    async def edit_reply(
        conversation_id: str, reply_id: str, data: ReplyEdit, principal: AgentDep, rt: RuntimeDep
    ) -> ReplyOut:
        async with rt.unit_of_work() as uow:
            reply = await service.edit_draft(
                uow, principal=principal, conversation_id=conversation_id, reply_id=reply_id, data=data
            )
        return reply_out(reply)

    @api.post(
        "/conversations/{conversation_id}/replies/{reply_id}/send",
        summary="Send a draft",
        description="Checked as a new reply is; then sent, or put up for a supervisor's approval.",
    )
    async def send_reply(
        conversation_id: str, reply_id: str, principal: AgentDep, rt: RuntimeDep
    ) -> ReplyOut:
        async with rt.unit_of_work() as uow:
            reply = await service.submit(
                uow,
                principal=principal,
                conversation_id=conversation_id,
                reply_id=reply_id,
                lease_until=dispatch.dispatcher(rt).lease(now()),
            )
        return reply_out(await dispatch.dispatcher(rt).send_if_held(reply))

    @api.post(
        "/conversations/{conversation_id}/replies/{reply_id}/approve",
        summary="Approve a reply waiting for four eyes: it is sent",
        description="Nobody approves their own reply (409 `own_reply`).",
    )
    async def approve_reply(
        conversation_id: str, reply_id: str, principal: SupervisorDep, rt: RuntimeDep
    ) -> ReplyOut:
        async with rt.unit_of_work() as uow:
            reply = await service.decide(
                uow,
                principal=principal,
                conversation_id=conversation_id,
                reply_id=reply_id,
                approve=True,
                lease_until=dispatch.dispatcher(rt).lease(now()),
            )
        return reply_out(await dispatch.dispatcher(rt).send_if_held(reply))

    @api.post(
        "/conversations/{conversation_id}/replies/{reply_id}/reject",
        summary="Send a reply waiting for four eyes back to its author, with a reason",
    )
    async def reject_reply(
        conversation_id: str, reply_id: str, data: Decision, principal: SupervisorDep, rt: RuntimeDep
    ) -> ReplyOut:
        async with rt.unit_of_work() as uow:
            reply = await service.decide(
                uow,
                principal=principal,
                conversation_id=conversation_id,
                reply_id=reply_id,
                approve=False,
                reason=data.reason,
                lease_until=now(),
            )
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

    @api.get(
        "/conversations/{conversation_id}/reply-suggestions",
        summary="Templates that fit the conversation",
        description="By classify's category (crisis, question, complaint, untruth, compliment, lead) and "
        "the conversation's language and channel, filled in as far as the conversation tells "
        "(customer_name, case_number); `missing` names what the reply must still give.",
    )
    async def suggestions(conversation_id: str, principal: AgentDep, rt: RuntimeDep) -> Page[Suggestion]:
        async with rt.unit_of_work() as uow:
            view = await service.answerable(uow, principal, conversation_id)
            found = await templates.suggest(uow, view)
        return Page(items=found, next_cursor=None)

    @api.get("/reply-approvals", summary="Replies waiting for a supervisor's approval, oldest first")
    async def approvals(principal: SupervisorDep, rt: RuntimeDep, limit: LimitQuery = 50) -> Page[ReplyOut]:
        async with rt.unit_of_work() as uow:
            rows = await service.awaiting_approval(uow, principal.tenant_id, limit=limit)
        return Page(items=[reply_out(r) for r in rows], next_cursor=None)


def _templates(api: APIRouter) -> None:
    @api.post("/reply-templates", status_code=status.HTTP_201_CREATED, summary="Add a canned answer")
    async def create_template(data: TemplateIn, principal: SupervisorDep, rt: RuntimeDep) -> TemplateOut:
        async with rt.unit_of_work() as uow:
            return template_out(await templates.create(uow, principal.tenant_id, data))

    @api.get("/reply-templates", summary="The tenant's canned answers")
    async def list_templates(
        principal: AgentDep,
        rt: RuntimeDep,
        situation: Annotated[str | None, Query(max_length=32)] = None,
        language: Annotated[str | None, Query(max_length=8)] = None,
    ) -> Page[TemplateOut]:
        async with rt.unit_of_work() as uow:
            rows = await templates.listed(uow, principal.tenant_id, situation=situation, language=language)
        return Page(items=[template_out(row) for row in rows], next_cursor=None)

    @api.get("/reply-templates/{template_id}", summary="One canned answer")
    async def get_template(template_id: str, principal: AgentDep, rt: RuntimeDep) -> TemplateOut:
        async with rt.unit_of_work() as uow:
            return template_out(await templates.get(uow, principal.tenant_id, template_id))

    @api.put("/reply-templates/{template_id}", summary="Change a canned answer")
    async def put_template(
        template_id: str, data: TemplateIn, principal: SupervisorDep, rt: RuntimeDep
    ) -> TemplateOut:
        async with rt.unit_of_work() as uow:
            return template_out(await templates.replace(uow, principal.tenant_id, template_id, data))

    @api.delete(
        "/reply-templates/{template_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove one"
    )
    async def delete_template(template_id: str, principal: SupervisorDep, rt: RuntimeDep) -> None:
        async with rt.unit_of_work() as uow:
            await templates.delete(uow, principal.tenant_id, template_id)


def _settings(api: APIRouter) -> None:
    @api.get("/reply-policy", summary="The tenant's reply checks, four-eyes approval and review sample")
    async def get_policy(principal: SupervisorDep, rt: RuntimeDep) -> ReplyPolicyOut:
        async with rt.unit_of_work() as uow:
            return await policy_of(uow, principal.tenant_id)

    @api.put(
        "/reply-policy",
        summary="Set the tenant's reply policy",
        description="Each check (length, window, tone, private_data) is `off`, `warn` or `block`; "
        "`approval` says which replies wait for a supervisor; `review_sample_rate` the share of sent "
        "replies drawn for quality review.",
    )
    async def set_policy(data: ReplyPolicyIn, principal: AdminDep, rt: RuntimeDep) -> ReplyPolicyOut:
        async with rt.unit_of_work() as uow:
            return await put_policy(uow, principal.tenant_id, data)

    @api.put(
        "/delivery-accounts/{channel_account_id}",
        summary="Set how replies are sent from a channel account",
        description="`channel_account_id` is ingest's id of the channel account (POST "
        "/v1/channel-accounts). The credentials are encrypted at rest and never returned. 201 when new.",
        responses={201: {"description": "created"}},
    )
    async def put_delivery_account(
        channel_account_id: AccountId,
        data: DeliveryAccountIn,
        principal: AdminDep,
        rt: RuntimeDep,
        response: Response,
    ) -> DeliveryAccountOut:
        router = delivery.router_of(rt)
        async with rt.unit_of_work() as uow:
            row, created = await delivery.put_account(
                uow,
                tenant_id=principal.tenant_id,
                channel_account_id=channel_account_id,
                data=data,
                senders=router.senders,
                box=router.box,
                allow_private_networks=delivery.allow_private(rt),
            )
        router.forget(principal.tenant_id, channel_account_id)
        if created:
            response.status_code = status.HTTP_201_CREATED
        return account_out(row)

    @api.get("/delivery-accounts", summary="The tenant's delivery accounts, credentials by name only")
    async def list_delivery_accounts(principal: AdminDep, rt: RuntimeDep) -> Page[DeliveryAccountOut]:
        async with rt.unit_of_work() as uow:
            rows = await delivery.list_accounts(uow, principal.tenant_id)
        return Page(items=[account_out(row) for row in rows], next_cursor=None)

    @api.get("/delivery-accounts/{channel_account_id}", summary="One delivery account")
    async def get_delivery_account(
        channel_account_id: AccountId, principal: AdminDep, rt: RuntimeDep
    ) -> DeliveryAccountOut:
        async with rt.unit_of_work() as uow:
            return account_out(await delivery.get_account(uow, principal.tenant_id, channel_account_id))

    @api.delete(
        "/delivery-accounts/{channel_account_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary="Forget a delivery account and its credentials",
    )
    async def delete_delivery_account(
        channel_account_id: AccountId, principal: AdminDep, rt: RuntimeDep
    ) -> None:
        async with rt.unit_of_work() as uow:
            await delivery.delete_account(uow, principal.tenant_id, channel_account_id)
        delivery.router_of(rt).forget(principal.tenant_id, channel_account_id)


def _quality(api: APIRouter) -> None:
    @api.get("/quality-reviews", summary="Sent replies drawn for review, oldest first")
    async def reviews(
        principal: SupervisorDep,
        rt: RuntimeDep,
        review_status: Annotated[Literal["open", "scored"] | None, Query(alias="status")] = "open",
        agent_id: Annotated[str | None, Query(max_length=64)] = None,
        limit: LimitQuery = 50,
    ) -> Page[quality.ReviewOut]:
        async with rt.unit_of_work() as uow:
            found = await quality.listed(
                uow, principal.tenant_id, status=review_status, agent_id=agent_id, limit=limit
            )
        return Page(items=found, next_cursor=None)

    @api.post(
        "/quality-reviews/{review_id}/score",
        summary="Score a reply drawn for review (once)",
        description="Product knowledge, wording and empathy from 1 to 5, and whether the guideline was "
        "kept; announced as ReplyReviewed for the agent reports.",
    )
    async def score(
        review_id: str, card: quality.Scorecard, principal: SupervisorDep, rt: RuntimeDep
    ) -> quality.ReviewOut:
        async with rt.unit_of_work() as uow:
            return await quality.score(
                uow,
                principal.tenant_id,
                review_id,
                reviewer_id=principal.agent_id or principal.key_id,
                card=card,
            )

    @api.get(
        "/reply-coaching",
        summary="Per agent: replies sent, negative wording, review scores",
        description=f"Over [since, until); the last {quality.COACHING_DAYS} days by default.",
    )
    async def coaching(
        principal: SupervisorDep,
        rt: RuntimeDep,
        since: datetime | None = None,
        until: datetime | None = None,
        agent_id: Annotated[str | None, Query(max_length=64)] = None,
    ) -> Page[quality.AgentCoaching]:
        async with rt.unit_of_work() as uow:
            found = await quality.coaching(
                uow, principal.tenant_id, since=since, until=until, agent_id=agent_id
            )
        return Page(items=found, next_cursor=None)
