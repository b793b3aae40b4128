"""What every channel sender shares: the account it sends from, and how a channel's refusal becomes a
DeliveryError the dispatcher can act on (try again later, or fail with a reason the agent can act on)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

import httpx

from services.reply.adapters import DeliveryError, Outgoing

# How long one request to a channel may take before it counts as a refusal for now.
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class DeliveryAccount:
    """A channel account as reply sends from it: non-secret `settings` (page id, phone number id,
    SMTP host ...) and decrypted `credentials` (access tokens, passwords). `base_url` empty means the
    channel's documented address."""

    channel_account_id: str
    tenant_id: str
    channel: str
    base_url: str = ""
    settings: Mapping[str, str] = field(default_factory=dict)
    credentials: Mapping[str, str] = field(default_factory=dict)

    def url(self, default: str, path: str) -> str:
        """`path` under the account's base URL, or under the channel's default."""
        return (self.base_url or default).rstrip("/") + "/" + path.lstrip("/")

    def bearer(self, name: str = "access_token") -> dict[str, str]:
        """The Authorization header with the named credential as a bearer token."""
        return {"Authorization": f"Bearer {self.credentials[name]}"}


class ChannelSender(Protocol):
    """Sends replies to one channel. `settings` and `credentials` name what an account of this
    channel must have; the API refuses an account without them (422)."""

    channel: ClassVar[str]
    settings: ClassVar[tuple[str, ...]]
    credentials: ClassVar[tuple[str, ...]]

    async def send(self, message: Outgoing, account: DeliveryAccount) -> str:
        """Deliver the reply; the channel's id for it (the first post's, for a thread), or raise
        DeliveryError."""
        ...


def retry_after(response: httpx.Response, *, clock: float | None = None) -> float | None:
    """Seconds the channel asked to wait: `Retry-After` (seconds or an HTTP date), or X's
    `x-rate-limit-reset` (epoch seconds)."""
    moment = time.time() if clock is None else clock
    value = response.headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            return max(0.0, when.timestamp() - moment)
    reset = response.headers.get("x-rate-limit-reset")
    if reset:
        try:
            return max(0.0, float(reset) - moment)
        except ValueError:
            return None
    return None


def refusal(response: httpx.Response, *, channel: str, reason: str = "") -> DeliveryError:
    """The DeliveryError for a channel's error response: 408, 425, 429 and 5xx are for now (with the
    channel's Retry-After), 401 and 403 mean the credentials need renewing, other 4xx are for good.
    `reason` is the channel's own error message, when the caller parsed one."""
    status = response.status_code
    said = f": {reason}" if reason else ""
    if status in (408, 425, 429) or status >= 500:
        return DeliveryError(
            f"{channel} answered {status} (try again later){said}",
            permanent=False,
            retry_after=retry_after(response),
        )
    if status in (401, 403):
        return DeliveryError(
            f"{channel} refused the account's credentials ({status}){said}; renew the access token "
            "of the delivery account",
            permanent=True,
        )
    return DeliveryError(f"{channel} refused the reply ({status}){said}", permanent=True)


def unreachable(channel: str, exc: httpx.HTTPError) -> DeliveryError:
    """A network error or timeout: for now."""
    return DeliveryError(f"could not reach {channel}: {type(exc).__name__}", permanent=False)
