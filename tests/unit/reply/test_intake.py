"""Answers that come at the same time are accepted in one transaction (intake.py), and each still
gets its own answer: a blocked one is refused alone, an unknown conversation is a 404 alone, and a
repeated Idempotency-Key within the group gets the first reply back."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event

from services.kit.runtime import Runtime
from tests.unit.conftest import ADMIN_KEY, Api
from tests.unit.reply.test_dispatch import Scripted
from tests.unit.reply.test_reply_flow import channel, conversation, reply_runtime

__all__ = ["channel"]  # the fixture, used by name


def watch_inserts(rt: Runtime) -> list[int]:
    """For each INSERT into replies, how many transactions had committed before it."""
    commits = 0
    inserts: list[int] = []

    def committed(*_: Any) -> None:
        nonlocal commits
        commits += 1

    def executed(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO REPLIES"):
            inserts.append(commits)

    event.listen(rt.db.engine.sync_engine, "commit", committed)
    event.listen(rt.db.engine.sync_engine, "before_cursor_execute", executed)
    return inserts


async def test_concurrent_answers_share_one_transaction_and_each_gets_its_own_answer(
    api: Api, channel: Scripted
) -> None:
    for n in range(4):
        await conversation(api, f"conv-{n}")
    await conversation(api, "conv-public", channel="facebook", is_public=True)
    inserts = watch_inserts(reply_runtime(api))

    def post(conversation_id: str, text: str, key: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {ADMIN_KEY}"} | ({"Idempotency-Key": key} if key else {})
        return api.client.post(
            f"/v1/conversations/{conversation_id}/replies", json={"text": text}, headers=headers
        )

    answers = await asyncio.gather(
        post("conv-0", "Wir kümmern uns darum."),
        post("conv-1", "Danke für Ihre Geduld!", key="same-key"),
        post("conv-public", "Ihre IBAN DE89 3704 0044 0532 0130 00 ist hinterlegt."),
        post("conv-unknown", "Hallo?"),
        post("conv-1", "Danke für Ihre Geduld!", key="same-key"),
        post("conv-3", "We are on it."),
    )
    codes = [answer.status_code for answer in answers]
    assert codes == [201, 201, 422, 404, 200, 201], [answer.text for answer in answers]
    assert answers[2].json()["error"] == "reply_blocked"
    assert answers[4].json()["id"] == answers[1].json()["id"]  # the first reply, not a second one
    assert [answer.json()["status"] for answer in answers if answer.status_code == 201] == ["sent"] * 3
    assert len(inserts) == 3 and len(set(inserts)) == 1  # three new replies, one transaction
    assert sorted(sent.text for sent in channel.sent) == sorted(
        ["Wir kümmern uns darum.", "Danke für Ihre Geduld!", "We are on it."]
    )
