"""The X adapter: Account Activity API webhooks at /v1/webhooks/x.

X checks the webhook with a GET carrying `crc_token` (the Challenge-Response Check) and delivers each
subscribed user's activity as a signed POST: posts that mention or answer the brand, Direct Messages,
read receipts, and events the platform does not handle (likes, follows, blocks, deletes ...). Both
are keyed with the app's secret: HMAC-SHA256, base64, prefixed `sha256=`.

A public thread is a conversation. A reply joins the conversation of the post it answers when ingest
took that post, or when it answers the brand's own reply in a known conversation (kept in
`x_own_tweets`, so a customer answering the brand stays in one conversation). A reply to one of the
brand's broadcasts starts a conversation of its own: each customer who answers it is a customer.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.ingest import accounts, service
from services.ingest.accounts import Account
from services.ingest.channels.base import (
    EVENTS,
    Attachment,
    Author,
    Inbound,
    Parsed,
    Receipt,
    check_signature,
    decoded_json,
    from_epoch,
    hmac_sha256,
    reasons,
    text_of,
    utc,
)
from services.ingest.models import Base, DeliveryAccepted
from services.ingest.repository import MessageRepository
from services.ingest.service import Raw, Source, UnknownAccount
from services.kit.db import UtcDateTime
from services.kit.deps import runtime
from services.kit.errors import Malformed, NotFound, Unauthenticated
from services.kit.events import now
from services.kit.runtime import Runtime

CHANNEL = "x"
SIGNATURE = "x-twitter-webhooks-signature"
# Apps with an OAuth 2.0 client secret sign with it under this header (X's V2 Webhooks API).
SIGNATURE_OAUTH2 = "x-twitter-webhooks-signature-oauth2"
X_ID = re.compile(r"^[0-9]{1,32}$")
MAX_FOLLOWERS = 2**63 - 1
MEDIA_KINDS = {"photo": "image", "video": "video", "animated_gif": "video"}
HANDLED = {"tweet_create_events", "direct_message_events", "direct_message_mark_read_events"}
# Keys of a delivery that describe it rather than carry events.
ENVELOPE = {"for_user_id", "user_has_blocked", "is_blocked_by", "users", "apps", "source", "target"}

RuntimeDep = Annotated[Runtime, Depends(runtime("ingest"))]
XId = Annotated[str, StringConstraints(pattern=X_ID.pattern)]


class XOwnTweet(Base, table=True):
    """One of the brand's own replies in a known conversation, so an answer to it stays there."""

    __tablename__ = "x_own_tweets"

    tenant_id: str = Field(primary_key=True, max_length=64)
    tweet_id: str = Field(primary_key=True, max_length=64)
    conversation_key: str = Field(max_length=512)
    created_at: datetime = Field(sa_type=UtcDateTime)


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow")


class XUser(_Shape):
    """A user object as X embeds it in a post (`id_str`) or in a delivery's `users` map (`id`)."""

    id_str: XId | None = None
    screen_name: str | None = None
    name: str | None = None
    followers_count: int | None = None


class TweetUser(XUser):
    """The author of a post."""

    id_str: XId


class XMedia(_Shape):
    """A media entity of a post or a Direct Message."""

    id_str: str | None = None
    media_url_https: str | None = None
    type: str | None = None


class XEntities(_Shape):
    media: list[XMedia] = []


class XQuoted(_Shape):
    id_str: XId
    user: XUser | None = None


class XExtended(_Shape):
    full_text: str | None = None
    extended_entities: XEntities | None = None


class Tweet(_Shape):
    """A v1.1 post object, as tweet_create_events carries it (only what ingest reads)."""

    id_str: XId
    user: TweetUser
    text: str | None = None
    full_text: str | None = None
    truncated: bool | None = None
    extended_tweet: XExtended | None = None
    created_at: str | None = None
    timestamp_ms: str | int | None = None
    in_reply_to_status_id_str: XId | None = None
    in_reply_to_user_id_str: XId | None = None
    is_quote_status: bool | None = None
    quoted_status: XQuoted | None = None
    retweeted_status: dict[str, Any] | None = None
    extended_entities: XEntities | None = None


class DmAttachment(_Shape):
    type: str | None = None
    media: XMedia | None = None


class DmData(_Shape):
    text: str | None = None
    attachment: DmAttachment | None = None


class DmTarget(_Shape):
    recipient_id: XId


class DmCreate(_Shape):
    target: DmTarget
    sender_id: XId
    message_data: DmData = DmData()


class DmEvent(_Shape):
    """A Direct Message event (`type` message_create) of direct_message_events."""

    type: str
    id: XId
    created_timestamp: str | int | None = None
    message_create: DmCreate | None = None


