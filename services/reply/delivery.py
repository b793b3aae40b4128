"""Delivery accounts: how reply sends from a tenant's channel accounts (the channel's ids and the
credentials, encrypted at rest), and the adapter that hands each reply to its channel's sender."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

import httpx
from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import col, select

from services.kit.errors import NotFound, Unprocessable
from services.kit.events import now
from services.kit.outbound import non_public
from services.kit.runtime import Runtime
from services.kit.secrets import SecretBox
from services.kit.uow import UnitOfWork
from services.reply.adapters import ChannelAdapter, DeliveryError, Outgoing
from services.reply.channels import reviews
from services.reply.channels.base import ChannelSender
from services.reply.channels.base import DeliveryAccount as Account
from services.reply.config import reply_settings
from services.reply.models import DeliveryAccount

CACHE_SECONDS = 30.0  # an account changed through another process is used after at most this long
MAX_ENTRIES = 20

DeliveryChannel = Literal["facebook", "instagram", "whatsapp", "x", "email", "chat", "review"]


class DeliveryAccountIn(BaseModel):
    """How to send from a channel account: the channel's ids and the credentials."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channel": "whatsapp",
                    "settings": {"phone_number_id": "106540352242922"},
                    "credentials": {"access_token": "EAAJ..."},
                }
            ]
        },
    )

    channel: DeliveryChannel
    base_url: str = PydanticField(
        default="",
        max_length=2048,
        description="the channel API's address, when not the documented one (a proxy, a sandbox); https",
    )
    settings: dict[str, str] = PydanticField(
        default_factory=dict,
        max_length=MAX_ENTRIES,
        description="the channel's ids: page_id (facebook), ig_user_id (instagram), phone_number_id "
        "(whatsapp), host, port, from_address (email), provider and business_user_id (review) ...",
    )
    credentials: dict[str, str] = PydanticField(
        default_factory=dict,
        max_length=MAX_ENTRIES,
        description="access_token (Meta, WhatsApp, X, Trustpilot), username and password (SMTP) ...; "
        "encrypted at rest and never returned",
    )


class DeliveryAccountOut(BaseModel):
    """A delivery account as the API shows it: the credentials by name only."""

    channel_account_id: str
    channel: str
    base_url: str
    settings: dict[str, str]
    credentials: list[str]
    updated_at: datetime


def account_out(row: DeliveryAccount) -> DeliveryAccountOut:
    """The API's view of a delivery account."""
    return DeliveryAccountOut(
        channel_account_id=row.channel_account_id,
        channel=row.channel,
        base_url=row.base_url,
        settings=dict(row.settings),
        credentials=list(row.credential_names),
        updated_at=row.updated_at,
    )


async def put_account(
    uow: UnitOfWork,
    *,
    tenant_id: str,
    channel_account_id: str,
    data: DeliveryAccountIn,
    senders: Mapping[str, ChannelSender],
    box: SecretBox,
    allow_private_networks: bool,
) -> tuple[DeliveryAccount, bool]:
    """Create or replace a delivery account; whether it is new. What the channel's sender needs
    must be there (422 names what is missing)."""
    sender = senders.get(data.channel)
    if sender is not None:
        missing = [name for name in sender.settings if not data.settings.get(name)]
        missing += [name for name in sender.credentials if not data.credentials.get(name)]
        if data.channel == "review":
            missing += [name for name in reviews.required(data.settings) if not data.settings.get(name)]
            needed = reviews.required_credentials(data.settings)
            missing += [name for name in needed if not data.credentials.get(name)]
        if missing:
            raise Unprocessable(
                f"a {data.channel} delivery account needs {', '.join(dict.fromkeys(missing))}",
                code="incomplete_account",
            )
    if data.base_url:
        await _check_base_url(data.base_url, allow_private_networks=allow_private_networks)
    if data.channel == "email":
        server = httpx.URL(scheme="https", host=data.settings.get("host", ""), port=_port(data.settings))
        if not allow_private_networks and (problem := await non_public(server)):
            raise Unprocessable(f"host: {problem}; mail goes to public servers only", code="invalid_host")
    row = await uow.session.get(DeliveryAccount, (tenant_id, channel_account_id))
    created = row is None
    row = row or DeliveryAccount(
        tenant_id=tenant_id, channel_account_id=channel_account_id, channel="", updated_at=now()
    )
    row.channel = data.channel
    row.base_url = data.base_url
    row.settings = dict(data.settings)
    row.credentials = box.seal(data.credentials) if data.credentials else ""
    row.credential_names = sorted(data.credentials)
    row.updated_at = now()
    uow.session.add(row)
    return row, created


def _port(settings: Mapping[str, str]) -> int | None:
    port = settings.get("port", "")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise Unprocessable("port must be a number from 1 to 65535", code="invalid_port")
    return int(port)


