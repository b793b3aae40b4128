"""The channels replies are sent to, one sender each (see base.py)."""

from __future__ import annotations

import httpx

from services.reply.channels.base import ChannelSender
from services.reply.channels.mail import MailSender
from services.reply.channels.meta import FacebookSender, InstagramSender
from services.reply.channels.reviews import ReviewSender
from services.reply.channels.whatsapp import WhatsAppSender
from services.reply.channels.x import XSender


def senders(http: httpx.AsyncClient) -> dict[str, ChannelSender]:
    """Every channel's sender, by channel, sharing one HTTP client."""
    found: list[ChannelSender] = [
        FacebookSender(http),
        InstagramSender(http),
        WhatsAppSender(http),
        XSender(http),
        ReviewSender(http),
        MailSender(),
    ]
    return {sender.channel: sender for sender in found}
