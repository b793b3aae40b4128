"""The e-mail webhook's table: tokens of signed deliveries already seen, to refuse replays."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Field, col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.ingest.models import Base
from services.kit.db import UtcDateTime


class EmailWebhookToken(Base, table=True):
    """A Mailgun-style delivery token used once; kept for the webhook's maximum age, then deleted."""

    __tablename__ = "email_webhook_tokens"

    token: str = Field(primary_key=True, max_length=256)
    channel_account_id: str = Field(max_length=64)
    seen_at: datetime = Field(sa_type=UtcDateTime, index=True)


async def first_use(
    session: AsyncSession, *, token: str, account_id: str, at: datetime, max_age: timedelta
) -> bool:
    """Record a delivery token; False when it was seen within `max_age` (a replay).

    Tokens older than `max_age` are deleted on the way: a delivery that old is refused by its
    timestamp anyway. Two deliveries of one token at once both pass here; the primary key lets
    only one of them commit.
    """
    await session.exec(delete(EmailWebhookToken).where(col(EmailWebhookToken.seen_at) < at - max_age))
    if await session.get(EmailWebhookToken, token) is not None:
        return False
    session.add(EmailWebhookToken(token=token, channel_account_id=account_id, seen_at=at))
    return True


async def forget(session: AsyncSession, token: str) -> None:
    """Drop a token again, so the channel's retry of a delivery that failed here is not a replay."""
    await session.exec(delete(EmailWebhookToken).where(col(EmailWebhookToken.token) == token))
