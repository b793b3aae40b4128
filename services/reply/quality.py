"""Quality review: a tenant's sample of sent replies waits for a supervisor's scorecard; scores and
the tone check's counts make each agent's coaching figures."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import col, select
from webcare.v1 import replies_pb2

from services.kit.errors import Conflict, NotFound, Unprocessable
from services.kit.events import new_event, now
from services.kit.ids import new_id
from services.kit.uow import UnitOfWork
from services.reply.models import QualityReview, Reply, ReplyStatus

SCORES = ("product_knowledge", "wording", "empathy")
SENT = (ReplyStatus.sent.value, ReplyStatus.delivered.value, ReplyStatus.read.value)
TOP_WORDS = 5
COACHING_DAYS = 30


class Scorecard(BaseModel):
    """A supervisor's scores of one reply, 1 (poor) to 5 (excellent)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"product_knowledge": 5, "wording": 4, "empathy": 3, "guideline_kept": True, "comment": ""}
            ]
        },
    )

    product_knowledge: int = PydanticField(ge=1, le=5)
    wording: int = PydanticField(ge=1, le=5)
    empathy: int = PydanticField(ge=1, le=5)
    guideline_kept: bool
    comment: str = PydanticField(default="", max_length=4000)


class ReviewOut(BaseModel):
    """A reply drawn for review, with its text, and the scorecard once scored."""

    id: str
    reply_id: str
    conversation_id: str
    agent_id: str
    status: Literal["open", "scored"]
    created_at: datetime
    text: str
    channel: str
    reviewer_id: str | None
    scored_at: datetime | None
    scores: dict[str, int] | None
    guideline_kept: bool | None
    comment: str | None


class AgentCoaching(BaseModel):
    """One agent's figures for coaching."""

    agent_id: str
    replies_sent: int
    negative_wording_replies: int = PydanticField(description="sent replies the tone check flagged")
    negative_wording_rate: float
    top_negative_words: list[str]
    reviews_scored: int
    average_scores: dict[str, float]
    guideline_kept_rate: float | None


def review_out(review: QualityReview, reply: Reply) -> ReviewOut:
    """The API's view of a review."""
    return ReviewOut(
        id=review.id,
        reply_id=review.reply_id,
        conversation_id=review.conversation_id,
        agent_id=review.agent_id,
        status=review.status,
        created_at=review.created_at,
        text=reply.text,
        channel=reply.channel,
        reviewer_id=review.reviewer_id,
        scored_at=review.scored_at,
        scores=review.scores,
        guideline_kept=review.guideline_kept,
        comment=review.comment,
    )


def maybe_sample(
    uow: UnitOfWork, reply: Reply, rate: float, rng: Callable[[], float] = random.random
) -> QualityReview | None:
    """Draw a sent reply for review with probability `rate`."""
    if rate <= 0 or rng() >= rate:
        return None
    review = QualityReview(
        id=new_id(),
        tenant_id=reply.tenant_id,
        reply_id=reply.id,
        conversation_id=reply.conversation_id,
        agent_id=reply.agent_id,
        created_at=now(),
    )
    uow.session.add(review)
    return review


async def listed(
    uow: UnitOfWork, tenant_id: str, *, status: str | None, agent_id: str | None, limit: int
) -> list[ReviewOut]:
    """A tenant's reviews, oldest first."""
    query = (
        select(QualityReview, Reply)
        .join(Reply, col(Reply.id) == col(QualityReview.reply_id))
        .where(QualityReview.tenant_id == tenant_id)
    )
    if status is not None:
        query = query.where(QualityReview.status == status)
    if agent_id is not None:
        query = query.where(QualityReview.agent_id == agent_id)
    query = query.order_by(col(QualityReview.created_at), col(QualityReview.id)).limit(limit)
    return [review_out(review, reply) for review, reply in (await uow.session.exec(query)).all()]


