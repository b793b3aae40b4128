"""What is kept only for a while is deleted when its time is up, and nothing younger."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, insert, select

from services.ingest.channels.base import Author, Inbound, Parsed
from services.ingest.models import Delivery
from services.ingest.service import Raw, Source, accept
from services.kit.db import inbox
from services.kit.events import now
from services.kit.retention import prune_all
from tests.unit.conftest import Api


async def test_handled_event_ids_are_forgotten_after_the_inbox_retention(api: Api) -> None:
    rt = api.app.state.runtimes["reporting"]
    moment = now()
    old, young = moment - timedelta(days=15), moment - timedelta(days=13)
    async with rt.db.engine.begin() as conn:
        await conn.execute(
            insert(inbox),
            [
                {"consumer": "c", "event_id": "old", "processed_at": old},
                {"consumer": "c", "event_id": "young", "processed_at": young},
            ],
        )
    assert (await prune_all(rt, moment))["inbox"] == 1
    async with rt.db.engine.connect() as conn:
        left = {
            row.event_id
            for row in await conn.execute(select(inbox.c.event_id).where(inbox.c.consumer == "c"))
        }
    assert left == {"young"}


async def test_raw_deliveries_are_deleted_after_their_audit_time_and_their_messages_stay(api: Api) -> None:
    rt = api.app.state.runtimes["ingest"]
    message = Inbound(
        external_id="m1", conversation_key="x:1", author=Author(id="1"), text="Hallo", public=True
    )
    outcome = await accept(rt, Source(tenant_id="acme", channel="x"), Parsed(messages=[message]), Raw("{}"))
    table = Delivery.__table__  # type: ignore[attr-defined]

    async def deliveries() -> int:
        async with rt.db.engine.connect() as conn:
            return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())

    assert (await prune_all(rt, now() + timedelta(days=89)))["deliveries"] == 0
    assert await deliveries() == 1
    assert (await prune_all(rt, now() + timedelta(days=91)))["deliveries"] == 1
    assert await deliveries() == 0
    again = await accept(rt, Source(tenant_id="acme", channel="x"), Parsed(messages=[message]), Raw("{}"))
    assert again.duplicates == 1 and again.ids == outcome.ids  # the message itself is still known
