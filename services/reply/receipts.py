"""Delivery receipts: what the channel reports of a sent reply (WhatsApp statuses, e-mail bounces)
moves it to delivered and read, or to failed after all. A bounce's receipt names the Message-ID of
the mail it is about; ingest and the mail sender both write it without angle brackets."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col, select
from webcare.v1 import replies_pb2

from services.kit.events import new_event, now, timestamp, to_datetime
from services.kit.runtime import Runtime
from services.kit.uow import UnitOfWork
from services.reply.channels.mail import CHANNEL as MAIL_CHANNEL
from services.reply.config import reply_settings
from services.reply.events import failed_event
from services.reply.models import PROGRESS, EarlyReceipt, Reply, ReplyStatus
from services.reply.repository import ReplyRepository


async def take(uow: UnitOfWork, event: replies_pb2.DeliveryReceipt) -> None:
    """A channel's receipt for a sent reply: delivered or read (never back), or failed after all. A
    receipt for an id reply has not recorded (yet) is kept until it has (see `apply_early`)."""
    reported = to_datetime(event.reported_at) if event.HasField("reported_at") else now()
    external_id = external_key(event.channel, event.external_id)
    reply = await ReplyRepository(uow.session).by_external_id(event.tenant_id, event.channel, external_id)
    if reply is not None:
        _apply_receipt(uow, reply, event.status, reported, reason=event.reason, error_code=event.error_code)
        return
    key = (event.tenant_id, event.channel, external_id[:256], event.status[:16])
    early = await uow.session.get(EarlyReceipt, key)
    if early is None:
        uow.session.add(
            EarlyReceipt(
                tenant_id=key[0],
                channel=key[1],
                external_id=key[2],
                status=key[3],
                reason=event.reason,
                error_code=event.error_code[:64],
                reported_at=reported,
                received_at=now(),
            )
        )


def external_key(channel: str, external_id: str) -> str:
    """A receipt's id as reply records the channel's id: a Message-ID without angle brackets (as the
    mail sender returns it), other channels' ids as they are."""
    if channel == MAIL_CHANNEL:
        return "".join(external_id.split()).strip("<>")
    return external_id


async def apply_early(uow: UnitOfWork, reply: Reply) -> None:
    """Apply the receipts that came before the reply's channel id was recorded, in order."""
    if not reply.external_id:
        return
    query = select(EarlyReceipt).where(
        EarlyReceipt.tenant_id == reply.tenant_id,
        EarlyReceipt.channel == reply.channel,
        EarlyReceipt.external_id == reply.external_id,
    )
    for early in sorted((await uow.session.exec(query)).all(), key=lambda r: r.reported_at):
        _apply_receipt(
            uow, reply, early.status, early.reported_at, reason=early.reason, error_code=early.error_code
        )
        await uow.session.delete(early)


def _apply_receipt(
    uow: UnitOfWork, reply: Reply, status: str, reported: datetime, *, reason: str, error_code: str
) -> None:
    if status == "failed":
        if reply.status != ReplyStatus.failed.value:
            reply.status = ReplyStatus.failed.value
            reply.failure_reason = reason or f"the channel reported error {error_code}"
            uow.emit(
                failed_event(reply, reason=reply.failure_reason, permanent=True), key=reply.conversation_id
            )
    elif status in ("delivered", "read") and PROGRESS.get(status, 0) > PROGRESS.get(reply.status, 9):
        reply.status = status
        if status == "delivered":
            reply.delivered_at = reported
        else:
            reply.read_at = reported
            reply.delivered_at = reply.delivered_at or reported
        uow.emit(
            new_event(
                replies_pb2.ReplyDelivered,
                tenant_id=reply.tenant_id,
                reply_id=reply.id,
                conversation_id=reply.conversation_id,
                agent_id=reply.agent_id,
                channel=reply.channel,
                external_id=reply.external_id or "",
                status=status,
                reported_at=timestamp(reported),
            ),
            key=reply.conversation_id,
        )
    uow.session.add(reply)


async def prune_early_receipts(rt: Runtime, moment: datetime) -> int:
    """Forget receipts no reply claimed within `reply_early_receipt_days` (messages not sent by reply)."""
    cutoff = moment - timedelta(days=reply_settings(rt).reply_early_receipt_days)
    async with rt.db.engine.begin() as conn:
        result = await conn.execute(delete(EarlyReceipt).where(col(EarlyReceipt.received_at) < cutoff))
    return int(result.rowcount or 0)