async def score(
    uow: UnitOfWork, tenant_id: str, review_id: str, *, reviewer_id: str, card: Scorecard
) -> ReviewOut:
    """Record a scorecard (once: 409 for a review scored before) and announce it (ReplyReviewed)."""
    review = await uow.session.get(QualityReview, review_id, with_for_update=True)
    if review is None or review.tenant_id != tenant_id:
        raise NotFound(f"no review {review_id}")
    if review.status == "scored":
        raise Conflict("this reply was scored already")
    reply = await uow.session.get(Reply, review.reply_id)
    assert reply is not None
    review.status = "scored"
    review.reviewer_id = reviewer_id
    review.scored_at = now()
    review.scores = {name: getattr(card, name) for name in SCORES}
    review.guideline_kept = card.guideline_kept
    review.comment = card.comment
    uow.session.add(review)
    uow.emit(
        new_event(
            replies_pb2.ReplyReviewed,
            tenant_id=tenant_id,
            review_id=review.id,
            reply_id=review.reply_id,
            conversation_id=review.conversation_id,
            agent_id=review.agent_id,
            reviewer_id=reviewer_id,
            product_knowledge=card.product_knowledge,
            wording=card.wording,
            empathy=card.empathy,
            guideline_kept=card.guideline_kept,
        ),
        key=review.conversation_id,
    )
    return review_out(review, reply)


async def coaching(
    uow: UnitOfWork,
    tenant_id: str,
    *,
    since: datetime | None,
    until: datetime | None,
    agent_id: str | None,
) -> list[AgentCoaching]:
    """Per agent, for replies sent in [since, until) (the last COACHING_DAYS by default): how many,
    how many with negative wording and which words most, and the average scores of the reviews of
    those replies."""
    until = until or now()
    since = since or until - timedelta(days=COACHING_DAYS)
    if since.tzinfo is None or until.tzinfo is None:
        raise Unprocessable("since and until need a time zone (…Z)", code="invalid_range")
    if since >= until:
        raise Unprocessable("since must be before until", code="invalid_range")
    query = select(Reply.agent_id, Reply.negative_words).where(
        Reply.tenant_id == tenant_id,
        col(Reply.status).in_(SENT),
        col(Reply.sent_at) >= since,
        col(Reply.sent_at) < until,
    )
    if agent_id is not None:
        query = query.where(Reply.agent_id == agent_id)
    sent: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    words: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for agent, negative in (await uow.session.exec(query)).all():
        sent[agent] += 1
        if negative:
            flagged[agent] += 1
            words[agent].update(negative)
    reviews = select(QualityReview).where(
        QualityReview.tenant_id == tenant_id,
        QualityReview.status == "scored",
        col(QualityReview.scored_at) >= since,
        col(QualityReview.scored_at) < until,
    )
    if agent_id is not None:
        reviews = reviews.where(QualityReview.agent_id == agent_id)
    cards: defaultdict[str, list[QualityReview]] = defaultdict(list)
    for review in (await uow.session.exec(reviews)).all():
        cards[review.agent_id].append(review)
    return [
        _coaching(agent, sent[agent], flagged[agent], words[agent], cards[agent])
        for agent in sorted(set(sent) | set(cards))
    ]


def _coaching(
    agent: str, sent: int, flagged: int, words: Counter[str], reviews: Sequence[QualityReview]
) -> AgentCoaching:
    scored = [review.scores or {} for review in reviews]
    kept = [review.guideline_kept for review in reviews if review.guideline_kept is not None]
    return AgentCoaching(
        agent_id=agent,
        replies_sent=sent,
        negative_wording_replies=flagged,
        negative_wording_rate=round(flagged / sent, 4) if sent else 0.0,
        top_negative_words=[word for word, _ in words.most_common(TOP_WORDS)],
        reviews_scored=len(reviews),
        average_scores={
            name: round(sum(card.get(name, 0) for card in scored) / len(scored), 2)
            for name in SCORES
            if scored
        },
        guideline_kept_rate=round(sum(kept) / len(kept), 4) if kept else None,
    )