class ReadEvent(_Shape):
    """A read receipt of direct_message_mark_read_events: `sender_id` read up to `last_read_event_id`."""

    sender_id: XId
    last_read_event_id: XId
    created_timestamp: str | int | None = None


class Activity(_Shape):
    """An Account Activity delivery (the event lists ingest handles)."""

    for_user_id: XId
    user_has_blocked: str | bool | None = None
    tweet_create_events: list[Tweet] = []
    direct_message_events: list[DmEvent] = []
    direct_message_mark_read_events: list[ReadEvent] = []
    users: dict[str, XUser] = {}


def router() -> APIRouter:
    """The X routes: the CRC check and the Account Activity deliveries."""
    api = APIRouter(tags=["channels"])

    @api.get(
        "/webhooks/x",
        summary="Answer X's Challenge-Response Check",
        description="`response_token` = `sha256=` + base64(HMAC-SHA256(app secret, crc_token)). With several "
        "X apps registered, the webhook URL must name the account: `?for_user_id=<X user id>`.",
    )
    async def crc(
        rt: RuntimeDep,
        crc_token: Annotated[str | None, Query(description="X's challenge")] = None,
        for_user_id: Annotated[str | None, Query(description="The X user id of the account")] = None,
    ) -> dict[str, str]:
        if not crc_token:
            raise Malformed("the CRC check has no crc_token")
        secret = await _crc_secret(rt, for_user_id)
        return {
            "response_token": "sha256=" + base64.b64encode(hmac_sha256(secret, crc_token.encode())).decode()
        }

    @api.post(
        "/webhooks/x",
        summary="Take an X Account Activity delivery",
        description="Verified with the `x-twitter-webhooks-signature` header (HMAC-SHA256 of the body with "
        "the consumer_secret, base64), or `x-twitter-webhooks-signature-oauth2` with the client_secret. "
        "Mentions, replies, quotes and Direct Messages become messages; read receipts become delivery "
        "receipts; the brand's own posts and every other event are answered 200 and counted.",
        openapi_extra={"requestBody": {"content": {"application/json": {"example": _EXAMPLE}}}},
    )
    async def deliver(request: Request, rt: RuntimeDep) -> DeliveryAccepted:
        async with service.counted(CHANNEL):
            return await receive(
                rt, await request.body(), request.headers, request.headers.get("content-type")
            )

    return api


async def receive(rt: Runtime, body: bytes, headers: Any, content_type: str | None) -> DeliveryAccepted:
    """Verify an Account Activity delivery, then store and announce what it carries."""
    text, data = decoded_json(body)
    if not isinstance(data, dict):
        raise Malformed("the delivery is not a JSON object")
    brand = data.get("for_user_id")
    if brand is None:
        return await _unaddressed(rt, body, headers, data)
    if not isinstance(brand, str) or not X_ID.match(brand):
        raise Malformed("for_user_id is not an X user id")
    account = await accounts.find(rt, CHANNEL, brand)
    if account is None:
        raise UnknownAccount(f"no X account {brand!r} is registered")
    _verify(account, body, headers)
    try:
        activity = Activity.model_validate(data)
    except ValidationError as exc:
        raise Malformed(f"the delivery does not have X's shape: {reasons(exc)}") from exc
    parsed = await _parse(rt, account, activity, data)
    raw = Raw(body=text, content_type=content_type or "application/json")
    outcome = await service.accept(rt, Source.of(account), parsed, raw)
    return outcome.answer()


async def _crc_secret(rt: Runtime, for_user_id: str | None) -> str:
    if for_user_id is not None:
        if not X_ID.match(for_user_id):
            raise Malformed("for_user_id is not an X user id")
        account = await accounts.find(rt, CHANNEL, for_user_id)
        if account is None:
            raise UnknownAccount(f"no X account {for_user_id!r} is registered")
        secret = _secret(account)
        if not secret:
            raise NotFound(f"X account {for_user_id!r} has no consumer_secret", code="no_secret")
        return secret
    registered = await accounts.of_channel(rt, CHANNEL)
    if not registered:
        raise UnknownAccount("no X account is registered")
    secrets = {secret for secret in map(_secret, registered) if secret}
    if not secrets:
        raise NotFound("no X account has a consumer_secret", code="no_secret")
    if len(secrets) > 1:
        raise Malformed(
            "X accounts with different app secrets are registered: the webhook URL needs "
            "?for_user_id=<X user id> to name the account whose secret answers the check"
        )
    return secrets.pop()


