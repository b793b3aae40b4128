"""Rebuilding the read models from the topics' beginning: `webcare rebuild reporting`.

With reporting stopped, its consumer group is moved back to the first record of every partition,
then the read models and the group's handled-event marks are cleared. Started again, reporting folds
every event once more into the same facts (the folds are upserts). In this order a failure half way
loses nothing: offsets moved back with the tables still full only fold events already folded (the
handled marks skip them). Survey answers and the public-sharing choice came through the API, not
from the topics: they are kept.
"""

from __future__ import annotations

import logging

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import delete

from services.kit.bus.kafka import KafkaConfig
from services.kit.config import KitSettings
from services.kit.db import Database, inbox
from services.kit.runtime import kafka_config
from services.reporting.consumers import CONSUMERS
from services.reporting.models import (
    AgentReplyFact,
    ConversationDuration,
    ConversationFact,
    ConversationRollup,
    MessageFact,
    MessageRollup,
    ReviewFact,
)

log = logging.getLogger(__name__)

READ_MODELS = (
    MessageFact,
    MessageRollup,
    ConversationFact,
    ConversationRollup,
    ConversationDuration,
    AgentReplyFact,
    ReviewFact,
)
IDLE_STATES = ("Empty", "Dead", "")


class StillRunning(RuntimeError):
    """Reporting still consumes: stop it first."""


def groups(settings: KitSettings) -> dict[str, tuple[str, ...]]:
    """Reporting's consumer groups and their topics."""
    return {f"{settings.consumer_group_prefix}-reporting-{c.name}": c.topics for c in CONSUMERS}


async def rebuild(settings: KitSettings) -> dict[str, int]:
    """Move reporting's consumer groups back to the beginning and clear its read models; the rows
    deleted per table."""
    config = kafka_config(settings)
    admin = AIOKafkaAdminClient(**config.client_args())
    await admin.start()
    try:
        await _refuse_active(admin, list(groups(settings)))
        topics = {topic for names in groups(settings).values() for topic in names}
        partitions = {
            found["topic"]: sorted(p["partition"] for p in found["partitions"])
            for found in await admin.describe_topics(sorted(topics))
            if not found.get("error_code")
        }
    finally:
        await admin.close()
    for group, names in groups(settings).items():
        await _rewind(config, group, [TopicPartition(t, p) for t in names for p in partitions.get(t, [])])
    database = Database(settings.database_url_for("reporting"))
    deleted: dict[str, int] = {}
    try:
        async with database.engine.begin() as conn:
            for table in READ_MODELS:
                result = await conn.execute(delete(table))
                deleted[table.__tablename__] = int(result.rowcount or 0)
            result = await conn.execute(delete(inbox).where(inbox.c.consumer.in_(list(groups(settings)))))
            deleted["handled events"] = int(result.rowcount or 0)
    finally:
        await database.engine.dispose()
    return deleted


async def _refuse_active(admin: AIOKafkaAdminClient, names: list[str]) -> None:
    # One group per request: aiokafka cannot read the answer about several busy groups at once.
    for name in names:
        for response in await admin.describe_consumer_groups([name]):
            for group in response.groups:
                _, found, state, *_ = group
                if state not in IDLE_STATES:
                    raise StillRunning(f"the consumer group {found} is {state}: stop reporting, then rebuild")


async def _rewind(config: KafkaConfig, group: str, partitions: list[TopicPartition]) -> None:
    if not partitions:
        return
    consumer = AIOKafkaConsumer(**config.client_args(), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        beginning = await consumer.beginning_offsets(partitions)
        await consumer.commit(beginning)
        log.info("%s moved back to the beginning of %d partitions", group, len(partitions))
    finally:
        await consumer.stop()
