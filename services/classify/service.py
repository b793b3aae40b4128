"""Classify's logic: decide about a received message and announce the decision."""

from __future__ import annotations

import logging

from webcare.v1 import common_pb2, messages_pb2

from services.classify.classifier import Classification, Classifier, fallback
from services.classify.models import (
    CategoryOut,
    ClassifyIn,
    ClassifyOut,
    MessageClassification,
    PrivateDataOut,
    SentimentOut,
)
from services.classify.repository import ClassificationRepository
from services.kit.events import new_event, now
from services.kit.uow import UnitOfWork

log = logging.getLogger(__name__)


async def classify_message(
    uow: UnitOfWork, classifier: Classifier, message: messages_pb2.MessageReceived
) -> MessageClassification:
    """Classify one received message, store the result and emit MessageClassified."""
    repo = ClassificationRepository(uow.session)
    found = await repo.get(message.message_id)
    if found is not None:
        return found
    try:
        result = classifier.classify(message.text, public=message.is_public)
    except Exception as exc:  # an unclassifiable message still leaves, flagged for a human
        log.exception("message %s could not be classified", message.message_id)
        result = fallback(type(exc).__name__)
    row = MessageClassification(
        message_id=message.message_id,
        tenant_id=message.tenant_id,
        language=result.language,
        sentiment_label=result.sentiment_label,
        sentiment_score=result.sentiment_score,
        category=result.category,
        confidence=result.confidence,
        urgency=result.urgency,
        needs_triage=result.needs_triage,
        model_version=result.model_version,
        classified_at=now(),
    )
    repo.add(row)
    uow.emit(_classified(message, result), key=message.conversation_key)
    return row


def _classified(
    message: messages_pb2.MessageReceived, result: Classification
) -> messages_pb2.MessageClassified:
    return new_event(
        messages_pb2.MessageClassified,
        tenant_id=message.tenant_id,
        message_id=message.message_id,
        message=message,
        language=result.language,
        sentiment=common_pb2.Sentiment(label=result.sentiment_label, score=result.sentiment_score),
        category=common_pb2.Category(
            primary=result.category, confidence=result.confidence, secondary=list(result.secondary)
        ),
        urgency=result.urgency,
        skills=list(result.skills),
        needs_triage=result.needs_triage,
        model_version=result.model_version,
        private_data=[
            common_pb2.PrivateData(kind=f.kind, start=f.start, end=f.end) for f in result.private_data
        ],
        redacted_preview=result.redacted_preview,
        move_to_private=result.move_to_private,
    )


def classify_text(classifier: Classifier, data: ClassifyIn) -> ClassifyOut:
    """Classify a text for a caller, publishing nothing."""
    result = classifier.classify(data.text, public=data.public)
    return ClassifyOut(
        language=result.language,
        sentiment=SentimentOut(label=result.sentiment_label, score=result.sentiment_score),
        category=CategoryOut(
            primary=result.category, confidence=result.confidence, secondary=list(result.secondary)
        ),
        urgency=result.urgency,
        skills=list(result.skills),
        private_data=[PrivateDataOut(kind=f.kind, start=f.start, end=f.end) for f in result.private_data],
        redacted_preview=result.redacted_preview,
        move_to_private=result.move_to_private,
        needs_triage=result.needs_triage,
        model_version=result.model_version,
    )
