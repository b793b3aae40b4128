"""Ingest's logic: normalise a channel message, de-duplicate it, and announce it."""

from __future__ import annotations

import unicodedata

from sqlalchemy.exc import IntegrityError
from webcare.v1 import common_pb2, messages_pb2

from services.ingest.models import InboundMessage, MessageAccepted, MessageIn
from services.ingest.repository import MessageRepository
from services.kit.events import new_event, now, timestamp
from services.kit.ids import new_id
from services.kit.runtime import Runtime


def conversation_key(data: MessageIn) -> str:
    """The key that groups a message with the rest of its conversation."""
    return data.conversation_key or f"{data.channel}:{data.author.id}"


async def accept_message(rt: Runtime, *, tenant_id: str, data: MessageIn) -> MessageAccepted:
    """Accept a message once: the first delivery is published, repeats get the first one's id."""
    try:
        async with rt.unit_of_work(must_publish=True) as uow:
            repo = MessageRepository(uow.session)
            found = await repo.find(tenant_id=tenant_id, channel=data.channel, external_id=data.external_id)
            if found is not None:
                return MessageAccepted(id=found.id, duplicate=True)
            message = InboundMessage(
                id=new_id(),
                tenant_id=tenant_id,
                channel=data.channel,
                external_id=data.external_id,
                conversation_key=conversation_key(data),
                received_at=now(),
            )
            repo.add(message)
            uow.emit(_received(message, data), key=message.conversation_key)
    except IntegrityError:
        # The same message arrived twice at once; the other delivery won and was published.
        async with rt.unit_of_work(must_publish=True) as uow:
            found = await MessageRepository(uow.session).find(
                tenant_id=tenant_id, channel=data.channel, external_id=data.external_id
            )
        if found is None:
            raise
        return MessageAccepted(id=found.id, duplicate=True)
    return MessageAccepted(id=message.id)


def _received(message: InboundMessage, data: MessageIn) -> messages_pb2.MessageReceived:
    author = common_pb2.Author(
        external_id=data.author.id,
        handle=data.author.handle or "",
        name=data.author.name or "",
        follower_count=data.author.follower_count or 0,
    )
    event = new_event(
        messages_pb2.MessageReceived,
        tenant_id=message.tenant_id,
        message_id=message.id,
        channel=message.channel,
        external_id=message.external_id,
        conversation_key=message.conversation_key,
        author=author,
        text=unicodedata.normalize("NFC", data.text),
        is_public=data.public,
        in_reply_to=data.in_reply_to or "",
    )
    event.sent_at.CopyFrom(timestamp(data.sent_at or message.received_at))
    return event
