"""Channel adapters: how a reply leaves for a channel. The loopback adapter records what it would send."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from services.kit.ids import new_id


@dataclass(frozen=True)
class Outgoing:
    """A reply as a channel adapter gets it."""

    reply_id: str
    tenant_id: str
    channel: str
    channel_account_id: str
    recipient: str
    in_reply_to: str
    public: bool
    text: str
    idempotency_key: str = ""  # the same for every try of one reply
    # Which try this is: after the first, an earlier try may have reached the channel unheard.
    attempt: int = 1
    accepted_at: datetime | None = None  # when the reply was accepted: no try is older
    # The posts to send, in order: a numbered thread for a long public answer on X; empty: `text`.
    parts: tuple[str, ...] = ()
    # Outside Meta's 24-hour window: sent with the HUMAN_AGENT message tag (Messenger, Instagram).
    human_agent_tag: bool = False
    # E-mail: the subject to answer ("Re: " is added once) and the thread's Message-IDs, oldest first.
    subject: str = ""
    references: tuple[str, ...] = ()
    # WhatsApp outside the 24-hour window: an approved template, its language and body parameters.
    template_name: str = ""
    template_language: str = ""
    template_parameters: tuple[str, ...] = ()

    @property
    def posts(self) -> tuple[str, ...]:
        """What to send, post by post."""
        return self.parts or (self.text,)


class DeliveryError(Exception):
    """The channel refused the reply; `permanent` says whether trying again can help, and
    `retry_after` when the channel asked to wait (seconds)."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.retry_after = retry_after


class ChannelAdapter(Protocol):
    """Sends replies to one kind of channel."""

    async def send(self, message: Outgoing) -> str:
        """Deliver the reply; return the channel's id for it, or raise DeliveryError."""
        ...


@dataclass
class LoopbackAdapter:
    """Keeps what it would send, for the embedded mode, tests, and channels without an adapter yet."""

    sent: list[Outgoing] = field(default_factory=list)

    async def send(self, message: Outgoing) -> str:
        """Record the reply and give it a made-up channel id."""
        self.sent.append(message)
        return f"loopback-{new_id()}"
