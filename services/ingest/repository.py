"""Every query of ingest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.ingest.models import ChannelAccount, Delivery, InboundMessage, Thread
from services.kit.db import any_of


class MessageRepository:
    """Accepted channel messages and the threads they belong to."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, *, tenant_id: str, channel: str, external_id: str) -> InboundMessage | None:
        """The accepted message with this channel id, if any."""
        query = select(InboundMessage).where(
            InboundMessage.tenant_id == tenant_id,
            InboundMessage.channel == channel,
            InboundMessage.external_id == external_id,
        )
        return (await self.session.exec(query)).first()

    async def insert_deliveries(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert raw deliveries (one statement for a batch, without the ORM's per-object work)."""
        if rows:
            conn = await self.session.connection()
            await conn.execute(Delivery.__table__.insert(), list(rows))  # type: ignore[attr-defined]

    async def insert_new(self, rows: Sequence[dict[str, Any]]) -> set[tuple[str, str, str]]:
        """Insert the messages not seen before; return (tenant, channel, external id) of those inserted.

        One statement with ON CONFLICT DO NOTHING: a delivery racing another with the same message
        waits for it on the unique key and then finds the message taken, so exactly one publishes it.
        The rows must not repeat a key among themselves.
        """
        if not rows:
            return set()
        conn = await self.session.connection()
        table = InboundMessage.__table__  # type: ignore[attr-defined]
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        statement = (
            insert(table)
            .on_conflict_do_nothing(index_elements=[table.c.tenant_id, table.c.channel, table.c.external_id])
            .returning(table.c.tenant_id, table.c.channel, table.c.external_id)
        )
        # Executed with many parameter sets, SQLAlchemy sends them as multi-row INSERTs of a size the
        # driver accepts ("insertmanyvalues") and keeps the statement compiled.
        inserted = {
            (row.tenant_id, row.channel, row.external_id) for row in await conn.execute(statement, list(rows))
        }
        return inserted

    async def thread_customers(
        self, tenant_id: str, owners: dict[str, tuple[str, datetime]]
    ) -> dict[str, str]:
        """Each thread's customer: the stored one, or the given (author, time) for a new thread."""
        if not owners:
            return {}
        conn = await self.session.connection()
        table = Thread.__table__  # type: ignore[attr-defined]
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        statement = insert(table).on_conflict_do_nothing(
            index_elements=[table.c.tenant_id, table.c.conversation_key]
        )
        await conn.execute(
            statement,
            [
                {"tenant_id": tenant_id, "conversation_key": key, "customer_id": who, "created_at": at}
                for key, (who, at) in sorted(owners.items())
            ],
        )
        query = sa_select(table.c.conversation_key, table.c.customer_id).where(
            table.c.tenant_id == tenant_id, any_of(table.c.conversation_key, owners, conn.dialect)
        )
        return {row.conversation_key: row.customer_id for row in await conn.execute(query)}


class AccountRepository:
    """Channel accounts."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_route(self, route_key: str) -> ChannelAccount | None:
        """The account a delivery's own ids map to."""
        query = select(ChannelAccount).where(ChannelAccount.route_key == route_key)
        return (await self.session.exec(query)).first()

    async def by_verify_digest(self, channels: Sequence[str], digest: str) -> ChannelAccount | None:
        """The account whose verify token has this SHA-256."""
        query = select(ChannelAccount).where(
            col(ChannelAccount.channel).in_(channels), ChannelAccount.verify_digest == digest
        )
        return (await self.session.exec(query)).first()

    async def of_channel(
        self, channels: Sequence[str], *, tenant_id: str | None = None
    ) -> list[ChannelAccount]:
        """The enabled accounts on these channels (of one tenant, or of all)."""
        query = select(ChannelAccount).where(
            col(ChannelAccount.channel).in_(channels), col(ChannelAccount.enabled).is_(True)
        )
        if tenant_id is not None:
            query = query.where(ChannelAccount.tenant_id == tenant_id)
        return list(await self.session.exec(query.order_by(col(ChannelAccount.id))))

    async def get(self, tenant_id: str, account_id: str) -> ChannelAccount | None:
        """One of a tenant's accounts."""
        account = await self.session.get(ChannelAccount, account_id)
        return account if account is not None and account.tenant_id == tenant_id else None

    async def list(self, tenant_id: str, *, channel: str | None = None) -> list[ChannelAccount]:
        """A tenant's accounts."""
        query = select(ChannelAccount).where(ChannelAccount.tenant_id == tenant_id)
        if channel is not None:
            query = query.where(ChannelAccount.channel == channel)
        return list(await self.session.exec(query.order_by(col(ChannelAccount.id))))
