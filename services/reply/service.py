"""Reply's logic: keep track of conversations, send agents' answers, announce what happened."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from webcare.v1 import conversations_pb2, replies_pb2

from services.kit.auth import Principal, Role
from services.kit.errors import Conflict, NotFound
from services.kit.events import new_event, now, timestamp, to_datetime
from services.kit.ids import new_id
from services.kit.uow import UnitOfWork
from services.reply.dispatch import failed_event
from services.reply.models import PROGRESS, ConversationView, Reply, ReplyIn, ReplyStatus
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


async def accept_reply(
    uow: UnitOfWork,
    *,
    principal: Principal,
    conversation_id: str,
    data: ReplyIn,
    idempotency_key: str | None,
    lease_until: datetime,
) -> tuple[Reply, bool]:
    """Store an agent's answer for sending, held by this process until `lease_until` (it is sent
    next, see dispatch.py); whether it is new. A request repeated with the same idempotency key gets
    the first reply back."""
    view = await ConversationViewRepository(uow.session).get_for(principal.tenant_id, conversation_id)
    if view is None or not (principal.may_act_as(Role.supervisor) or view.assignee_id == principal.agent_id):
        raise NotFound(f"no conversation {conversation_id}")
    replies = ReplyRepository(uow.session)
    if idempotency_key is not None:
        earlier = await replies.by_idempotency_key(principal.tenant_id, idempotency_key)
        if earlier is not None:
            if earlier.conversation_id != conversation_id or earlier.text != data.text:
                raise Conflict("this Idempotency-Key was used for another reply")
            return earlier, False
    if view.resolved:
        raise Conflict("the conversation is resolved; reopen it to answer")
    moment = now()
    reply_id = new_id()
    reply = Reply(
        id=reply_id,
        tenant_id=principal.tenant_id,
        conversation_id=conversation_id,
        agent_id=principal.agent_id or view.assignee_id or principal.key_id,
        channel=view.channel,
        text=data.text,
        status=ReplyStatus.sending.value,
        created_at=moment,
        channel_account_id=view.channel_account_id,
        recipient=view.customer_id,
        in_reply_to=view.in_reply_to,
        is_public=view.is_public,
        idempotency_key=idempotency_key or reply_id,
        attempts=1,
        lease_until=lease_until,
    )
    replies.add(reply)
    try:
        await uow.session.flush()
    except IntegrityError as exc:  # the same key, accepted by a concurrent request just now
        raise Conflict("a reply with this Idempotency-Key is being accepted; repeat the request") from exc
    return reply, True


async def get_reply(uow: UnitOfWork, *, principal: Principal, conversation_id: str, reply_id: str) -> Reply:
    """One reply of a conversation the caller may see."""
    for reply in await list_replies(uow, principal=principal, conversation_id=conversation_id):
        if reply.id == reply_id:
            return reply
    raise NotFound(f"no reply {reply_id}")


async def receipt(uow: UnitOfWork, event: replies_pb2.DeliveryReceipt) -> None:
    """A channel's receipt for a sent reply: delivered or read (never back), or failed after all."""
    reply = await ReplyRepository(uow.session).by_external_id(
        event.tenant_id, event.channel, event.external_id
    )
    if reply is None:
        return  # not ours (sent by hand on the channel), or receipts of replies not yet recorded
    reported = to_datetime(event.reported_at) if event.HasField("reported_at") else now()
    if event.status == "failed":
        if reply.status != ReplyStatus.failed.value:
            reply.status = ReplyStatus.failed.value
            reply.failure_reason = event.reason or f"the channel reported error {event.error_code}"
            uow.emit(
                failed_event(reply, reason=reply.failure_reason, permanent=True), key=reply.conversation_id
            )
    elif event.status in ("delivered", "read") and PROGRESS.get(event.status, 0) > PROGRESS.get(
        reply.status, 9
    ):
        reply.status = event.status
        if event.status == "delivered":
            reply.delivered_at = reported
        else:
            reply.read_at = reported
            reply.delivered_at = reply.delivered_at or reported
        uow.emit(
            new_event(
                replies_pb2.ReplyDelivered,
                tenant_id=reply.tenant_id,
                reply_id=reply.id,
                conversation_id=reply.conversation_id,
                agent_id=reply.agent_id,
                channel=reply.channel,
                external_id=reply.external_id or "",
                status=event.status,
                reported_at=timestamp(reported),
            ),
            key=reply.conversation_id,
        )
    uow.session.add(reply)


async def list_replies(uow: UnitOfWork, *, principal: Principal, conversation_id: str) -> Sequence[Reply]:
    """The replies of a conversation."""
    view = await ConversationViewRepository(uow.session).get_for(principal.tenant_id, conversation_id)
    if view is None or not (principal.may_act_as(Role.supervisor) or view.assignee_id == principal.agent_id):
        raise NotFound(f"no conversation {conversation_id}")
    return await ReplyRepository(uow.session).for_conversation(principal.tenant_id, conversation_id)
