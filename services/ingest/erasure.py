"""Ingest's part of a customer's export and erasure: what the customer sent, as the channels
delivered it.

The export holds the customer's messages, the deliveries they came in (a delivery that also carried
other people's messages without its body, which is not the customer's alone), the threads they
started and their live-chat sessions with the replies shown in them. Each export event names the ids
of the messages it holds, for classify.

The messages of the erased conversations keep their rows (de-duplication and counts need the channel's
message id) but lose their conversation key, which names the author; the deliveries they came in lose
their bodies; the threads the customer started and their live-chat sessions with the replies shown in
them are deleted. Ingest then announces the ids of those messages (CustomerMessagesErased), as
classify keeps what was said by message id only.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlmodel import col
from sqlmodel import select as select_rows
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import customers_pb2

from services.ingest.channels.chat_tables import ChatReply, ChatSession
from services.ingest.models import Delivery, InboundMessage, Thread
from services.kit.events import new_event
from services.kit.exports import emit_part, records
from services.kit.uow import UnitOfWork

ERASED_KEY = "erased"


class ErasureRepository:
    """The queries of an erasure at ingest."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def messages(self, tenant_id: str, keys: Collection[str]) -> Sequence[InboundMessage]:
        """The messages of these conversation keys, oldest first."""
        query = (
            select_rows(InboundMessage)
            .where(col(InboundMessage.tenant_id) == tenant_id, col(InboundMessage.conversation_key).in_(keys))
            .order_by(col(InboundMessage.received_at), col(InboundMessage.id))
        )
        return (await self.session.exec(query)).all()

    async def deliveries(
        self, tenant_id: str, ids: Collection[str], keys: Collection[str]
    ) -> list[dict[str, Any]]:
        """These deliveries as records; one that also carried messages of other conversation keys
        without its body."""
        if not ids:
            return []
        shared_query = select(col(InboundMessage.delivery_id)).where(
            col(InboundMessage.delivery_id).in_(ids), col(InboundMessage.conversation_key).not_in(keys)
        )
        conn = await self.session.connection()
        shared = set((await conn.execute(shared_query)).scalars().all())
        query = (
            select_rows(Delivery)
            .where(col(Delivery.tenant_id) == tenant_id, col(Delivery.id).in_(ids))
            .order_by(col(Delivery.received_at), col(Delivery.id))
        )
        found: Sequence[Delivery] = (await self.session.exec(query)).all()
        out = records(found)
        for record in out:
            if record["id"] in shared:
                record["body"] = None
                record["note"] = "also carried other people's messages: the body is not exported"
        return out

    async def threads(
        self, tenant_id: str, keys: Collection[str], authors: Collection[str]
    ) -> Sequence[Thread]:
        """The threads of these keys or started by these authors."""
        query = select_rows(Thread).where(
            col(Thread.tenant_id) == tenant_id,
            or_(col(Thread.conversation_key).in_(keys), col(Thread.customer_id).in_(authors)),
        )
        return (await self.session.exec(query)).all()

    async def chats(
        self, tenant_id: str, sessions: Collection[str], emails: Collection[str]
    ) -> tuple[Sequence[ChatSession], Sequence[ChatReply]]:
        """These live-chat sessions and those of these visitor e-mail addresses, with their replies."""
        query = select_rows(ChatSession).where(
            col(ChatSession.tenant_id) == tenant_id,
            or_(col(ChatSession.id).in_(sessions), col(ChatSession.visitor_email).in_(emails)),
        )
        found: Sequence[ChatSession] = (await self.session.exec(query)).all()
        if not found:
            return found, []
        replies = select_rows(ChatReply).where(col(ChatReply.session_id).in_([s.id for s in found]))
        return found, (await self.session.exec(replies.order_by(col(ChatReply.seq)))).all()

    async def erase_messages(self, tenant_id: str, keys: Collection[str]) -> list[str]:
        """Forget the conversation keys of these conversations' messages and the bodies of their
        deliveries; the ids of the messages."""
        query = select(col(InboundMessage.id), col(InboundMessage.delivery_id)).where(
            col(InboundMessage.tenant_id) == tenant_id, col(InboundMessage.conversation_key).in_(keys)
        )
        conn = await self.session.connection()
        rows = (await conn.execute(query)).all()
        ids = [row.id for row in rows]
        deliveries = {row.delivery_id for row in rows if row.delivery_id}
        if ids:
            await conn.execute(
                update(InboundMessage)
                .where(col(InboundMessage.id).in_(ids))
                .values(conversation_key=ERASED_KEY)
            )
        if deliveries:
            await conn.execute(update(Delivery).where(col(Delivery.id).in_(deliveries)).values(body=""))
        return ids

    async def delete_threads(self, tenant_id: str, keys: Collection[str], authors: Collection[str]) -> None:
        """Delete the threads of these keys or started by these authors."""
        conn = await self.session.connection()
        await conn.execute(
            delete(Thread).where(
                col(Thread.tenant_id) == tenant_id,
                or_(col(Thread.conversation_key).in_(keys), col(Thread.customer_id).in_(authors)),
            )
        )

    async def delete_chats(self, tenant_id: str, sessions: Collection[str], emails: Collection[str]) -> None:
        """Delete these live-chat sessions, and those of these visitor e-mail addresses, with their
        replies."""
        query = select(col(ChatSession.id)).where(
            col(ChatSession.tenant_id) == tenant_id,
            or_(col(ChatSession.id).in_(sessions), col(ChatSession.visitor_email).in_(emails)),
        )
        conn = await self.session.connection()
        found = list((await conn.execute(query)).scalars().all())
        if not found:
            return
        await conn.execute(delete(ChatReply).where(col(ChatReply.session_id).in_(found)))
        await conn.execute(delete(ChatSession).where(col(ChatSession.id).in_(found)))


