"""Replies on X through API v2 with the brand's OAuth 2.0 user-context token (tweet.write, dm.write):
public answers as posts replying to the customer's post, private ones as Direct Messages.

A long public answer is a thread: each part replies to the one before. X has no idempotency key, so
the sender cannot tell on a retry which parts a crashed try already posted. When a part after the
first fails, the failure is permanent and its reason names the parts that are online: trying again
would post them twice, so an agent finishes the thread by hand."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from services.reply.adapters import DeliveryError, Outgoing
from services.reply.channels.base import DeliveryAccount, refusal, unreachable

CHANNEL = "x"
DEFAULT_BASE = "https://api.x.com"


class XSender:
    """Posts replies and sends Direct Messages on X."""

    channel: ClassVar[str] = CHANNEL
    settings: ClassVar[tuple[str, ...]] = ()
    credentials: ClassVar[tuple[str, ...]] = ("access_token",)

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def send(self, message: Outgoing, account: DeliveryAccount) -> str:
        """Post the reply (a thread when it has several parts) or send it as a DM; the first post's id."""
        if not message.public:
            return await self._direct_message(message, account)
        posted: list[str] = []
        for part in message.posts:
            try:
                posted.append(await self._post(part, posted[-1] if posted else message.in_reply_to, account))
            except DeliveryError as error:
                if not posted:
                    raise
                raise _broken_thread(error, posted=posted, total=len(message.posts)) from error
        return posted[0]

    async def _post(self, text: str, in_reply_to: str, account: DeliveryAccount) -> str:
        body: dict[str, Any] = {"text": text}
        if in_reply_to:
            body["reply"] = {"in_reply_to_tweet_id": in_reply_to}
        data = await self._call("/2/tweets", body, account)
        return _field(data, "id")

    async def _direct_message(self, message: Outgoing, account: DeliveryAccount) -> str:
        path = f"/2/dm_conversations/with/{quote(message.recipient, safe='')}/messages"
        data = await self._call(path, {"text": message.text}, account)
        return _field(data, "dm_event_id")

    async def _call(self, path: str, body: dict[str, Any], account: DeliveryAccount) -> Any:
        try:
            response = await self.client.post(
                account.url(DEFAULT_BASE, path), json=body, headers=account.bearer()
            )
        except httpx.HTTPError as exc:
            raise unreachable(CHANNEL, exc) from exc
        if not response.is_success:
            raise _refused(response)
        try:
            return response.json().get("data")
        except (ValueError, AttributeError):
            return None


def _field(data: Any, name: str) -> str:
    """The id X answered with; without one the reply may be online, so trying again is no remedy."""
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        raise DeliveryError(f"{CHANNEL} accepted the reply but answered without its {name}", permanent=True)
    return value


def _refused(response: httpx.Response) -> DeliveryError:
    reason = error_text(response)
    if response.status_code == 403 and "duplicate content" in reason.lower():
        return DeliveryError(
            f"{CHANNEL} refused the post as a duplicate of one already online ({reason}); "
            "change the wording to post it",
            permanent=True,
        )
    return refusal(response, channel=CHANNEL, reason=reason)


def _broken_thread(error: DeliveryError, *, posted: list[str], total: int) -> DeliveryError:
    return DeliveryError(
        f"{CHANNEL} posted {len(posted)} of {total} parts of the thread ({', '.join(posted)}), then part "
        f"{len(posted) + 1} failed: {error}; it is not tried again, since that would post the first "
        "parts twice: post the rest by hand",
        permanent=True,
    )


def error_text(response: httpx.Response) -> str:
    """X's own words for an error: a problem's detail or title, or the messages of `errors`."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200]
    if not isinstance(body, dict):
        return ""
    for key in ("detail", "title"):
        if isinstance(body.get(key), str) and body[key]:
            return str(body[key])
    errors = body.get("errors")
    if isinstance(errors, list):
        said = [str(e["message"]) for e in errors if isinstance(e, dict) and e.get("message")]
        return "; ".join(said)
    return ""
