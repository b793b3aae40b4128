"""Replies on Facebook and Instagram through Meta's Graph API with the account's access token: public
answers as replies to the customer's comment, private ones through the Send API (Messenger, Instagram
Direct), tagged HUMAN_AGENT outside the 24-hour window.

Meta says "slow down" with HTTP 400 or 403 and an error code rather than 429, so a Graph error is read
before the status decides: throttling codes are for now, an expired token asks for a new one. WhatsApp
shares this reading (see whatsapp.py)."""

from __future__ import annotations

from collections.abc import Mapping
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

GRAPH_VERSION = "v21.0"
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
        answer = await self._post(account, path, {"message": message.text})
        return answered_id(_field(answer, "id"), channel=self.channel)

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


class InstagramSender(GraphSender):
    """Replies to comments on the account's media and answers in Instagram Direct."""

    channel: ClassVar[str] = "instagram"
    settings: ClassVar[tuple[str, ...]] = ("ig_user_id",)
    default_base: ClassVar[str] = INSTAGRAM_BASE
    comment_edge: ClassVar[str] = "replies"
    untagged_type: ClassVar[str | None] = None
