"""Facebook pages (feed comments and posts, Messenger) and Instagram (comments, mentions, DMs) via Meta.

One webhook takes both: `object: "page"` deliveries are a Facebook page's (entry id = page id),
`object: "instagram"` ones an Instagram professional account's (entry id = its account id).
A comment and the replies to it form one public conversation; DMs are one conversation per person.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from services.ingest.accounts import Account
from services.ingest.channels import meta_common as common
from services.ingest.channels.base import Attachment, Author, Inbound, Parsed, Receipt, from_iso
from services.ingest.channels.meta_common import RuntimeDep, epoch, ident, items, key, number, obj, text
from services.ingest.models import DeliveryAccepted
from services.kit.runtime import Runtime

CHANNELS = ("facebook", "instagram")
OBJECTS = {"page": "facebook", "instagram": "instagram"}
FEED_ITEMS = frozenset({"comment", "post", "status", "photo", "video"})
INSTAGRAM_FIELDS = frozenset({"comments", "mentions"})
# Messenger's attachment types as the platform's kinds; others become "file".
ATTACHMENT_KINDS = {
    "image": "image",
    "video": "video",
    "audio": "audio",
    "file": "file",
    "location": "location",
    "fallback": "link",
    "share": "link",
    "story_mention": "link",
    "reel": "video",
    "ig_reel": "video",
    "post": "link",
    "ig_post": "link",
}


def router() -> APIRouter:
    """The Meta webhook: the subscription check and the deliveries."""
    api = APIRouter()

    @api.get(
        "/webhooks/meta",
        response_class=PlainTextResponse,
        summary="Meta's subscription check",
        description="Echoes `hub.challenge` when `hub.verify_token` is the verify token of a registered "
        "Facebook or Instagram account; 403 otherwise, 400 when a parameter is missing.",
    )
    async def check(request: Request, rt: RuntimeDep) -> PlainTextResponse:
        return await common.subscription_check(rt, request, CHANNELS)

    @api.post(
        "/webhooks/meta",
        summary="Take in a Facebook page or Instagram delivery",
        description="Signed with `X-Hub-Signature-256` (HMAC-SHA256 of the body with the account's "
        "app_secret). Answers once every message is on the event bus; 401 for a missing or wrong "
        "signature, 404 when the delivery names no registered account.",
    )
    async def deliver(request: Request, rt: RuntimeDep) -> DeliveryAccepted:
        return await receive(rt, await request.body(), request.headers.get(common.SIGNATURE_HEADER))

    return api


async def receive(rt: Runtime, body: bytes, signature: str | None) -> DeliveryAccepted:
    """Verify, parse and accept one Meta delivery."""
    data, name = common.delivery_of(body, "meta")
    channel, entries = OBJECTS.get(name), items(data.get("entry"))
    if channel is None:  # another object the app is subscribed to
        return common.ignored_object("meta", data)
    addressed = [
        (channel, account_id, entry) for entry in entries if (account_id := ident(obj(entry).get("id")))
    ]
    if not addressed:
        return common.ignored_object(channel, data)
    return await common.receive(
        rt,
        label=channel,
        header=signature,
        body=body,
        slices=common.sliced(addressed),
        ignored=len(entries) - len(addressed),
        parse=parse,
        raw_of=lambda part: common.dumps({"object": name, "entry": part.parts}),
    )


def parse(account: Account, entries: list[Any]) -> Parsed:
    """The messages and receipts of an account's entries."""
    parsed = Parsed()
    for raw_entry in entries:
        entry = obj(raw_entry)
        events, changes = items(entry.get("messaging")), items(entry.get("changes"))
        for event in events:
            _messaging(account, obj(event), parsed)
        for change in changes:
            _change(account, obj(change), epoch(entry.get("time")), parsed)
        # Messages another app has the thread for (handover protocol): that app answers them.
        standby = len(items(entry.get("standby")))
        parsed.ignored += standby or (0 if events or changes else 1)
    return common.once_each(parsed)


