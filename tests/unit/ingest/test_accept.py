"""The accept path every channel shares: de-duplication, threads, text that survives, the raw delivery."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from webcare.v1 import messages_pb2

from services.ingest.channels.base import Author, Inbound, Parsed, json_body, text_of
from services.ingest.service import Raw, Source, accept
from services.kit.errors import Malformed
from services.kit.events import MESSAGE_RECEIVED
from tests.unit.conftest import Api

SOURCE = Source(tenant_id="acme", channel="facebook")


def comment(external_id: str, author: str, *, owner: str | None = None, text: str = "Hallo") -> Inbound:
    return Inbound(
        external_id=external_id,
        conversation_key="facebook:comment:c1",
        author=Author(id=author),
        text=text,
        public=True,
        thread_owner=owner,
    )


def received(api: Api) -> list[messages_pb2.MessageReceived]:
    return [e for e in api.published(MESSAGE_RECEIVED) if isinstance(e, messages_pb2.MessageReceived)]


async def test_one_message_twice_in_one_delivery_is_published_once(api: Api) -> None:
    rt = api.app.state.runtimes["ingest"]
    outcome = await accept(rt, SOURCE, Parsed(messages=[comment("c1", "a"), comment("c1", "a")]), Raw("{}"))
    assert (outcome.accepted, outcome.duplicates) == (1, 1)
    assert [e.external_id for e in received(api)] == ["c1"]


async def test_others_writing_in_a_public_thread_are_community_members(api: Api) -> None:
    rt = api.app.state.runtimes["ingest"]
    await accept(rt, SOURCE, Parsed(messages=[comment("c1", "kunde", owner="kunde")]), Raw("{}"))
    await accept(rt, SOURCE, Parsed(messages=[comment("c2", "helferin"), comment("c3", "kunde")]), Raw("{}"))
    flags = {e.external_id: e.community_member for e in received(api)}
    assert flags == {"c1": False, "c2": True, "c3": False}


async def test_the_raw_delivery_is_kept_and_named_by_its_messages(api: Api) -> None:
    rt = api.app.state.runtimes["ingest"]
    raw = '{"entry": "wie gesendet 🙂"}'
    await accept(rt, SOURCE, Parsed(messages=[comment("c1", "a")]), Raw(raw))
    (event,) = received(api)
    async with rt.db.sessions() as session:
        body = (
            await session.execute(
                text("SELECT body FROM deliveries WHERE id = :id"), {"id": event.delivery_id}
            )
        ).scalar_one()
    assert body == raw


def test_lone_surrogates_become_replacement_characters_and_the_rest_survives() -> None:
    assert text_of("a\ud800b 👋 مرحبا") == "a\ufffdb 👋 مرحبا"


def test_hostile_nesting_is_malformed_not_a_crash() -> None:
    with pytest.raises(Malformed):
        json_body(b"[" * 200_000 + b"]" * 200_000)


async def test_ids_no_column_can_hold_are_counted_not_a_crash_and_the_rest_is_taken(api: Api) -> None:
    rt = api.app.state.runtimes["ingest"]
    messages = [comment("x" * 300, "a"), comment("nul\x00id", "a"), comment("ok", "a")]
    outcome = await accept(rt, SOURCE, Parsed(messages=messages), Raw('{"raw": "with \x00 inside"}'))
    assert (outcome.accepted, outcome.ignored) == (1, 2)
    assert [e.external_id for e in received(api)] == ["ok"]


async def test_an_impossible_date_falls_back_to_the_time_of_receipt(api: Api) -> None:
    from datetime import datetime, timedelta, timezone

    rt = api.app.state.runtimes["ingest"]
    item = comment("c1", "a")
    item.sent_at = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    await accept(rt, SOURCE, Parsed(messages=[item]), Raw("{}"))
    (event,) = received(api)
    assert event.sent_at.seconds > 1_700_000_000


async def test_one_message_in_deliveries_arriving_together_is_published_once(api: Api) -> None:
    import asyncio

    rt = api.app.state.runtimes["ingest"]
    deliveries = [Parsed(messages=[comment(f"c{n % 5}", f"a{n}")]) for n in range(20)]
    outcomes = await asyncio.gather(*(accept(rt, SOURCE, parsed, Raw("{}")) for parsed in deliveries))
    assert sum(o.accepted for o in outcomes) == 5 and sum(o.duplicates for o in outcomes) == 15
    events = received(api)
    assert sorted(e.external_id for e in events) == [f"c{n}" for n in range(5)]
    ids = {e.external_id: e.message_id for e in events}
    assert all(o.ids[k] == ids[k] for o in outcomes for k in o.ids)
