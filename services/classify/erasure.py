"""Classify's part of a customer's export and erasure: the texts it keeps of their messages.

Classify knows messages by id only, so its export answers each of ingest's export events with the
classifications and corrections of the messages named there (and, first, the recent contacts of the
customer's identities), numbered on from what it sent before (ExportProgress).

Classify knows messages by id only, so it acts on ingest's CustomerMessagesErased. The
classifications stay (their categories are counted) but lose their text; corrections of those
messages, whose only worth is training on that text, are deleted. The recent contacts of the
customer's identities are deleted on CustomerErased.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from webcare.v1 import customers_pb2

from services.classify.models import Correction, ExportProgress, MessageClassification, RecentContact
from services.kit.events import now
from services.kit.exports import emit_part, records
from services.kit.uow import UnitOfWork

SERVICE = "classify"


class ErasureRepository:
    """The statements of an erasure at classify."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def classifications(
        self, tenant_id: str, message_ids: Collection[str]
    ) -> tuple[Sequence[MessageClassification], Sequence[Correction]]:
        """The classifications of these messages and the corrections of them."""
        found = await self.session.exec(
            select(MessageClassification)
            .where(
                col(MessageClassification.tenant_id) == tenant_id,
                col(MessageClassification.message_id).in_(message_ids),
            )
            .order_by(col(MessageClassification.classified_at), col(MessageClassification.message_id))
        )
        corrections = await self.session.exec(
            select(Correction)
            .where(col(Correction.tenant_id) == tenant_id, col(Correction.message_id).in_(message_ids))
            .order_by(col(Correction.corrected_at), col(Correction.id))
        )
        return found.all(), corrections.all()

    async def contacts(self, tenant_id: str, authors: Collection[str]) -> Sequence[RecentContact]:
        """When these authors last wrote."""
        query = select(RecentContact).where(
            col(RecentContact.tenant_id) == tenant_id, col(RecentContact.author).in_(authors)
        )
        return (await self.session.exec(query)).all()

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


def _authors(identities: Sequence[customers_pb2.Identity]) -> list[str]:
    return [f"{i.channel}:{i.external_id}"[:200] for i in identities]


async def _progress(uow: UnitOfWork, tenant_id: str, export_id: str) -> ExportProgress:
    progress = await uow.session.get(ExportProgress, export_id, with_for_update=True)
    return progress or ExportProgress(export_id=export_id, tenant_id=tenant_id, updated_at=now())


async def export_contacts(uow: UnitOfWork, event: customers_pb2.CustomerExportRequested) -> None:
    """Begin classify's part of an export with the recent contacts of the customer's identities."""
    authors = _authors(event.identities)
    contacts = await ErasureRepository(uow.session).contacts(event.tenant_id, authors) if authors else []
    progress = await _progress(uow, event.tenant_id, event.export_id)
    progress.emitted += emit_part(
        uow,
        event,
        service=SERVICE,
        document={"recent_contacts": records(contacts)},
        first_sequence=progress.emitted,
        last=False,
    )
    progress.updated_at = now()
    uow.session.add(progress)


async def export_messages(uow: UnitOfWork, event: customers_pb2.CustomerDataExported) -> None:
    """Answer one of ingest's export events with the classifications of the messages it names; the
    part is complete with ingest's."""
    if event.service != "ingest":
        return
    repo = ErasureRepository(uow.session)
    ids = list(event.message_ids)
    found, corrections = await repo.classifications(event.tenant_id, ids) if ids else ([], [])
    progress = await _progress(uow, event.tenant_id, event.export_id)
    progress.emitted += emit_part(
        uow,
        event,
        service=SERVICE,
        document={"classifications": records(found), "corrections": records(corrections)},
        first_sequence=progress.emitted,
        last=event.last,
    )
    progress.updated_at = now()
    if event.last:
        if await uow.session.get(ExportProgress, event.export_id) is not None:
            await uow.session.delete(progress)
    else:
        uow.session.add(progress)


async def erase_customer(uow: UnitOfWork, event: customers_pb2.CustomerErased) -> None:
    """Forget an erased customer's recent contacts."""
    authors = _authors(event.identities)
    if authors:
        await ErasureRepository(uow.session).delete_contacts(event.tenant_id, authors)