def _secret(account: Account) -> str:
    """The secret X keys the CRC with: the OAuth 2.0 client secret when the app has one."""
    return account.secret("client_secret") or account.secret("consumer_secret")


def _verify(account: Account, body: bytes, headers: Any) -> None:
    oauth2 = headers.get(SIGNATURE_OAUTH2)
    if oauth2 and account.secret("client_secret"):
        check_signature(oauth2, secrets=[account.secret("client_secret")], body=body, encoding="base64")
        return
    secret = account.secret("consumer_secret")
    if not secret:
        raise Unauthenticated("the X account has no consumer_secret to verify with", code="bad_signature")
    check_signature(headers.get(SIGNATURE), secrets=[secret], body=body, encoding="base64")


async def _unaddressed(rt: Runtime, body: bytes, headers: Any, data: dict[str, Any]) -> DeliveryAccepted:
    """A delivery that names no subscribed user (user_event, replay_job_status): verify and count it."""
    if HANDLED & data.keys():
        raise Malformed("the delivery carries posts or messages but no for_user_id")
    registered = await accounts.of_channel(rt, CHANNEL)
    if not registered:
        raise UnknownAccount("no X account is registered")
    signed = [(headers.get(SIGNATURE_OAUTH2), account.secret("client_secret")) for account in registered] + [
        (headers.get(SIGNATURE), account.secret("consumer_secret")) for account in registered
    ]
    if not any(header and secret and _signed(header, secret, body) for header, secret in signed):
        raise Unauthenticated("the delivery's signature does not match", code="bad_signature")
    ignored = max(_others(data), 1)
    EVENTS.labels(CHANNEL, "ignored").inc(ignored)
    return DeliveryAccepted(ignored=ignored)


def _signed(header: str, secret: str, body: bytes) -> bool:
    expected = "sha256=" + base64.b64encode(hmac_sha256(secret, body)).decode()
    return hmac.compare_digest(header.strip().encode(), expected.encode())


async def _parse(rt: Runtime, account: Account, activity: Activity, data: dict[str, Any]) -> Parsed:
    brand = activity.for_user_id
    parsed = Parsed(ignored=_others(data))
    blocked = str(activity.user_has_blocked).lower() == "true"
    async with rt.unit_of_work() as uow:
        threads = _Threads(uow.session, account.tenant_id, brand)
        for tweet in activity.tweet_create_events:
            if tweet.user.id_str == brand:
                parsed.own += 1
                await threads.remember_own(tweet)
            elif tweet.retweeted_status is not None or blocked:
                parsed.ignored += 1  # a repost says nothing to answer; a blocked user is not heard
            else:
                parsed.messages.append(await _post(tweet, threads))
    for event in activity.direct_message_events:
        if event.type != "message_create" or event.message_create is None:
            parsed.ignored += 1
        elif event.message_create.sender_id == brand:
            parsed.own += 1  # the brand's own message, echoed back
        else:
            parsed.messages.append(_direct(event, event.message_create, brand, activity.users))
    for read in activity.direct_message_mark_read_events:
        if read.sender_id == brand:
            parsed.ignored += 1  # the brand read the customer's message: nothing to report
        else:
            parsed.receipts.append(
                Receipt(
                    external_id=read.last_read_event_id,
                    status="read",
                    recipient=read.sender_id,
                    reported_at=utc(from_epoch(read.created_timestamp, millis=True)),
                )
            )
    return parsed


class _Threads:
    """Finds the conversation of a post: the stored one it answers, or a new one."""

    def __init__(self, session: AsyncSession, tenant_id: str, brand: str) -> None:
        self.session = session
        self.tenant_id = tenant_id
        self.brand = brand
        self.seen: dict[str, str] = {}  # post id -> conversation key, for posts of this delivery

    async def key_of(self, post_id: str) -> str | None:
        """The conversation a post belongs to, when ingest took it or the brand wrote it into one."""
        if post_id in self.seen:
            return self.seen[post_id]
        found = await MessageRepository(self.session).find(
            tenant_id=self.tenant_id, channel=CHANNEL, external_id=post_id
        )
        if found is not None:
            return found.conversation_key
        query = select(XOwnTweet).where(XOwnTweet.tenant_id == self.tenant_id, XOwnTweet.tweet_id == post_id)
        own = (await self.session.exec(query)).first()
        return own.conversation_key if own is not None else None

    async def place(self, tweet: Tweet) -> tuple[str, str | None]:
        """The post's conversation key, and its owner when the post starts the conversation."""
        parent, parent_author = _parent(tweet)
        author = tweet.user.id_str
        key = await self.key_of(parent) if parent else None
        if key is None and parent and parent_author != self.brand:
            key = f"x:thread:{parent}"
        owner = None if key else author
        key = key or f"x:thread:{tweet.id_str}"
        self.seen[tweet.id_str] = key
        return key, owner

    async def remember_own(self, tweet: Tweet) -> None:
        """Keep the brand's reply in the conversation it answers, so the customer's answer joins it."""
        parent, _ = _parent(tweet)
        key = await self.key_of(parent) if parent else None
        if key is None:
            return
        self.seen[tweet.id_str] = key
        conn = await self.session.connection()
        table = XOwnTweet.__table__  # type: ignore[attr-defined]
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        row = {
            "tenant_id": self.tenant_id,
            "tweet_id": tweet.id_str,
            "conversation_key": key,
            "created_at": now(),
        }
        await conn.execute(insert(table).on_conflict_do_nothing(), row)


