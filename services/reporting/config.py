"""Reporting's settings."""

from __future__ import annotations

from services.kit.config import KitSettings


class ReportingSettings(KitSettings):
    """Settings of the reporting service (WEBCARE_*)."""
