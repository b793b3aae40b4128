"""How the kernel runs ingest."""

from __future__ import annotations

from services.ingest.api import router
from services.ingest.channels import chat, email, feeds
from services.ingest.consumers import CONSUMERS
from services.ingest.models import metadata
from services.kit.runtime import ServiceSpec


def spec() -> ServiceSpec:
    """Ingest's routes, tables, consumers, and the pollers of mailboxes and feeds."""
    return ServiceSpec(
        name="ingest",
        router=router,
        metadata=metadata,
        consumers=CONSUMERS,
        on_start=(email.start, feeds.start, chat.start),
        on_stop=(email.stop, feeds.stop, chat.stop),
    )
