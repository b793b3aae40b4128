"""Routing's settings."""

from __future__ import annotations

from pydantic import Field

from services.kit.config import KitSettings


class RoutingSettings(KitSettings):
    """Settings of the routing service (WEBCARE_*)."""

    # An agent who is not offline and whose client sent no heartbeat (nor set the presence) for this
    # long goes offline by itself, so no conversation waits on a closed browser tab. 0: never.
    agent_heartbeat_timeout_seconds: float = Field(default=90.0, ge=0)
