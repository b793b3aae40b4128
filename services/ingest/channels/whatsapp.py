"""WhatsApp Business (Cloud API) through Meta's webhooks: customer messages and delivery statuses.

A delivery's entries are WhatsApp Business accounts; each change names the business phone number
(`metadata.phone_number_id`) it is for, which is the registered account. Every conversation is one
person writing to one business number.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from services.ingest.accounts import Account
from services.ingest.channels import meta_common as common
from services.ingest.channels.base import Attachment, Author, Inbound, Parsed, Receipt
from services.ingest.channels.meta_common import RuntimeDep, epoch, ident, items, key, number, obj, text
from services.ingest.models import DeliveryAccepted
from services.kit.runtime import Runtime

CHANNEL = "whatsapp"
OBJECT = "whatsapp_business_account"
MEDIA = frozenset({"image", "document", "audio", "video", "sticker"})
STATUSES = frozenset({"sent", "delivered", "read", "failed"})
REPLIES = frozenset({"button_reply", "list_reply"})


def router() -> APIRouter:
    """The WhatsApp webhook: the subscription check and the deliveries."""
    api = APIRouter()

    @api.get(
        "/webhooks/whatsapp",
        response_class=PlainTextResponse,
        summary="WhatsApp's subscription check",
        description="Echoes `hub.challenge` when `hub.verify_token` is the verify token of a registered "
        "WhatsApp account; 403 otherwise, 400 when a parameter is missing.",
    )
    async def check(request: Request, rt: RuntimeDep) -> PlainTextResponse:
        return await common.subscription_check(rt, request, (CHANNEL,))

    @api.post(
        "/webhooks/whatsapp",
        summary="Take in a WhatsApp Cloud API delivery",
        description="Signed with `X-Hub-Signature-256` (HMAC-SHA256 of the body with the account's "
        "app_secret). Messages become MessageReceived, statuses DeliveryReceipt; answers once they "
        "are on the event bus. 401 for a missing or wrong signature, 404 when no phone number id in "
        "the delivery is registered.",
    )
    async def deliver(request: Request, rt: RuntimeDep) -> DeliveryAccepted:
        return await receive(rt, await request.body(), request.headers.get(common.SIGNATURE_HEADER))

    return api


async def receive(rt: Runtime, body: bytes, signature: str | None) -> DeliveryAccepted:
    """Verify, parse and accept one WhatsApp delivery."""
    data, name = common.delivery_of(body, CHANNEL)
    addressed: list[tuple[str, str, Any]] = []
    ignored = 0
    for raw_entry in items(data.get("entry")) if name == OBJECT else []:
        entry = obj(raw_entry)
        changes = items(entry.get("changes"))
        ignored += 0 if changes else 1
        for raw_change in changes:
            change = obj(raw_change)
            phone = ident(obj(obj(change.get("value")).get("metadata")).get("phone_number_id"))
            if phone:
                addressed.append((CHANNEL, phone, (entry.get("id"), change)))
            else:  # account-level events (template status, account updates) name no phone number
                ignored += 1
    if not addressed:
        return common.ignored_object(CHANNEL, data)
    return await common.receive(
        rt,
        label=CHANNEL,
        header=signature,
        body=body,
        slices=common.sliced(addressed),
        ignored=ignored,
        parse=parse,
        raw_of=lambda part: common.dumps({"object": name, "entry": _entries(part.parts)}),
    )


def _entries(parts: list[Any]) -> list[dict[str, Any]]:
    """A slice's changes under their entries again, for the audit copy of the delivery."""
    entries: dict[str, dict[str, Any]] = {}
    for entry_id, change in parts:
        label = ident(entry_id)
        entries.setdefault(label, {"id": label, "changes": []})["changes"].append(change)
    return list(entries.values())


