"""Public answers to reviews (channel `review`). The account's `provider` setting picks the site:

- trustpilot: the Business Units API's review reply, posted as the business user `business_user_id`
  with an OAuth access token (`access_token`). A review carries one reply of the business, so the
  review id stands for the reply.
- generic (any other provider): a POST of {"review_id", "text", "idempotency_key"} to the account's
  `reply_url` with the bearer token `api_key`; the receiver drops a repeated idempotency key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from services.reply.adapters import DeliveryError, Outgoing
from services.reply.channels.base import DeliveryAccount, refusal, unreachable

CHANNEL = "review"
DEFAULT_BASE = "https://api.trustpilot.com"
TRUSTPILOT = "trustpilot"
GENERIC = "generic"

_SETTINGS = {TRUSTPILOT: ("business_user_id",), GENERIC: ("reply_url",)}
_CREDENTIALS = {TRUSTPILOT: ("access_token",), GENERIC: ("api_key",)}


def provider(settings: Mapping[str, str]) -> str:
    """The review site an account answers on: `trustpilot`, or `generic` for any other."""
    name = settings.get("provider", GENERIC).strip().lower()
    return TRUSTPILOT if name == TRUSTPILOT else GENERIC


def required(settings: Mapping[str, str]) -> tuple[str, ...]:
    """The settings an account of this provider must have."""
    return _SETTINGS[provider(settings)]


def required_credentials(settings: Mapping[str, str]) -> tuple[str, ...]:
    """The credentials an account of this provider must have."""
    return _CREDENTIALS[provider(settings)]


class ReviewSender:
    """Answers reviews on Trustpilot or through a review site's reply webhook."""

    channel: ClassVar[str] = CHANNEL
    # What every provider needs: nothing. Each provider's own needs are checked on sending.
    settings: ClassVar[tuple[str, ...]] = ()
    credentials: ClassVar[tuple[str, ...]] = ()

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def send(self, message: Outgoing, account: DeliveryAccount) -> str:
        """Publish the answer to the review `in_reply_to`; the reply's id (the review's, if it has none)."""
        _check(account)
        if provider(account.settings) == TRUSTPILOT:
            return await self._trustpilot(message, account)
        return await self._generic(message, account)

    async def _trustpilot(self, message: Outgoing, account: DeliveryAccount) -> str:
        path = f"/v1/private/reviews/{quote(message.in_reply_to, safe='')}/reply"
        body = {"authorBusinessUserId": account.settings["business_user_id"], "message": message.text}
        await self._post(account.url(DEFAULT_BASE, path), body, account.bearer("access_token"))
        return message.in_reply_to

    async def _generic(self, message: Outgoing, account: DeliveryAccount) -> str:
        body = {
            "review_id": message.in_reply_to,
            "text": message.text,
            "idempotency_key": message.idempotency_key,
        }
        answer = await self._post(account.settings["reply_url"], body, account.bearer("api_key"))
        reply_id = answer.get("id") if isinstance(answer, dict) else None
        if isinstance(reply_id, str | int) and not isinstance(reply_id, bool) and str(reply_id):
            return str(reply_id)
        return message.in_reply_to

    async def _post(self, url: str, body: dict[str, str], headers: dict[str, str]) -> Any:
        try:
            response = await self.client.post(url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise unreachable(CHANNEL, exc) from exc
        if not response.is_success:
            raise refusal(response, channel=CHANNEL, reason=error_text(response))
        try:
            return response.json() if response.content else None
        except ValueError:
            return None


def _check(account: DeliveryAccount) -> None:
    name = provider(account.settings)
    for setting in required(account.settings):
        if not account.settings.get(setting):
            raise DeliveryError(
                f"the {name} review account lacks the setting {setting!r}; add it to the delivery account",
                permanent=True,
            )
    for credential in required_credentials(account.settings):
        if not account.credentials.get(credential):
            raise DeliveryError(
                f"the {name} review account lacks the credential {credential!r}; add it to the delivery "
                "account",
                permanent=True,
            )


def error_text(response: httpx.Response) -> str:
    """The site's own words for an error: `message`, `detail`, `error` or `title` of a JSON body."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200]
    if isinstance(body, dict):
        for key in ("message", "detail", "error", "title"):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])
    return ""
