"""Where the API's new answers are accepted: those that come at the same time, in one transaction.

Each answer is one short transaction (read the conversation and the tenant's policy, insert the
reply); its fixed cost (a pooled connection, BEGIN, COMMIT, the session) was the largest share of
reply's CPU per answer. Answers that arrive while a transaction is under way are accepted together in
the next one (kit/batching.py); an answer refused for its own reasons (a conversation not found, a
blocking check) is refused alone, and a database error makes each answer be accepted on its own.
"""

from __future__ import annotations

import functools

from services.kit.batching import GroupCommit
from services.kit.runtime import Runtime
from services.reply.dispatch import dispatcher
from services.reply.models import Reply
from services.reply.service import ReplyRequest, accept_replies

GROUP = 64  # answers accepted in one transaction at most

Intake = GroupCommit[ReplyRequest, tuple[Reply, bool]]


def start(rt: Runtime) -> None:
    """Take answers for the runtime's dispatcher (started before)."""
    rt.state["intake"] = GroupCommit(
        functools.partial(accept_replies, rt, lease=dispatcher(rt).lease), max_batch=GROUP
    )


def intake(rt: Runtime) -> Intake:
    """The runtime's intake."""
    found = rt.state["intake"]
    assert isinstance(found, GroupCommit)
    return found
