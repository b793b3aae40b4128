"""Reply's part of a customer's export and erasure: its views of their conversations, the answers sent
to them and the webhook bodies about them.

The export holds those views, the replies of the customer's conversations and the webhook deliveries
about them (to the tenant's CRM), with their bodies.

The rows stay (a reply counts in agents' statistics and reviews, a delivery in a subscription's
history); what names the customer or quotes what was said is removed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import customers_pb2

from services.kit.exports import emit_part, records
from services.kit.uow import UnitOfWork
from services.reply.models import ConversationView, Reply, WebhookDelivery

ERASED_TEXT = "[gelöscht / erased]"
ERASED_BODY = '{"erased": true}'
MIN_NEEDLE = 6  # shorter ids than this are not looked for in webhook bodies: they would match others


class ErasureRepository:
    """The statements of an erasure at reply."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def views(self, tenant_id: str, conversation_ids: Collection[str]) -> Sequence[ConversationView]:
        """Reply's views of these conversations."""
        query = select(ConversationView).where(
            col(ConversationView.tenant_id) == tenant_id, col(ConversationView.id).in_(conversation_ids)
        )
        return (await self.session.exec(query)).all()

    async def replies(self, tenant_id: str, conversation_ids: Collection[str]) -> Sequence[Reply]:
        """The answers in these conversations, oldest first."""
        query = (
            select(Reply)
            .where(col(Reply.tenant_id) == tenant_id, col(Reply.conversation_id).in_(conversation_ids))
            .order_by(col(Reply.created_at), col(Reply.id))
        )
        return (await self.session.exec(query)).all()

    async def webhook_deliveries(self, tenant_id: str, needles: Collection[str]) -> Sequence[WebhookDelivery]:
        """The webhook deliveries whose bodies mention any of these ids."""
        query = select(WebhookDelivery).where(
            col(WebhookDelivery.tenant_id) == tenant_id,
            or_(*(col(WebhookDelivery.body).contains(needle, autoescape=True) for needle in needles)),
        )
        return (await self.session.exec(query)).all()

    async def clear_views(self, tenant_id: str, conversation_ids: Collection[str]) -> None:
        """Forget who the customer of these conversations is and what they wrote about."""
        conn = await self.session.connection()
        await conn.execute(
            update(ConversationView)
            .where(
                col(ConversationView.tenant_id) == tenant_id, col(ConversationView.id).in_(conversation_ids)
            )
            .values(customer_id="", customer_name="", subject="", references=None)
        )

    async def clear_replies(self, tenant_id: str, conversation_ids: Collection[str]) -> None:
        """Replace the text and the recipient of the answers in these conversations."""
        conn = await self.session.connection()
        await conn.execute(
            update(Reply)
            .where(col(Reply.tenant_id) == tenant_id, col(Reply.conversation_id).in_(conversation_ids))
            .values(
                text=ERASED_TEXT,
                recipient="",
                parts=None,
                subject="",
                references=None,
                findings=None,
                template_parameters=None,
            )
        )

    async def clear_webhook_bodies(self, tenant_id: str, needles: Collection[str]) -> None:
        """Replace the bodies of the webhook deliveries that mention any of these ids."""
        conn = await self.session.connection()
        await conn.execute(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.tenant_id) == tenant_id,
                or_(*(col(WebhookDelivery.body).contains(needle, autoescape=True) for needle in needles)),
            )
            .values(body=ERASED_BODY)
        )


def _needles(
    event: customers_pb2.CustomerErased | customers_pb2.CustomerExportRequested, conversations: Sequence[str]
) -> set[str]:
    ids = [i.external_id for i in event.identities]
    return {n for n in (*conversations, *event.conversation_keys, *ids) if len(n) >= MIN_NEEDLE}


async def export(uow: UnitOfWork, event: customers_pb2.CustomerExportRequested) -> None:
    """Answer an export request with what reply keeps of the customer's conversations."""
    repo = ErasureRepository(uow.session)
    conversations = list(event.conversation_ids)
    needles = _needles(event, conversations)
    document = {
        "conversations": records(await repo.views(event.tenant_id, conversations)) if conversations else [],
        "replies": records(await repo.replies(event.tenant_id, conversations)) if conversations else [],
        "webhook_deliveries": records(await repo.webhook_deliveries(event.tenant_id, needles))
        if needles
        else [],
    }
    emit_part(uow, event, service="reply", document=document)


async def erase(uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Erase what reply keeps of an erased customer's conversations."""
    repo = ErasureRepository(uow.session)
    conversations = list(event.conversation_ids)
    if conversations:
        await repo.clear_views(event.tenant_id, conversations)
        await repo.clear_replies(event.tenant_id, conversations)
    needles = _needles(event, conversations)
    if needles:
        await repo.clear_webhook_bodies(event.tenant_id, needles)