def _of(identities: Sequence[customers_pb2.Identity], *channels: str) -> set[str]:
    return {i.external_id for i in identities if i.channel in channels}


async def erase(uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Erase what ingest keeps of an erased customer and announce the ids of their messages."""
    identities = list(event.identities)
    keys = set(event.conversation_keys) | {f"{i.channel}:{i.external_id}" for i in identities}
    repo = ErasureRepository(uow.session)
    message_ids = await repo.erase_messages(event.tenant_id, keys)
    await repo.delete_threads(event.tenant_id, keys, {i.external_id for i in identities})
    emails = {address.lower() for address in _of(identities, "email")}
    await repo.delete_chats(event.tenant_id, _of(identities, "chat"), emails)
    announced = new_event(
        customers_pb2.CustomerMessagesErased,
        tenant_id=event.tenant_id,
        customer_id=event.customer_id,
        erasure_id=event.event_id,
        message_ids=message_ids,
    )
    uow.emit(announced, key=event.customer_id)


async def export(uow: UnitOfWork, event: customers_pb2.CustomerExportRequested) -> None:
    """Answer an export request with what ingest keeps of the customer."""
    identities = list(event.identities)
    keys = set(event.conversation_keys) | {f"{i.channel}:{i.external_id}" for i in identities}
    repo = ErasureRepository(uow.session)
    messages = await repo.messages(event.tenant_id, keys)
    deliveries = await repo.deliveries(
        event.tenant_id, {m.delivery_id for m in messages if m.delivery_id}, keys
    )
    threads = await repo.threads(event.tenant_id, keys, {i.external_id for i in identities})
    emails = {address.lower() for address in _of(identities, "email")}
    sessions, chat_replies = await repo.chats(event.tenant_id, _of(identities, "chat"), emails)
    document = {
        "messages": records(messages),
        "deliveries": deliveries,
        "threads": records(threads),
        "chat_sessions": records(sessions),
        "chat_replies": records(chat_replies),
    }
    emit_part(uow, event, service="ingest", document=document, message_kind="messages")
