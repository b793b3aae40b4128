"""Every query of classify."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.classify.models import (
    ClassificationRule,
    Correction,
    MessageClassification,
    PrivateDataPattern,
    RecentContact,
    TaxonomyTopic,
    TenantModel,
    TenantRevision,
)
from services.kit.db import any_of
from services.kit.events import now


class ClassificationRepository:
    """Stored classifications and their corrections."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, message_id: str) -> MessageClassification | None:
        """The classification of a tenant's message, if it has one."""
        row = await self.session.get(MessageClassification, message_id)
        return row if row is not None and row.tenant_id == tenant_id else None

    async def known(self, message_ids: Collection[str]) -> set[str]:
        """Which of these messages are classified already."""
        conn = await self.session.connection()
        table = MessageClassification.__table__  # type: ignore[attr-defined]
        query = sa_select(table.c.message_id).where(any_of(table.c.message_id, message_ids, conn.dialect))
        return {row.message_id for row in await conn.execute(query)}

    def add(self, row: Correction) -> None:
        """Store a correction."""
        self.session.add(row)

    async def add_all(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store classifications (column values by name) in one statement."""
        if rows:
            conn = await self.session.connection()
            await conn.execute(sa_insert(MessageClassification.__table__), rows)  # type: ignore[attr-defined]

    async def corrections(self, tenant_id: str, message_id: str | None = None) -> Sequence[Correction]:
        """A tenant's corrections (of one message), oldest first."""
        query = select(Correction).where(Correction.tenant_id == tenant_id)
        if message_id is not None:
            query = query.where(Correction.message_id == message_id)
        return (
            await self.session.exec(query.order_by(col(Correction.corrected_at), col(Correction.id)))
        ).all()


class TenantRepository:
    """What tenants configured: revisions, taxonomies, rules, patterns and models."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def revisions(self, tenant_ids: Collection[str]) -> dict[str, TenantRevision]:
        """The revision rows of those of these tenants that configured anything."""
        query = select(TenantRevision).where(col(TenantRevision.tenant_id).in_(tenant_ids))
        return {row.tenant_id: row for row in (await self.session.exec(query)).all()}

    async def bump(self, tenant_id: str, *, taxonomy: bool = False, model_version: str | None = None) -> int:
        """Count a change of the tenant's configuration; lock its row until the transaction ends."""
        query = select(TenantRevision).where(TenantRevision.tenant_id == tenant_id).with_for_update()
        row = (await self.session.exec(query)).first()
        if row is None:
            row = TenantRevision(tenant_id=tenant_id, updated_at=now())
            self.session.add(row)
        row.revision += 1
        row.updated_at = now()
        row.own_taxonomy = row.own_taxonomy or taxonomy
        if model_version is not None:
            row.model_version = model_version
        await self.session.flush()
        return row.revision

    async def topics(self, tenant_id: str) -> Sequence[TaxonomyTopic]:
        """The tenant's own topics, by key."""
        query = select(TaxonomyTopic).where(TaxonomyTopic.tenant_id == tenant_id)
        return (await self.session.exec(query.order_by(col(TaxonomyTopic.key)))).all()

    async def topic(self, tenant_id: str, key: str) -> TaxonomyTopic | None:
        """One of the tenant's own topics."""
        return await self.session.get(TaxonomyTopic, (tenant_id, key))

    async def rules(self, tenant_id: str) -> Sequence[ClassificationRule]:
        """The tenant's rules in the order they apply."""
        query = select(ClassificationRule).where(ClassificationRule.tenant_id == tenant_id)
        order = (col(ClassificationRule.priority), col(ClassificationRule.id))
        return (await self.session.exec(query.order_by(*order))).all()

    async def rule(self, tenant_id: str, rule_id: str) -> ClassificationRule | None:
        """One of the tenant's rules."""
        row = await self.session.get(ClassificationRule, rule_id)
        return row if row is not None and row.tenant_id == tenant_id else None

    async def patterns(self, tenant_id: str) -> Sequence[PrivateDataPattern]:
        """The tenant's private-data patterns, by kind."""
        query = select(PrivateDataPattern).where(PrivateDataPattern.tenant_id == tenant_id)
        return (await self.session.exec(query.order_by(col(PrivateDataPattern.kind)))).all()

    async def pattern(self, tenant_id: str, pattern_id: str) -> PrivateDataPattern | None:
        """One of the tenant's private-data patterns."""
        row = await self.session.get(PrivateDataPattern, pattern_id)
        return row if row is not None and row.tenant_id == tenant_id else None

    async def model(self, version: str) -> TenantModel | None:
        """A tenant model by version."""
        return await self.session.get(TenantModel, version)

    def add(self, row: TaxonomyTopic | ClassificationRule | PrivateDataPattern | TenantModel) -> None:
        """Store a new row."""
        self.session.add(row)

    async def delete(self, row: TaxonomyTopic | ClassificationRule | PrivateDataPattern) -> None:
        """Remove a row."""
        await self.session.delete(row)


class ContactRepository:
    """When authors last wrote about what: one read and one upsert per batch."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def last(self, tenant_id: str, authors: Collection[str]) -> dict[tuple[str, str], datetime]:
        """When each of these authors of a tenant last wrote about each subject."""
        table = RecentContact.__table__  # type: ignore[attr-defined]
        conn = await self.session.connection()
        query = sa_select(table.c.author, table.c.subject, table.c.last_at).where(
            table.c.tenant_id == tenant_id, any_of(table.c.author, authors, conn.dialect)
        )
        return {(row.author, row.subject): row.last_at for row in await conn.execute(query)}

    async def note(self, tenant_id: str, contacts: Mapping[tuple[str, str], datetime]) -> None:
        """Record the latest contact of each (author, subject); one contact more for each."""
        if not contacts:
            return
        conn = await self.session.connection()
        table = RecentContact.__table__  # type: ignore[attr-defined]
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        statement = insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.tenant_id, table.c.author, table.c.subject],
            set_={"last_at": statement.excluded.last_at, "count": table.c.count + 1},
        )
        rows = [
            {"tenant_id": tenant_id, "author": author, "subject": subject, "last_at": at, "count": 1}
            for (author, subject), at in sorted(contacts.items())
        ]
        await conn.execute(statement, rows)
