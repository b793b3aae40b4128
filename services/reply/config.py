"""Reply's settings."""

from __future__ import annotations

from services.kit.config import KitSettings


class ReplySettings(KitSettings):
    """Settings of the reply service (WEBCARE_*)."""
