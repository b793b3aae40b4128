"""Classify's part of a customer's erasure: the texts it keeps of their messages.

Classify knows messages by id only, so it acts on ingest's CustomerMessagesErased. The
classifications stay (their categories are counted) but lose their text; corrections of those
messages, whose only worth is training on that text, are deleted. The recent contacts of the
customer's identities are deleted on CustomerErased.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import customers_pb2

from services.classify.models import Correction, MessageClassification, RecentContact
from services.kit.uow import UnitOfWork


class ErasureRepository:
    """The statements of an erasure at classify."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def clear_texts(self, tenant_id: str, message_ids: Collection[str]) -> None:
        """Empty the texts of these messages' classifications and delete their corrections."""
        conn = await self.session.connection()
        await conn.execute(
            update(MessageClassification)
            .where(
                col(MessageClassification.tenant_id) == tenant_id,
                col(MessageClassification.message_id).in_(message_ids),
            )
            .values(text="")
        )
        await conn.execute(
            delete(Correction).where(
                col(Correction.tenant_id) == tenant_id, col(Correction.message_id).in_(message_ids)
            )
        )

    async def delete_contacts(self, tenant_id: str, authors: Collection[str]) -> None:
        """Forget when these authors last wrote."""
        conn = await self.session.connection()
        await conn.execute(
            delete(RecentContact).where(
                col(RecentContact.tenant_id) == tenant_id, col(RecentContact.author).in_(authors)
            )
        )


async def erase_messages(uow: UnitOfWork, event: customers_pb2.CustomerMessagesErased) -> None:
    """Erase the texts classify keeps of an erased customer's messages."""
    if event.message_ids:
        await ErasureRepository(uow.session).clear_texts(event.tenant_id, list(event.message_ids))


async def erase_customer(uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Forget an erased customer's recent contacts."""
    authors = [f"{i.channel}:{i.external_id}"[:200] for i in event.identities]
    if authors:
        await ErasureRepository(uow.session).delete_contacts(event.tenant_id, authors)
