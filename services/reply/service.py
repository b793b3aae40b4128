"""Reply's logic: keep track of conversations, send agents' answers, announce what happened."""

from __future__ import annotations

from collections.abc import Sequence

from webcare.v1 import conversations_pb2, replies_pb2

from services.kit.auth import Principal, Role
from services.kit.errors import Conflict, NotFound
from services.kit.events import new_event, now, timestamp
from services.kit.ids import new_id
from services.kit.uow import UnitOfWork
from services.reply.adapters import ChannelAdapter, DeliveryError, Outgoing
from services.reply.models import ConversationView, Reply, ReplyIn, ReplyStatus
from services.reply.repository import ConversationViewRepository, ReplyRepository


async def conversation_opened(uow: UnitOfWork, event: conversations_pb2.ConversationOpened) -> None:
    """Remember where a new conversation is answered."""
    repo = ConversationViewRepository(uow.session)
    view = await repo.get(event.conversation_id) or ConversationView(
        id=event.conversation_id, tenant_id=event.tenant_id, channel=event.channel
    )
    view.channel = event.channel
    view.channel_account_id = event.channel_account_id
    view.customer_id = event.customer.external_id
    view.is_public = event.is_public
    view.in_reply_to = event.first_message_external_id
    repo.save(view)


async def conversation_assigned(uow: UnitOfWork, event: conversations_pb2.ConversationAssigned) -> None:
    """Remember who holds a conversation."""
    view = await _view(uow, event.tenant_id, event.conversation_id)
    view.assignee_id = event.agent_id
    ConversationViewRepository(uow.session).save(view)


async def conversation_resolved(uow: UnitOfWork, event: conversations_pb2.ConversationResolved) -> None:
    """Remember that a conversation is closed."""
    view = await _view(uow, event.tenant_id, event.conversation_id)
    view.resolved = True
    ConversationViewRepository(uow.session).save(view)


async def conversation_transferred(uow: UnitOfWork, event: conversations_pb2.ConversationTransferred) -> None:
    """Remember who holds a conversation handed on: the new agent, or no one while it is back in the
    queue (the one who handed it on answers no more)."""
    view = await _view(uow, event.tenant_id, event.conversation_id)
    view.assignee_id = event.to_agent_id or None
    ConversationViewRepository(uow.session).save(view)


async def conversation_reopened(uow: UnitOfWork, event: conversations_pb2.ConversationReopened) -> None:
    """Remember that a conversation is open again; whoever it goes to arrives as ConversationAssigned."""
    view = await _view(uow, event.tenant_id, event.conversation_id)
    view.resolved = False
    view.assignee_id = None
    ConversationViewRepository(uow.session).save(view)


async def _view(uow: UnitOfWork, tenant_id: str, conversation_id: str) -> ConversationView:
    # Events of one conversation arrive in order, but a view may be missing if Opened was never seen.
    found = await ConversationViewRepository(uow.session).get(conversation_id)
    return found or ConversationView(id=conversation_id, tenant_id=tenant_id, channel="unknown")


async def send_reply(
    uow: UnitOfWork, adapter: ChannelAdapter, *, principal: Principal, conversation_id: str, data: ReplyIn
) -> Reply:
    """Send an agent's answer on the conversation's channel and announce ReplySent or ReplyFailed."""
    view = await ConversationViewRepository(uow.session).get_for(principal.tenant_id, conversation_id)
    if view is None or not (principal.may_act_as(Role.supervisor) or view.assignee_id == principal.agent_id):
        raise NotFound(f"no conversation {conversation_id}")
    if view.resolved:
        raise Conflict("the conversation is resolved; reopen it to answer")
    agent_id = principal.agent_id or view.assignee_id or principal.key_id
    reply = Reply(
        id=new_id(),
        tenant_id=principal.tenant_id,
        conversation_id=conversation_id,
        agent_id=agent_id,
        channel=view.channel,
        text=data.text,
        status=ReplyStatus.requested.value,
        created_at=now(),
    )
    outgoing = Outgoing(
        reply_id=reply.id,
        tenant_id=reply.tenant_id,
        channel=view.channel,
        channel_account_id=view.channel_account_id,
        recipient=view.customer_id,
        in_reply_to=view.in_reply_to,
        public=view.is_public,
        text=reply.text,
    )
    try:
        reply.external_id = await adapter.send(outgoing)
    except DeliveryError as exc:
        reply.status = ReplyStatus.failed.value
        reply.failure_reason = str(exc)
        uow.emit(_failed(reply, reason=str(exc), permanent=exc.permanent), key=conversation_id)
    else:
        reply.status = ReplyStatus.sent.value
        reply.sent_at = now()
        uow.emit(_sent(reply, view), key=conversation_id)
    ReplyRepository(uow.session).add(reply)
    return reply


async def list_replies(uow: UnitOfWork, *, principal: Principal, conversation_id: str) -> Sequence[Reply]:
    """The replies of a conversation."""
    view = await ConversationViewRepository(uow.session).get_for(principal.tenant_id, conversation_id)
    if view is None or not (principal.may_act_as(Role.supervisor) or view.assignee_id == principal.agent_id):
        raise NotFound(f"no conversation {conversation_id}")
    return await ReplyRepository(uow.session).for_conversation(principal.tenant_id, conversation_id)


def _sent(reply: Reply, view: ConversationView) -> replies_pb2.ReplySent:
    return new_event(
        replies_pb2.ReplySent,
        tenant_id=reply.tenant_id,
        reply_id=reply.id,
        conversation_id=reply.conversation_id,
        agent_id=reply.agent_id,
        channel=reply.channel,
        external_id=reply.external_id or "",
        is_public=view.is_public,
        requested_at=timestamp(reply.created_at),
        text=reply.text,
        recipient=view.customer_id or "",
        channel_account_id=view.channel_account_id or "",
    )


def _failed(reply: Reply, *, reason: str, permanent: bool) -> replies_pb2.ReplyFailed:
    return new_event(
        replies_pb2.ReplyFailed,
        tenant_id=reply.tenant_id,
        reply_id=reply.id,
        conversation_id=reply.conversation_id,
        agent_id=reply.agent_id,
        channel=reply.channel,
        reason=reason,
        permanent=permanent,
    )
