"""Ingest's settings."""

from __future__ import annotations

from pydantic import Field

from services.kit.config import KitSettings, SecretKeySettings


class IngestSettings(SecretKeySettings):
    """Settings of the ingest service (WEBCARE_*)."""

    # A webhook delivery older than this (by the channel's signed timestamp) is refused as a replay.
    webhook_max_age_seconds: int = Field(default=900, ge=30)
    # Feeds are fetched from public addresses only, so a tenant's feed URL cannot reach the cluster's
    # inside (metadata services, databases); true only where feeds live on a private network.
    feed_allow_private_networks: bool = False
    # Raw deliveries are kept for audit this long; the messages they carried stay (without the raw body).
    delivery_retention_days: int = Field(default=90, ge=1)
    # Inbound e-mail arrives with its attachments: the largest body /v1/webhooks/email takes.
    email_max_body_bytes: int = Field(default=30 * 1024 * 1024, ge=1024)


def ingest_settings(settings: KitSettings) -> IngestSettings:
    """The ingest settings of a runtime (an embedded runtime carries only the kit's)."""
    return settings if isinstance(settings, IngestSettings) else IngestSettings()
