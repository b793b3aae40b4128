"""Routing's settings."""

from __future__ import annotations

from pydantic import Field

from services.kit.config import SecretKeySettings
from services.kit.runtime import Runtime


class RoutingSettings(SecretKeySettings):
    """Settings of the routing service (WEBCARE_*)."""

    # An agent who is not offline and whose client sent no heartbeat (nor set the presence) for this
    # long goes offline by itself, so no conversation waits on a closed browser tab. 0: never.
    agent_heartbeat_timeout_seconds: float = Field(default=90.0, ge=0)
    # A customer who writes again this soon after their conversation was resolved reopens it (and
    # gets its last agent, if available) instead of starting a new one. 0: never.
    reopen_within_hours: float = Field(default=72.0, ge=0)
    # The CRM connector may name a CRM on a private network only where this is true (tests, a CRM on
    # premises); otherwise lookups go to public https addresses only. Its token is encrypted with the
    # secrets key (WEBCARE_SECRETS_KEY).
    routing_allow_private_networks: bool = False


def routing_settings(rt: Runtime) -> RoutingSettings:
    """Routing's settings: the runtime's, or read from the environment in the embedded app."""
    return rt.settings if isinstance(rt.settings, RoutingSettings) else RoutingSettings()
