"""Routing's settings."""

from __future__ import annotations

from services.kit.config import KitSettings


class RoutingSettings(KitSettings):
    """Settings of the routing service (WEBCARE_*)."""
