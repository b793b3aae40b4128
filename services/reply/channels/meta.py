"""Replies on Facebook and Instagram through Meta's Graph API with the account's access token: public
answers as replies to the customer's comment, private ones through the Send API (Messenger, Instagram
Direct), tagged HUMAN_AGENT outside the 24-hour window.

The Graph API has no idempotency key. A public reply tried again (its first try may have posted it and
lost the answer: a timeout, a crash) first reads the comment's replies and takes the account's own
reply with the same text as the one posted, instead of posting it twice. Private messages cannot be
looked up this way: a retry of one may send it twice.

Meta says "slow down" with HTTP 400 or 403 and an error code rather than 429, so a Graph error is read
before the status decides: throttling codes are for now, an expired token asks for a new one. WhatsApp
shares this reading (see whatsapp.py)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from services.reply.adapters import DeliveryError, Outgoing
from services.reply.channels.base import (
    TIMEOUT_SECONDS,
    DeliveryAccount,
    refusal,
    retry_after,
    unreachable,
)

log = logging.getLogger(__name__)

GRAPH_VERSION = "v21.0"
CLOCK_SKEW = timedelta(minutes=5)  # how far Meta's clock and ours may differ
FACEBOOK_BASE = f"https://graph.facebook.com/{GRAPH_VERSION}"
INSTAGRAM_BASE = f"https://graph.instagram.com/{GRAPH_VERSION}"

# Application, user, page and custom rate limits, the Page / Instagram business-use-case limits, and
# WhatsApp's throughput and per-recipient pair limits.
THROTTLING = frozenset({4, 17, 32, 613, *range(80001, 80010), 130429, 131056})
INVALID_TOKEN = 190


def graph_error(response: httpx.Response) -> tuple[int | None, str]:
    """The code and message of a Graph error body; (None, "") when it has none."""
    try:
        body = response.json()
    except ValueError:
        return None, ""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, ""
    code = error.get("code")
    message = error.get("message")
    return (code if isinstance(code, int) else None), (message if isinstance(message, str) else "")


def graph_refusal(
    response: httpx.Response,
    *,
    channel: str,
    advice: Mapping[int, str] | None = None,
) -> DeliveryError:
    """The DeliveryError for a Graph error: throttling is for now, an invalid token and the codes in
    `advice` are for good with what to do, anything else is decided by the HTTP status."""
    code, message = graph_error(response)
    reason = f"{message} (code {code})" if code is not None else message
    if code in THROTTLING:
        return DeliveryError(
            f"{channel} is throttling the account ({reason}); try again later",
            permanent=False,
            retry_after=retry_after(response),
        )
    if code == INVALID_TOKEN:
        return DeliveryError(
            f"{channel} refused the access token ({reason}); renew the access token of the delivery account",
            permanent=True,
        )
    to_do = (advice or {}).get(code) if code is not None else None
    if to_do:
        return DeliveryError(f"{channel} refused the reply ({reason}); {to_do}", permanent=True)
    return refusal(response, channel=channel, reason=reason)


async def post_graph(
    client: httpx.AsyncClient,
    *,
    channel: str,
    url: str,
    account: DeliveryAccount,
    payload: Mapping[str, Any],
    advice: Mapping[int, str] | None = None,
) -> Any:
    """POST `payload` as JSON to a Graph endpoint; the decoded answer, or raise DeliveryError."""
    try:
        response = await client.post(url, json=payload, headers=account.bearer(), timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        raise unreachable(channel, exc) from exc
    if not response.is_success:
        raise graph_refusal(response, channel=channel, advice=advice)
    try:
        return response.json()
    except ValueError:
        return None


def answered_id(value: object, *, channel: str) -> str:
    """The id the channel answered with. A 2xx without one is no refusal of the reply (a proxy or a
    cut-off body answered), so it is for now: losing the customer's answer is worse than the duplicate
    a retry may post, since the Graph API has no idempotency key."""
    if isinstance(value, str) and value:
        return value
    raise DeliveryError(f"{channel} accepted the reply but answered without its id", permanent=False)


def _since(posted: object, message: Outgoing) -> bool:
    """Whether a reply posted at `posted` (Graph's "2026-12-06T09:30:00+0000") may be a try of this
    one: not older than its acceptance, give or take the clocks' skew. The same text posted before
    (an earlier answer worded alike) is another reply. Without either time it may be."""
    if message.accepted_at is None or not isinstance(posted, str):
        return True
    try:
        at = datetime.strptime(posted, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return True
    accepted = message.accepted_at
    if accepted.tzinfo is None:  # the database's times are UTC
        accepted = accepted.replace(tzinfo=UTC)
    return at >= accepted - CLOCK_SKEW


def _listed(response: httpx.Response) -> list[dict[str, Any]]:
    """The `data` items of a Graph list, or none when the answer is no list."""
    try:
        answer = response.json()
    except ValueError:
        return []
    data = answer.get("data") if isinstance(answer, dict) else None
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _field(answer: Any, name: str) -> object:
    return answer.get(name) if isinstance(answer, dict) else None


class GraphSender:
    """What Facebook and Instagram share: a comment reply in public, the Send API in private."""

    channel: ClassVar[str]
    settings: ClassVar[tuple[str, ...]]  # the first names the account's node (page, Instagram user)
    credentials: ClassVar[tuple[str, ...]] = ("access_token",)
    default_base: ClassVar[str]
    comment_edge: ClassVar[str]
    # The messaging_type of an untagged message; None: the field is left out.
    untagged_type: ClassVar[str | None]
    # Reading a comment's replies: the fields that hold a reply's text and time, and what else to ask.
    text_field: ClassVar[str]
    time_field: ClassVar[str]
    listing: ClassVar[dict[str, str]] = {}

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def send(self, message: Outgoing, account: DeliveryAccount) -> str:
        """Reply to the customer's comment, or send a private message; the channel's id for it."""
        if message.public:
            return await self._comment(message, account)
        return await self._message(message, account)

    async def _comment(self, message: Outgoing, account: DeliveryAccount) -> str:
        if not message.in_reply_to:
            raise DeliveryError(
                f"{self.channel} public replies answer a comment, and this one names none", permanent=True
            )
        path = f"{quote(message.in_reply_to, safe='')}/{self.comment_edge}"
        if message.attempt > 1:
            earlier = await self._posted_before(message, account, path)
            if earlier is not None:
                return earlier
        answer = await self._post(account, path, {"message": message.text})
        return answered_id(_field(answer, "id"), channel=self.channel)

    async def _posted_before(self, message: Outgoing, account: DeliveryAccount, path: str) -> str | None:
        """The id of the account's own reply with this text among the comment's replies (a try before
        posted it), or None. Replies the channel will not show (no permission to read them) are
        taken as none: the reply is posted, as a duplicate is better than no answer; a throttled or
        unreachable channel is tried again later, as the post would fare no better."""
        fields = f"id,{self.text_field},from,{self.time_field}"
        params = {"fields": fields, "limit": "100", **self.listing}
        url = account.url(self.default_base, path)
        try:
            response = await self.client.get(
                url, params=params, headers=account.bearer(), timeout=TIMEOUT_SECONDS
            )
        except httpx.HTTPError as exc:
            raise unreachable(self.channel, exc) from exc
        if not response.is_success:
            refused = graph_refusal(response, channel=self.channel)
            if not refused.permanent:
                raise refused
            log.warning(
                "%s: the replies to %s cannot be read, posting again: %s", self.channel, path, refused
            )
            return None
        own, text = account.settings[self.settings[0]], message.text.strip()
        for item in _listed(response):
            author, found = item.get("from"), item.get("id")
            mine = isinstance(author, dict) and author.get("id") == own
            same = str(item.get(self.text_field, "")).strip() == text
            if (
                mine
                and same
                and isinstance(found, str)
                and found
                and _since(item.get(self.time_field), message)
            ):
                return found
        return None

    async def _message(self, message: Outgoing, account: DeliveryAccount) -> str:
        payload: dict[str, Any] = {"recipient": {"id": message.recipient}, "message": {"text": message.text}}
        if message.human_agent_tag:
            payload |= {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        elif self.untagged_type:
            payload["messaging_type"] = self.untagged_type
        path = f"{quote(account.settings[self.settings[0]], safe='')}/messages"
        answer = await self._post(account, path, payload)
        return answered_id(_field(answer, "message_id"), channel=self.channel)

    async def _post(self, account: DeliveryAccount, path: str, payload: Mapping[str, Any]) -> Any:
        url = account.url(self.default_base, path)
        return await post_graph(self.client, channel=self.channel, url=url, account=account, payload=payload)


class FacebookSender(GraphSender):
    """Replies to Page comments and answers in Messenger with a Page access token."""

    channel: ClassVar[str] = "facebook"
    settings: ClassVar[tuple[str, ...]] = ("page_id",)
    default_base: ClassVar[str] = FACEBOOK_BASE
    comment_edge: ClassVar[str] = "comments"
    untagged_type: ClassVar[str | None] = "RESPONSE"
    text_field: ClassVar[str] = "message"
    time_field: ClassVar[str] = "created_time"
    listing: ClassVar[dict[str, str]] = {"order": "reverse_chronological"}  # the newest first


class InstagramSender(GraphSender):
    """Replies to comments on the account's media and answers in Instagram Direct."""

    channel: ClassVar[str] = "instagram"
    settings: ClassVar[tuple[str, ...]] = ("ig_user_id",)
    default_base: ClassVar[str] = INSTAGRAM_BASE
    comment_edge: ClassVar[str] = "replies"
    untagged_type: ClassVar[str | None] = None
    text_field: ClassVar[str] = "text"
    time_field: ClassVar[str] = "timestamp"
