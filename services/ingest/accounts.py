"""Channel accounts: registered by tenants, found by the ids a channel's delivery carries."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from typing import Any

from services.ingest.config import ingest_settings
from services.ingest.models import (
    ChannelAccount,
    ChannelAccountIn,
    ChannelAccountOut,
    ChannelAccountPatch,
)
from services.ingest.repository import AccountRepository
from services.kit.errors import Conflict, NotFound
from services.kit.events import now
from services.kit.ids import new_id
from services.kit.runtime import Runtime
from services.kit.secrets import SecretBox

CACHE_SECONDS = 10.0
UNKNOWN_CACHE_SECONDS = 2.0  # a flood of deliveries for an unknown id asks the database rarely
CACHE_ENTRIES = 10_000
# Channels whose webhook subscription check sends a verify token (Meta's hub.verify_token).
VERIFY_TOKEN_CHANNELS = ("facebook", "instagram", "whatsapp")


@dataclass(frozen=True)
class Account:
    """A channel account with its secrets opened, for an adapter."""

    id: str
    tenant_id: str
    channel: str
    external_id: str
    name: str
    secrets: dict[str, str]
    settings: dict[str, Any]
    enabled: bool

    def secret(self, name: str) -> str:
        """One secret, or "" when the account has none of that name."""
        return self.secrets.get(name, "")


def secret_box(rt: Runtime) -> SecretBox:
    """The runtime's box for channel-account secrets."""
    box = rt.state.get("secret_box")
    if box is None:
        box = SecretBox.from_settings(ingest_settings(rt.settings))
        rt.state["secret_box"] = box
    assert isinstance(box, SecretBox)
    return box


def route_key(channel: str, external_id: str, tenant_id: str) -> str:
    """The unique key a delivery maps through (feeds are per tenant: anyone may read a feed)."""
    if channel == "feed":
        return f"feed:{tenant_id}:{external_id}"
    return f"{channel}:{external_id}"


def verify_digest(token: str) -> str:
    """The SHA-256 under which a verify token is found."""
    return hashlib.sha256(token.encode()).hexdigest()


def opened(rt: Runtime, row: ChannelAccount) -> Account:
    """An account with its secrets decrypted."""
    return Account(
        id=row.id,
        tenant_id=row.tenant_id,
        channel=row.channel,
        external_id=row.external_id,
        name=row.name,
        secrets=secret_box(rt).open(row.secrets),
        settings=dict(row.settings),
        enabled=row.enabled,
    )


