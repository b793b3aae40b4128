"""The events reply announces about a reply's delivery."""

from __future__ import annotations

from webcare.v1 import replies_pb2

from services.kit.events import new_event, timestamp
from services.reply.models import Reply


def sent_event(reply: Reply) -> replies_pb2.ReplySent:
    """ReplySent for a reply the channel took."""
    return new_event(
        replies_pb2.ReplySent,
        tenant_id=reply.tenant_id,
        reply_id=reply.id,
        conversation_id=reply.conversation_id,
        agent_id=reply.agent_id,
        channel=reply.channel,
        external_id=reply.external_id or "",
        is_public=reply.is_public,
        requested_at=timestamp(reply.created_at),
        text=reply.text,
        recipient=reply.recipient,
        channel_account_id=reply.channel_account_id,
        negative_words=list(reply.negative_words or ()),
        template_id=reply.template_id or "",
        approved_by=reply.decided_by or "",
    )


def failed_event(reply: Reply, *, reason: str, permanent: bool) -> replies_pb2.ReplyFailed:
    """ReplyFailed for a reply that will not be sent (permanent: the channel refused it for good)."""
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
