"""Reply's settings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.kit.config import SecretKeySettings
from services.kit.runtime import Runtime


class ReplySettings(SecretKeySettings):
    """Settings of the reply service (WEBCARE_*)."""

    # A reply the channel refused for now (429, 5xx, a timeout) is tried again after an exponential
    # backoff with jitter (or the channel's Retry-After), for this long; then it fails for good.
    reply_retry_for_seconds: float = Field(default=3600.0, ge=0)
    reply_retry_base_seconds: float = Field(default=1.0, gt=0)
    reply_retry_max_seconds: float = Field(default=300.0, gt=0)
    # A reply being sent by a process that then stopped is sent again after this long (with the same
    # idempotency key).
    reply_lease_seconds: float = Field(default=60.0, gt=0)
    # Replies sent at once per process, and per channel account per second (WhatsApp's default
    # throughput is 80 messages per second per business number).
    reply_concurrency: int = Field(default=64, ge=1)
    reply_rate_per_account: dict[str, float] = Field(
        default_factory=lambda: {"whatsapp": 80.0, "default": 20.0}
    )
    # Delivery accounts may name a channel API on a private network only where this is true (tests,
    # a channel gateway on premises); otherwise replies go to public https addresses only.
    reply_allow_private_networks: bool = False
    # A reply for a channel account without a delivery account: kept by the loopback adapter (the
    # embedded mode's stand-in for channels), or failed with what to register. Unset: loopback in
    # development, fail in production.
    reply_without_account: Literal["loopback", "fail"] | None = None
    # A delivery receipt for a message id reply has not recorded is kept this long, for the reply it
    # belongs to (the channel may answer before reply records the id); then it is dropped as not ours.
    reply_early_receipt_days: int = Field(default=7, ge=1)

    # Webhooks (CRM out): a receiver has this long to answer; a refusal (not 2xx, a timeout, no
    # connection) is tried again with exponential backoff and jitter for this long after the event,
    # then the delivery is dead (GET /v1/webhook-dead-letters).
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_for_seconds: float = Field(default=86400.0, ge=0)
    webhook_retry_base_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_max_seconds: float = Field(default=3600.0, gt=0)
    webhook_lease_seconds: float = Field(default=60.0, gt=0)
    # Deliveries in flight per process, and per subscription (one slow receiver never takes them all).
    webhook_concurrency: int = Field(default=32, ge=1)
    webhook_concurrency_per_subscription: int = Field(default=4, ge=1)

    def loopback_without_account(self) -> bool:
        """Whether replies for accounts without delivery credentials go to the loopback adapter."""
        if self.reply_without_account is None:
            return self.environment == "development"
        return self.reply_without_account == "loopback"


def reply_settings(rt: Runtime) -> ReplySettings:
    """Reply's settings: the runtime's, or read from the environment in the embedded app."""
    return rt.settings if isinstance(rt.settings, ReplySettings) else ReplySettings()
