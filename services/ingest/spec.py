"""How the kernel runs ingest."""

from __future__ import annotations

from services.ingest.api import router
from services.ingest.channels import chat, email, feeds
from services.ingest.config import ingest_settings
from services.ingest.consumers import CONSUMERS
from services.ingest.models import metadata
from services.ingest.service import prune_deliveries
from services.kit.config import KitSettings
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
        body_limits=_body_limits,
        retention=(prune_deliveries,),
    )


def _body_limits(settings: KitSettings) -> dict[str, int]:
    # Inbound-parse services post a mail with its attachments (Mailgun allows 25 MB messages).
    return {"/v1/webhooks/email": ingest_settings(settings).email_max_body_bytes}