async def _check_base_url(url: str, *, allow_private_networks: bool) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise Unprocessable(f"base_url is not a URL: {exc}", code="invalid_base_url") from None
    if allow_private_networks:
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise Unprocessable("base_url must be an http(s) address", code="invalid_base_url")
        return
    if parsed.scheme != "https" or not parsed.host:
        raise Unprocessable("base_url must be an https address", code="invalid_base_url")
    problem = await non_public(parsed)
    if problem is not None:
        raise Unprocessable(f"base_url: {problem}; replies go to the internet only", code="invalid_base_url")


async def get_account(uow: UnitOfWork, tenant_id: str, channel_account_id: str) -> DeliveryAccount:
    """One delivery account of a tenant (404 when there is none)."""
    row = await uow.session.get(DeliveryAccount, (tenant_id, channel_account_id))
    if row is None:
        raise NotFound(f"no delivery account for channel account {channel_account_id}")
    return row


async def list_accounts(uow: UnitOfWork, tenant_id: str) -> Sequence[DeliveryAccount]:
    """A tenant's delivery accounts."""
    query = (
        select(DeliveryAccount)
        .where(DeliveryAccount.tenant_id == tenant_id)
        .order_by(col(DeliveryAccount.channel_account_id))
    )
    return (await uow.session.exec(query)).all()


async def delete_account(uow: UnitOfWork, tenant_id: str, channel_account_id: str) -> None:
    """Forget a delivery account and its credentials."""
    await uow.session.delete(await get_account(uow, tenant_id, channel_account_id))


class ChannelRouter:
    """The dispatcher's adapter: each reply goes to its channel's sender with its account's ids and
    credentials. A chat reply needs no account (ingest's socket takes it from ReplySent). A reply for
    an account reply cannot send from goes to `fallback` where there is one (the embedded mode's
    loopback), else fails with what to register."""

    def __init__(
        self,
        rt: Runtime,
        senders: Mapping[str, ChannelSender],
        box: SecretBox,
        fallback: ChannelAdapter | None = None,
    ) -> None:
        self.rt = rt
        self.senders = senders
        self.box = box
        self.fallback = fallback
        self._cache: dict[tuple[str, str], tuple[float, Account | None]] = {}

    def forget(self, tenant_id: str, channel_account_id: str) -> None:
        """Drop a cached account (it changed)."""
        self._cache.pop((tenant_id, channel_account_id), None)

    async def send(self, message: Outgoing) -> str:
        """Send a reply through its channel's sender."""
        account = await self._account(message.tenant_id, message.channel_account_id)
        if account is None:
            if message.channel == "chat":
                return f"chat-{message.reply_id}"
            if self.fallback is not None:
                return await self.fallback.send(message)
            raise DeliveryError(
                f"no delivery account for the {message.channel} account {message.channel_account_id or '?'}: "
                f"register its credentials with PUT /v1/delivery-accounts/{message.channel_account_id}",
                permanent=True,
            )
        if account.channel != message.channel:
            raise DeliveryError(
                f"the delivery account {account.channel_account_id} is for {account.channel}, "
                f"the conversation is on {message.channel}",
                permanent=True,
            )
        sender = self.senders.get(account.channel)
        if sender is None:
            if account.channel == "chat":
                return f"chat-{message.reply_id}"
            raise DeliveryError(f"replies cannot be sent to {account.channel} yet", permanent=True)
        return await sender.send(message, account)

    async def _account(self, tenant_id: str, channel_account_id: str) -> Account | None:
        key = (tenant_id, channel_account_id)
        cached = self._cache.get(key)
        moment = time.monotonic()
        if cached is not None and cached[0] > moment:
            return cached[1]
        async with self.rt.unit_of_work() as uow:
            row = await uow.session.get(DeliveryAccount, key)
            account = None
            if row is not None:
                try:
                    credentials = self.box.open(row.credentials)
                except ValueError as exc:
                    raise DeliveryError(str(exc), permanent=True) from None
                account = Account(
                    channel_account_id=row.channel_account_id,
                    tenant_id=row.tenant_id,
                    channel=row.channel,
                    base_url=row.base_url,
                    settings=dict(row.settings),
                    credentials=credentials,
                )
        self._cache[key] = (moment + CACHE_SECONDS, account)
        return account


def router_of(rt: Runtime) -> ChannelRouter:
    """The runtime's channel router."""
    found = rt.state["router"]
    assert isinstance(found, ChannelRouter)
    return found


def allow_private(rt: Runtime) -> bool:
    """Whether delivery accounts may point at private addresses (tests, on-premises channels)."""
    return reply_settings(rt).reply_allow_private_networks