def _parent(tweet: Tweet) -> tuple[str | None, str | None]:
    """The post this one answers or quotes, and its author."""
    if tweet.in_reply_to_status_id_str:
        return tweet.in_reply_to_status_id_str, tweet.in_reply_to_user_id_str
    if tweet.quoted_status is not None:
        return (
            tweet.quoted_status.id_str,
            tweet.quoted_status.user.id_str if tweet.quoted_status.user else None,
        )
    return None, None


async def _post(tweet: Tweet, threads: _Threads) -> Inbound:
    key, owner = await threads.place(tweet)
    extended = tweet.extended_tweet if tweet.truncated else None
    text = (extended.full_text if extended else None) or tweet.full_text or tweet.text
    entities = (extended.extended_entities if extended else None) or tweet.extended_entities
    return Inbound(
        external_id=tweet.id_str,
        conversation_key=key,
        author=_author(tweet.user, tweet.user.id_str),
        text=text_of(text),
        public=True,
        in_reply_to=tweet.in_reply_to_status_id_str or "",
        sent_at=_posted_at(tweet),
        attachments=[_media(media) for media in (entities.media if entities else [])],
        thread_owner=owner,
    )


def _direct(event: DmEvent, message: DmCreate, brand: str, users: dict[str, XUser]) -> Inbound:
    sender = message.sender_id
    attachment = message.message_data.attachment
    media = attachment.media if attachment is not None and attachment.type == "media" else None
    return Inbound(
        external_id=event.id,
        conversation_key=f"x:dm:{brand}:{sender}",
        author=_author(users.get(sender), sender),
        text=text_of(message.message_data.text),
        public=False,
        sent_at=utc(from_epoch(event.created_timestamp, millis=True)),
        attachments=[_media(media)] if media is not None else [],
    )


def _author(user: XUser | None, user_id: str) -> Author:
    if user is None:
        return Author(id=user_id)
    followers = min(max(user.followers_count or 0, 0), MAX_FOLLOWERS)
    handle = f"@{user.screen_name}" if user.screen_name else ""
    return Author(id=user_id, handle=text_of(handle), name=text_of(user.name), follower_count=followers)


def _media(media: XMedia) -> Attachment:
    return Attachment(
        kind=MEDIA_KINDS.get(media.type or "", "file"),
        url=media.media_url_https or "",
        external_id=media.id_str or "",
    )


def _posted_at(tweet: Tweet) -> datetime | None:
    """When the post was made: `created_at` ("Wed Oct 10 20:19:24 +0000 2018"), else `timestamp_ms`."""
    if tweet.created_at:
        try:
            return utc(datetime.strptime(tweet.created_at, "%a %b %d %H:%M:%S %z %Y"))
        except ValueError:
            pass
    return utc(from_epoch(tweet.timestamp_ms, millis=True)) if tweet.timestamp_ms is not None else None


def _others(data: dict[str, Any]) -> int:
    """How many events of kinds the platform does not handle (likes, follows, deletes ...) there are."""
    counted = 0
    for name, value in data.items():
        if name not in HANDLED and name not in ENVELOPE:
            counted += len(value) if isinstance(value, list) else 1
    return counted


_EXAMPLE: dict[str, Any] = json.loads(
    """{"for_user_id": "2244994945", "user_has_blocked": "false", "tweet_create_events": [{
    "created_at": "Mon Nov 23 13:21:00 +0000 2026", "id_str": "1861234567890123456",
    "text": "@telco Mein Internet ist seit gestern weg. Wann geht es wieder?",
    "in_reply_to_status_id_str": null, "is_quote_status": false,
    "user": {"id_str": "4711", "screen_name": "kunde", "name": "Karla Kunde", "followers_count": 120}}]}"""
)
