"""Routing's HTTP routes: agents, conversations, API keys (SLA routes: sla_api.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from services.kit.deps import AdminDep, AgentDep, CursorQuery, LimitQuery, SupervisorDep, runtime
from services.kit.runtime import Runtime
from services.kit.schemas import Page
from services.routing import handover, service
from services.routing.crm_api import crm_router
from services.routing.customers_api import customers_router
from services.routing.handover import TransferIn
from services.routing.models import (
    Agent,
    AgentIn,
    AgentOut,
    AgentPatch,
    ApiKey,
    ApiKeyIn,
    ApiKeyOut,
    Conversation,
    ConversationOut,
    ConversationRoutingOut,
    PresenceIn,
    Status,
    decision_out,
)
from services.routing.policy import RoutingPolicyIn, RoutingPolicyOut
from services.routing.queues_api import queues_router
from services.routing.sla_api import sla_router

RuntimeDep = Annotated[Runtime, Depends(runtime("routing"))]


def agent_out(agent: Agent) -> AgentOut:
    """The API's view of an agent."""
    return AgentOut.model_validate(agent, from_attributes=True)


def conversation_out(conversation: Conversation) -> ConversationOut:
    """The API's view of a conversation."""
    return ConversationOut.model_validate({**conversation.model_dump(), "public": conversation.is_public})


def key_out(key: ApiKey, secret: str | None = None) -> ApiKeyOut:
    """The API's view of a key."""
    return ApiKeyOut.model_validate({**key.model_dump(), "key": secret})


