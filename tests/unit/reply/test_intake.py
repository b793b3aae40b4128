"""Answers that come at the same time are accepted in one transaction (intake.py), their replies
inserted in one statement, and each still gets its own answer: a blocked one is refused alone, an
unknown conversation is a 404 alone, a repeated Idempotency-Key within the group gets the first reply
back, and a key another process stored meanwhile fails only its own answer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import event

from services.kit.runtime import Runtime
from services.reply.repository import ReplyRepository
from tests.unit.conftest import ADMIN_KEY, Api
from tests.unit.reply.test_dispatch import Scripted
from tests.unit.reply.test_reply_flow import channel, conversation, reply_runtime

__all__ = ["channel"]  # the fixture, used by name


def watch_inserts(rt: Runtime) -> list[tuple[int, int]]:
    """For each INSERT into replies: how many transactions had committed before it, and its rows."""
    commits = 0
    inserts: list[tuple[int, int]] = []

    def committed(*_: Any) -> None:
        nonlocal commits
        commits += 1

    def executed(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO REPLIES"):
            inserts.append((commits, len(parameters) if many else 1))

    event.listen(rt.db.engine.sync_engine, "commit", committed)
    event.listen(rt.db.engine.sync_engine, "before_cursor_execute", executed)
    return inserts


def post(api: Api, conversation_id: str, text: str, key: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"} | ({"Idempotency-Key": key} if key else {})
    return api.client.post(
        f"/v1/conversations/{conversation_id}/replies", json={"text": text}, headers=headers
    )


async def test_concurrent_answers_share_one_transaction_and_each_gets_its_own_answer(
    api: Api, channel: Scripted
) -> None:
    for n in range(4):
        await conversation(api, f"conv-{n}")
    await conversation(api, "conv-public", channel="facebook", is_public=True)
    inserts = watch_inserts(reply_runtime(api))

    answers = await asyncio.gather(
        post(api, "conv-0", "Wir kümmern uns darum."),
        post(api, "conv-1", "Danke für Ihre Geduld!", key="same-key"),
        post(api, "conv-public", "Ihre IBAN DE89 3704 0044 0532 0130 00 ist hinterlegt."),
        post(api, "conv-unknown", "Hallo?"),
        post(api, "conv-1", "Danke für Ihre Geduld!", key="same-key"),
        post(api, "conv-3", "We are on it."),
    )
    codes = [answer.status_code for answer in answers]
    assert codes == [201, 201, 422, 404, 200, 201], [answer.text for answer in answers]
    assert answers[2].json()["error"] == "reply_blocked"
    assert answers[4].json()["id"] == answers[1].json()["id"]  # the first reply, not a second one
    assert [answer.json()["status"] for answer in answers if answer.status_code == 201] == ["sent"] * 3
    assert len(inserts) == 1 and inserts[0][1] == 3  # three new replies, one statement
    assert sorted(sent.text for sent in channel.sent) == sorted(
        ["Wir kümmern uns darum.", "Danke für Ihre Geduld!", "We are on it."]
    )


async def test_a_key_stored_by_another_process_meanwhile_fails_only_its_own_answer(
    api: Api, channel: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        await conversation(api, f"conv-{n}")
    assert (await post(api, "conv-1", "Danke!", key="taken")).status_code == 201

    async def not_seen_yet(self: ReplyRepository, tenant_id: str, key: str) -> None:
        return None  # the other process commits between this lookup and the insert

    monkeypatch.setattr(ReplyRepository, "by_idempotency_key", not_seen_yet)
    inserts = watch_inserts(reply_runtime(api))
    answers = await asyncio.gather(
        post(api, "conv-0", "Erste Antwort"),
        post(api, "conv-1", "Danke!", key="taken"),
        post(api, "conv-2", "Dritte Antwort"),
    )
    assert [answer.status_code for answer in answers] == [201, 409, 201], [a.text for a in answers]
    assert answers[1].json()["error"] == "conflict"
    assert inserts[0][1] == 3  # the group's insert failed, then each was inserted on its own
    assert [rows for _, rows in inserts[1:]] == [1, 1, 1]
    assert sorted(sent.text for sent in channel.sent) == ["Danke!", "Dritte Antwort", "Erste Antwort"]