def parse(account: Account, parts: list[Any]) -> Parsed:
    """The messages and receipts of the changes for one business phone number."""
    parsed = Parsed()
    for _, change in parts:
        value = obj(change.get("value"))
        messages, statuses = items(value.get("messages")), items(value.get("statuses"))
        if change.get("field") != "messages" or not (messages or statuses):
            parsed.ignored += 1  # other fields, and errors the platform reports about itself
            continue
        names = {
            wa_id: text(obj(contact.get("profile")).get("name"))
            for contact in map(obj, items(value.get("contacts")))
            if (wa_id := ident(contact.get("wa_id")))
        }
        for message in messages:
            inbound = _message(account, obj(message), names)
            if inbound is None:
                parsed.ignored += 1
            else:
                parsed.messages.append(inbound)
        for status in statuses:
            receipt = _receipt(obj(status))
            if receipt is None:
                parsed.ignored += 1
            else:
                parsed.receipts.append(receipt)
    return common.once_each(parsed)


def _message(account: Account, message: dict[str, Any], names: dict[str, str]) -> Inbound | None:
    sender, mid = ident(message.get("from")), ident(message.get("id"))
    conversation = key(CHANNEL, account.external_id, sender)
    content = _content(message)
    if not mid or not conversation or content is None:
        return None
    body, attachments = content
    return Inbound(
        external_id=mid,
        conversation_key=conversation,
        author=Author(id=sender, handle=f"+{sender}", name=names.get(sender, "")),
        text=body,
        public=False,
        in_reply_to=ident(obj(message.get("context")).get("id")),
        sent_at=epoch(message.get("timestamp")),
        attachments=attachments,
    )


def _content(message: dict[str, Any]) -> tuple[str, list[Attachment]] | None:
    """The text and attachments of a message; None for reactions, system notes and unsupported ones."""
    kind = message.get("type")
    if not isinstance(kind, str):
        return None
    part = obj(message.get(kind))
    if kind == "text":
        body = text(part.get("body"))
        return (body, []) if body else None
    if kind in MEDIA:
        media = Attachment(
            kind=kind,
            mime_type=text(part.get("mime_type")),
            url=common.url(part.get("url")),
            name=text(part.get("filename")),
            external_id=ident(part.get("id")),
        )
        return text(part.get("caption")), [media]
    if kind == "location":
        where = ", ".join(filter(None, (text(part.get("name")), text(part.get("address")))))
        place = Attachment(
            kind="location",
            url=common.url(part.get("url")),
            name=where,
            latitude=number(part.get("latitude")),
            longitude=number(part.get("longitude")),
        )
        return "", [place]
    if kind == "contacts":
        cards = [_contact(obj(card)) for card in items(message.get("contacts"))]
        return ("", cards) if cards else None
    if kind == "interactive":
        reply = part.get("type")
        title = text(obj(part.get(reply)).get("title")) if isinstance(reply, str) and reply in REPLIES else ""
        return (title, []) if title else None
    if kind == "button":
        label = text(part.get("text"))
        return (label, []) if label else None
    return None


def _contact(card: dict[str, Any]) -> Attachment:
    phone = obj(next(iter(items(card.get("phones"))), None))
    number_text = text(phone.get("phone"))
    return Attachment(
        kind="contact",
        name=text(obj(card.get("name")).get("formatted_name")),
        url=f"tel:{number_text}" if number_text else "",
        external_id=ident(phone.get("wa_id")),
    )


def _receipt(status: dict[str, Any]) -> Receipt | None:
    state, external_id = status.get("status"), ident(status.get("id"))
    if not isinstance(state, str) or state not in STATUSES or not external_id:
        return None
    error = obj(next(iter(items(status.get("errors"))), None))
    title = text(error.get("title")) or text(error.get("message"))
    details = text(obj(error.get("error_data")).get("details"))
    reason = ": ".join(filter(None, (title, details if details != title else "")))
    code = error.get("code")
    return Receipt(
        external_id=external_id,
        status=state,
        recipient=ident(status.get("recipient_id")),
        reported_at=epoch(status.get("timestamp")),
        reason=reason,
        error_code=ident(code) if not isinstance(code, bool) else "",
    )