def _messaging(account: Account, event: dict[str, Any], parsed: Parsed) -> None:
    person = ident(obj(event.get("sender")).get("id"))
    message, postback, delivery = event.get("message"), event.get("postback"), event.get("delivery")
    if isinstance(message, dict) and (message.get("is_echo") is True or person == account.external_id):
        parsed.own += 1
    elif isinstance(delivery, dict):
        _delivered(person, delivery, parsed)
    else:
        sent_at = epoch(event.get("timestamp"))
        if isinstance(message, dict):
            inbound = _direct(account, person, message, sent_at)
        elif isinstance(postback, dict):
            inbound = _postback(account, person, postback, event.get("timestamp"), sent_at)
        else:  # read, reaction, optin, referral ...: nothing a person wrote
            inbound = None
        if inbound is None:
            parsed.ignored += 1
        else:
            parsed.messages.append(inbound)


def _direct(
    account: Account, person: str, message: dict[str, Any], sent_at: datetime | None
) -> Inbound | None:
    mid = ident(message.get("mid"))
    conversation = key(account.channel, "dm", account.external_id, person)
    if not mid or not conversation or message.get("is_deleted") or message.get("is_unsupported"):
        return None
    attachments = [a for a in (_attachment(obj(raw)) for raw in items(message.get("attachments"))) if a]
    body = text(message.get("text"))
    if not body and not attachments:
        return None
    return Inbound(
        external_id=mid,
        conversation_key=conversation,
        author=Author(id=person),
        text=body,
        public=False,
        in_reply_to=ident(obj(message.get("reply_to")).get("mid")),
        sent_at=sent_at,
        attachments=attachments,
    )


def _postback(
    account: Account, person: str, postback: dict[str, Any], timestamp: Any, sent_at: datetime | None
) -> Inbound | None:
    # Older postbacks carry no mid: the person and the time name the tap.
    at = int(number(timestamp))
    mid = ident(postback.get("mid")) or (ident(f"postback:{person}:{at}") if person and at > 0 else "")
    conversation = key(account.channel, "dm", account.external_id, person)
    if not mid or not conversation:
        return None
    return Inbound(
        external_id=mid,
        conversation_key=conversation,
        author=Author(id=person),
        text=text(postback.get("title")),
        public=False,
        sent_at=sent_at,
    )


def _delivered(person: str, delivery: dict[str, Any], parsed: Parsed) -> None:
    mids = [mid for mid in (ident(raw) for raw in items(delivery.get("mids"))) if mid]
    if not mids:  # a watermark alone names no message
        parsed.ignored += 1
    at = epoch(delivery.get("watermark"))
    parsed.receipts.extend(
        Receipt(external_id=mid, status="delivered", recipient=person, reported_at=at) for mid in mids
    )


def _attachment(raw: dict[str, Any]) -> Attachment | None:
    kind = raw.get("type")
    if not isinstance(kind, str) or not kind:
        return None
    payload = obj(raw.get("payload"))
    where = obj(payload.get("coordinates"))
    return Attachment(
        kind=ATTACHMENT_KINDS.get(kind, "file"),
        url=common.url(payload.get("url")),
        name=text(payload.get("title")),
        external_id=ident(payload.get("sticker_id")) or ident(payload.get("id")),
        latitude=number(where.get("lat")),
        longitude=number(where.get("long")),
    )


def _change(account: Account, change: dict[str, Any], sent: datetime | None, parsed: Parsed) -> None:
    """One `changes` item; `sent` is when Meta sent the entry, for changes that carry no time."""
    field, value = change.get("field"), obj(change.get("value"))
    inbound: Inbound | bool | None = None
    if account.channel == "facebook" and field == "feed":
        inbound = _feed(account, value, sent)
    elif account.channel == "instagram" and isinstance(field, str) and field in INSTAGRAM_FIELDS:
        inbound = _instagram(account, field == "mentions", value, sent)
    if inbound is True:
        parsed.own += 1
    elif isinstance(inbound, Inbound):
        parsed.messages.append(inbound)
    else:
        parsed.ignored += 1