def router() -> APIRouter:
    """The routes routing owns: /v1/agents, /v1/conversations (but replies), /v1/api-keys,
    /v1/routing-policy."""
    api = APIRouter(prefix="/v1", tags=["routing"])

    @api.post("/agents", status_code=status.HTTP_201_CREATED, summary="Add an agent")
    async def create_agent(
        data: AgentIn, principal: AdminDep, rt: RuntimeDep, response: Response
    ) -> AgentOut:
        async with rt.unit_of_work() as uow:
            agent = await service.create_agent(uow, tenant_id=principal.tenant_id, data=data)
        response.headers["Location"] = f"/v1/agents/{agent.id}"
        return agent_out(agent)

    @api.get("/agents", summary="List agents")
    async def list_agents(
        principal: SupervisorDep, rt: RuntimeDep, limit: LimitQuery = 50, cursor: CursorQuery = None
    ) -> Page[AgentOut]:
        async with rt.unit_of_work() as uow:
            rows, next_cursor = await service.list_agents(
                uow, tenant_id=principal.tenant_id, limit=limit, cursor=cursor
            )
        return Page(items=[agent_out(a) for a in rows], next_cursor=next_cursor)

    @api.get("/agents/{agent_id}", summary="One agent")
    async def get_agent(agent_id: str, principal: AgentDep, rt: RuntimeDep) -> AgentOut:
        async with rt.unit_of_work() as uow:
            return agent_out(await service.get_agent(uow, tenant_id=principal.tenant_id, agent_id=agent_id))

    @api.patch(
        "/agents/{agent_id}",
        summary="Change an agent's skills, languages, capacity, channels or name",
        description="Only the fields given change. Waiting conversations are routed at once, so raised "
        "capacity or a new skill is used without delay.",
    )
    async def update_agent(agent_id: str, data: AgentPatch, principal: AdminDep, rt: RuntimeDep) -> AgentOut:
        async with rt.unit_of_work() as uow:
            agent = await service.update_agent(
                uow, tenant_id=principal.tenant_id, agent_id=agent_id, data=data
            )
        return agent_out(agent)

    @api.put("/agents/{agent_id}/presence", summary="Set an agent's presence")
    async def set_presence(agent_id: str, data: PresenceIn, principal: AgentDep, rt: RuntimeDep) -> AgentOut:
        async with rt.unit_of_work() as uow:
            agent = await service.set_presence(
                uow, principal=principal, agent_id=agent_id, presence=data.presence, state=data.state
            )
        return agent_out(agent)

    @api.post(
        "/agents/{agent_id}/heartbeat",
        summary="Keep an agent's presence alive",
        description="The agent's client sends this every 30 s or so (agents their own, supervisors "
        "anyone's). An agent not heard of for `WEBCARE_AGENT_HEARTBEAT_TIMEOUT_SECONDS` (90) goes "
        "offline by itself; the answer shows the presence, so a client that was offline sets it again.",
    )
    async def heartbeat(agent_id: str, principal: AgentDep, rt: RuntimeDep) -> AgentOut:
        async with rt.unit_of_work() as uow:
            agent = await service.heartbeat(uow, principal=principal, agent_id=agent_id)
        return agent_out(agent)

    @api.get("/conversations", summary="List conversations")
    async def list_conversations(
        principal: AgentDep,
        rt: RuntimeDep,
        status_: Annotated[Status | None, Query(alias="status")] = None,
        assignee: Annotated[str | None, Query(description="an agent id, or `me`")] = None,
        limit: LimitQuery = 50,
        cursor: CursorQuery = None,
    ) -> Page[ConversationOut]:
        async with rt.unit_of_work() as uow:
            rows, next_cursor = await service.list_conversations(
                uow, principal=principal, status=status_, assignee=assignee, limit=limit, cursor=cursor
            )
        return Page(items=[conversation_out(c) for c in rows], next_cursor=next_cursor)

    @api.get("/conversations/{conversation_id}", summary="One conversation (agents: their own)")
    async def get_conversation(conversation_id: str, principal: AgentDep, rt: RuntimeDep) -> ConversationOut:
        async with rt.unit_of_work() as uow:
            conversation = await service.get_conversation(
                uow, principal=principal, conversation_id=conversation_id
            )
        return conversation_out(conversation)

    @api.post(
        "/conversations/{conversation_id}/transfer",
        summary="Hand a conversation to an agent or back to the queue, with a note",
        description="The holder or a supervisor. To an agent who is available and has capacity (409 "
        "otherwise); to the queue, where routing gives it to someone else than the agent who handed it on "
        "unless no one else can take it.",
    )
    async def transfer(
        conversation_id: str, data: TransferIn, principal: AgentDep, rt: RuntimeDep
    ) -> ConversationOut:
        async with rt.unit_of_work() as uow:
            conversation = await handover.transfer(
                uow, principal=principal, conversation_id=conversation_id, data=data
            )
        return conversation_out(conversation)

    @api.post(
        "/conversations/{conversation_id}/accept",
        summary="Accept the conversation offered to you",
        description="For tenants whose routing policy offers conversations (`auto_accept: false`); 409 "
        "when it is no longer offered to you (expired, or taken back).",
    )
    async def accept(conversation_id: str, principal: AgentDep, rt: RuntimeDep) -> ConversationOut:
        async with rt.unit_of_work() as uow:
            conversation = await handover.accept(uow, principal=principal, conversation_id=conversation_id)
        return conversation_out(conversation)

    @api.post(
        "/conversations/{conversation_id}/reject",
        summary="Reject the conversation offered to you",
        description="It is offered to someone else, and to you again only when no one else can take it.",
    )
    async def reject(conversation_id: str, principal: AgentDep, rt: RuntimeDep) -> ConversationOut:
        async with rt.unit_of_work() as uow:
            conversation = await handover.reject(uow, principal=principal, conversation_id=conversation_id)
        return conversation_out(conversation)

    @api.post(
        "/conversations/{conversation_id}/reopen",
        summary="Reopen a resolved conversation",
        description="The agent who held it or a supervisor. It goes back to that agent if they are "
        "available, else it is routed as any other. (A customer who writes again within "
        "`WEBCARE_REOPEN_WITHIN_HOURS`, 72, reopens it too.)",
    )
    async def reopen(conversation_id: str, principal: AgentDep, rt: RuntimeDep) -> ConversationOut:
        async with rt.unit_of_work() as uow:
            conversation = await handover.reopen(uow, principal=principal, conversation_id=conversation_id)
        return conversation_out(conversation)

    @api.post("/conversations/{conversation_id}/resolve", summary="Resolve a conversation")
    async def resolve(conversation_id: str, principal: AgentDep, rt: RuntimeDep) -> ConversationOut:
        async with rt.unit_of_work() as uow:
            conversation = await service.resolve(uow, principal=principal, conversation_id=conversation_id)
        return conversation_out(conversation)

    @api.get("/conversations/{conversation_id}/routing", summary="How a conversation was routed")
    async def conversation_routing(
        conversation_id: str, principal: AgentDep, rt: RuntimeDep
    ) -> ConversationRoutingOut:
        async with rt.unit_of_work() as uow:
            rows = await service.routing_decisions(uow, principal=principal, conversation_id=conversation_id)
        return ConversationRoutingOut(
            conversation_id=conversation_id, decisions=[decision_out(d) for d in rows]
        )

    @api.get("/routing-policy", summary="The tenant's routing policy")
    async def get_policy(principal: SupervisorDep, rt: RuntimeDep) -> RoutingPolicyOut:
        async with rt.unit_of_work() as uow:
            return await service.get_policy(uow, tenant_id=principal.tenant_id)

    @api.put("/routing-policy", summary="Replace the tenant's routing policy")
    async def set_policy(data: RoutingPolicyIn, principal: SupervisorDep, rt: RuntimeDep) -> RoutingPolicyOut:
        async with rt.unit_of_work() as uow:
            return await service.set_policy(uow, tenant_id=principal.tenant_id, data=data)

    @api.post("/api-keys", status_code=status.HTTP_201_CREATED, summary="Create an API key")
    async def create_key(
        data: ApiKeyIn, principal: AdminDep, rt: RuntimeDep, response: Response
    ) -> ApiKeyOut:
        async with rt.unit_of_work() as uow:
            key, secret = await service.issue_key(uow, tenant_id=principal.tenant_id, data=data)
        response.headers["Location"] = f"/v1/api-keys/{key.id}"
        return key_out(key, secret)

    @api.get("/api-keys", summary="List API keys")
    async def list_keys(
        principal: AdminDep, rt: RuntimeDep, limit: LimitQuery = 50, cursor: CursorQuery = None
    ) -> Page[ApiKeyOut]:
        async with rt.unit_of_work() as uow:
            rows, next_cursor = await service.list_keys(
                uow, tenant_id=principal.tenant_id, limit=limit, cursor=cursor
            )
        return Page(items=[key_out(k) for k in rows], next_cursor=next_cursor)

    @api.delete("/api-keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke an API key")
    async def revoke_key(key_id: str, principal: AdminDep, rt: RuntimeDep) -> None:
        async with rt.unit_of_work() as uow:
            await service.revoke_key(uow, tenant_id=principal.tenant_id, key_id=key_id)

    api.include_router(sla_router())
    api.include_router(queues_router())
    api.include_router(customers_router())
    api.include_router(crm_router())
    return api
