"""Classify's settings."""

from __future__ import annotations

from services.kit.config import KitSettings


class ClassifySettings(KitSettings):
    """Settings of the classify service (WEBCARE_*)."""
