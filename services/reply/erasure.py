"""Reply's part of a customer's erasure: its views of their conversations, the answers sent to them and
the webhook bodies about them.

The rows stay (a reply counts in agents' statistics and reviews, a delivery in a subscription's
history); what names the customer or quotes what was said is removed.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import or_, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import customers_pb2

from services.kit.uow import UnitOfWork
from services.reply.models import ConversationView, Reply, WebhookDelivery

ERASED_TEXT = "[gelöscht / erased]"
ERASED_BODY = '{"erased": true}'
MIN_NEEDLE = 6  # shorter ids than this are not looked for in webhook bodies: they would match others


class ErasureRepository:
    """The statements of an erasure at reply."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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


async def erase(uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Erase what reply keeps of an erased customer's conversations."""
    repo = ErasureRepository(uow.session)
    conversations = list(event.conversation_ids)
    if conversations:
        await repo.clear_views(event.tenant_id, conversations)
        await repo.clear_replies(event.tenant_id, conversations)
    ids = [i.external_id for i in event.identities]
    needles = {n for n in (*conversations, *event.conversation_keys, *ids) if len(n) >= MIN_NEEDLE}
    if needles:
        await repo.clear_webhook_bodies(event.tenant_id, needles)