def shown(row: ChannelAccount, secret_names: list[str]) -> ChannelAccountOut:
    """An account as the API shows it."""
    return ChannelAccountOut(
        id=row.id,
        channel=row.channel,
        external_id=row.external_id,
        name=row.name,
        secret_names=sorted(secret_names),
        settings=dict(row.settings),
        enabled=row.enabled,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def find(rt: Runtime, channel: str, external_id: str) -> Account | None:
    """The enabled account a delivery's own id maps to (no tenant known yet: feeds are not found so).

    Every webhook asks this, so answers are kept for a few seconds (CACHE_SECONDS; an unknown id for
    less): a change made through another replica reaches this one within that time, one made here at
    once.
    """
    key = route_key(channel, external_id, "")
    cache = _cache(rt)
    loop_time = asyncio.get_running_loop().time()
    hit = cache.get(key)
    if hit is not None and hit[0] > loop_time:
        return hit[1]
    async with rt.unit_of_work() as uow:
        row = await AccountRepository(uow.session).by_route(key)
    account = opened(rt, row) if row is not None and row.enabled else None
    if len(cache) >= CACHE_ENTRIES:
        cache.clear()
    cache[key] = (loop_time + (CACHE_SECONDS if account else UNKNOWN_CACHE_SECONDS), account)
    return account


def _cache(rt: Runtime) -> dict[str, tuple[float, Account | None]]:
    cache = rt.state.setdefault("channel_accounts", {})
    assert isinstance(cache, dict)
    return cache


def _forget(rt: Runtime) -> None:
    """Drop what this replica remembers of accounts, after a change."""
    _cache(rt).clear()


async def find_by_verify_token(rt: Runtime, channels: tuple[str, ...], token: str) -> Account | None:
    """The enabled account whose verify token this is."""
    async with rt.unit_of_work() as uow:
        row = await AccountRepository(uow.session).by_verify_digest(channels, verify_digest(token))
    return opened(rt, row) if row is not None and row.enabled else None


async def of_channel(rt: Runtime, *channels: str, tenant_id: str | None = None) -> list[Account]:
    """The enabled accounts on these channels (for pollers and checks that carry no account id)."""
    async with rt.unit_of_work() as uow:
        rows = await AccountRepository(uow.session).of_channel(channels, tenant_id=tenant_id)
    return [opened(rt, row) for row in rows]


async def create(rt: Runtime, tenant_id: str, data: ChannelAccountIn) -> ChannelAccountOut:
    """Register an account; 409 when the channel id is already registered."""
    if data.channel == "email":  # mailboxes are found by the lower-case address deliveries name
        data = data.model_copy(update={"external_id": data.external_id.strip().lower()})
    _check(data.channel, data.external_id, data.settings)
    key = route_key(data.channel, data.external_id, tenant_id)
    at = now()
    row = ChannelAccount(
        id=new_id(),
        tenant_id=tenant_id,
        channel=data.channel,
        external_id=data.external_id,
        route_key=key,
        name=data.name,
        secrets=secret_box(rt).seal(data.secrets) if data.secrets else "",
        verify_digest=_digest_of(data.channel, data.secrets),
        settings=data.settings,
        enabled=data.enabled,
        created_at=at,
        updated_at=at,
    )
    async with rt.unit_of_work() as uow:
        if await AccountRepository(uow.session).by_route(key) is not None:
            raise Conflict(f"{data.channel} account {data.external_id!r} is already registered")
        uow.session.add(row)
    _forget(rt)
    return shown(row, list(data.secrets))


async def get(rt: Runtime, tenant_id: str, account_id: str) -> ChannelAccountOut:
    """One of the tenant's accounts; 404 when it has none of that id."""
    async with rt.unit_of_work() as uow:
        row = await _get(AccountRepository(uow.session), tenant_id, account_id)
    return shown(row, list(secret_box(rt).open(row.secrets)))


async def list_accounts(
    rt: Runtime, tenant_id: str, *, channel: str | None = None
) -> list[ChannelAccountOut]:
    """The tenant's accounts."""
    async with rt.unit_of_work() as uow:
        rows = await AccountRepository(uow.session).list(tenant_id, channel=channel)
    box = secret_box(rt)
    return [shown(row, list(box.open(row.secrets))) for row in rows]


async def update(
    rt: Runtime, tenant_id: str, account_id: str, patch: ChannelAccountPatch
) -> ChannelAccountOut:
    """Change an account; named secrets replace the stored ones, an empty value removes one."""
    box = secret_box(rt)
    async with rt.unit_of_work() as uow:
        row = await _get(AccountRepository(uow.session), tenant_id, account_id)
        secrets = box.open(row.secrets)
        if patch.secrets is not None:
            secrets.update(patch.secrets)
            secrets = {name: value for name, value in secrets.items() if value}
            row.secrets = box.seal(secrets) if secrets else ""
            row.verify_digest = _digest_of(row.channel, secrets)
        if patch.name is not None:
            row.name = patch.name
        if patch.settings is not None:
            _check(row.channel, row.external_id, patch.settings)
            row.settings = patch.settings
        if patch.enabled is not None:
            row.enabled = patch.enabled
        row.updated_at = now()
        uow.session.add(row)
    _forget(rt)
    return shown(row, list(secrets))


async def delete(rt: Runtime, tenant_id: str, account_id: str) -> None:
    """Remove an account: its deliveries are refused from now on."""
    async with rt.unit_of_work() as uow:
        row = await _get(AccountRepository(uow.session), tenant_id, account_id)
        await uow.session.delete(row)
    _forget(rt)


async def _get(repo: AccountRepository, tenant_id: str, account_id: str) -> ChannelAccount:
    row = await repo.get(tenant_id, account_id)
    if row is None:
        raise NotFound(f"no channel account {account_id!r}")
    return row


def _check(channel: str, external_id: str, settings: dict[str, Any]) -> None:
    """422 unless a channel's id and settings are usable (feeds: an http(s) URL, a sane interval;
    mailboxes: a lower-case address and usable IMAP settings)."""
    # The channel modules build on this one, so they are imported when needed.
    if channel == "feed":
        from services.ingest.channels import feeds

        feeds.check_account(external_id, settings)
    elif channel == "email":
        from services.ingest.channels import email

        email.check_account(external_id, settings)


def _digest_of(channel: str, secrets: dict[str, str]) -> str | None:
    token = secrets.get("verify_token")
    return verify_digest(token) if token and channel in VERIFY_TOKEN_CHANNELS else None
