"""Replies on WhatsApp through the Cloud API (Graph) with the business's access token: a text quoting
the customer's message inside the 24-hour window, an approved template outside it."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from services.reply.adapters import Outgoing
from services.reply.channels.base import DeliveryAccount
from services.reply.channels.meta import FACEBOOK_BASE, answered_id, post_graph

CHANNEL = "whatsapp"
DEFAULT_BASE = FACEBOOK_BASE
RE_ENGAGEMENT = 131047

ADVICE = {
    RE_ENGAGEMENT: "more than 24 hours since the customer last wrote: send an approved template",
}


class WhatsAppSender:
    """Sends texts and approved templates from a WhatsApp Business phone number."""

    channel: ClassVar[str] = CHANNEL
    settings: ClassVar[tuple[str, ...]] = ("phone_number_id",)
    credentials: ClassVar[tuple[str, ...]] = ("access_token",)

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def send(self, message: Outgoing, account: DeliveryAccount) -> str:
        """Send the reply as a text, or as its template; the message's wamid."""
        path = f"{quote(account.settings['phone_number_id'], safe='')}/messages"
        answer = await post_graph(
            self.client,
            channel=CHANNEL,
            url=account.url(DEFAULT_BASE, path),
            account=account,
            payload=payload(message),
            advice=ADVICE,
        )
        return answered_id(_first_message_id(answer), channel=CHANNEL)


def payload(message: Outgoing) -> dict[str, Any]:
    """The Cloud API body for the reply: its template when it names one, else a text."""
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": message.recipient,
    }
    if message.template_name:
        template: dict[str, Any] = {
            "name": message.template_name,
            "language": {"code": message.template_language},
        }
        if message.template_parameters:
            parameters = [{"type": "text", "text": p} for p in message.template_parameters]
            template["components"] = [{"type": "body", "parameters": parameters}]
        return body | {"type": "template", "template": template}
    body |= {"type": "text", "text": {"preview_url": False, "body": message.text}}
    if message.in_reply_to:
        body["context"] = {"message_id": message.in_reply_to}
    return body


def _first_message_id(answer: Any) -> object:
    messages = answer.get("messages") if isinstance(answer, dict) else None
    first = messages[0] if isinstance(messages, list) and messages else None
    return first.get("id") if isinstance(first, dict) else None