def _feed(account: Account, value: dict[str, Any], sent: datetime | None) -> Inbound | bool | None:
    """A comment or a visitor's post; True for the page's own, None for what the platform ignores."""
    item = value.get("item")
    if value.get("verb") != "add" or not isinstance(item, str) or item not in FEED_ITEMS:
        return None  # edits, removals, hides, reactions, likes, shares ...
    author = obj(value.get("from"))
    author_id = ident(author.get("id"))
    if author_id == account.external_id:
        return True
    post_id = ident(value.get("post_id"))
    owner: str | None = author_id
    in_reply_to = ""
    if item == "comment":
        external_id, parent_id = ident(value.get("comment_id")), ident(value.get("parent_id"))
        # A reply's parent is the top-level comment; a top-level comment's parent is the post.
        reply = bool(parent_id) and parent_id != post_id
        conversation = key("facebook", "comment", parent_id if reply else external_id)
        owner = None if reply else author_id  # a reply: the thread's stored customer applies
        in_reply_to = parent_id
    else:
        external_id = post_id
        conversation = key("facebook", "post", post_id)
    if not author_id or not external_id or not conversation:
        return None
    created = value.get("created_time")
    return Inbound(
        external_id=external_id,
        conversation_key=conversation,
        author=Author(id=author_id, name=text(author.get("name"))),
        text=text(value.get("message")),
        public=True,
        in_reply_to=in_reply_to,
        sent_at=epoch(created) or from_iso(created) or sent,
        attachments=_feed_attachments(item, value),
        thread_owner=owner,
    )


def _feed_attachments(item: str, value: dict[str, Any]) -> list[Attachment]:
    found: list[tuple[str, str, str]] = [("image", common.url(value.get("photo")), "")]
    found += [("image", common.url(photo), "") for photo in items(value.get("photos"))]
    found.append(("video", common.url(value.get("video")), ""))
    if item == "photo":
        found.append(("image", common.url(value.get("link")), ident(value.get("photo_id"))))
    elif item == "video":
        found.append(("video", common.url(value.get("link")), ident(value.get("video_id"))))
    else:
        found.append(("link", common.url(value.get("link")), ""))
    attachments: list[Attachment] = []
    seen: set[str] = set()
    for kind, address, external_id in found:
        if address and address not in seen:
            seen.add(address)
            attachments.append(Attachment(kind=kind, url=address, external_id=external_id))
    return attachments


def _instagram(
    account: Account, mention: bool, value: dict[str, Any], sent_at: datetime | None
) -> Inbound | bool | None:
    """A comment on the account's media, or a comment or caption that @mentions it."""
    author = obj(value.get("from"))
    author_id = ident(author.get("id"))
    if author_id and author_id == account.external_id:
        return True
    media_id = ident(value.get("media_id")) or ident(obj(value.get("media")).get("id"))
    comment_id = ident(value.get("comment_id") if mention else value.get("id"))
    parent_id = ident(value.get("parent_id"))
    if comment_id:
        external_id = comment_id
        conversation = key("instagram", "comment", parent_id or comment_id)
    elif mention:  # @mentioned in a media caption: the post is the message
        external_id = media_id
        conversation = key("instagram", "media", media_id)
    else:
        return None
    # A comment always names its author; a mention names only ids (the Graph API has the rest).
    if not external_id or not conversation or (not author_id and not mention):
        return None
    username = text(author.get("username"))
    return Inbound(
        external_id=external_id,
        conversation_key=conversation,
        author=Author(id=author_id, handle=f"@{username}" if username else ""),
        text=text(value.get("text")),
        public=True,
        in_reply_to=parent_id or (media_id if comment_id else ""),
        sent_at=sent_at,
        thread_owner=None if parent_id or not author_id else author_id,
    )
