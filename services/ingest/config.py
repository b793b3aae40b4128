"""Ingest's settings."""

from __future__ import annotations

from services.kit.config import KitSettings


class IngestSettings(KitSettings):
    """Settings of the ingest service (WEBCARE_*)."""
