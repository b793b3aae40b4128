"""The reference CRM connector: when a conversation opens, routing looks its author up in the tenant's
CRM, and what the CRM knows (VIP, segment, language, name, its id) joins the customer's profile and
the conversation (a CRM VIP goes first; policies test `{"customer": "segment", "equals": "gold"}`).

The contract (ours: a CRM implements it, or an adapter in front of it does)::

    GET {base_url}/customers?channel={channel}&external_id={external_id}
    Authorization: Bearer {token}

    200 {"id": "crm-4711", "name": "Erika Mustermann", "vip": true, "segment": "gold",
         "language": "de"}                       (every field but id optional; more are ignored)
    404                                          the CRM does not know the person

`channel` is Webcare's channel name (x, facebook, whatsapp, email, phone, ...) and `external_id` the
channel's id of the author as routing keeps it (phone numbers in E.164, e-mail addresses in lower
case).

Routing never waits long on a CRM. A lookup is bounded by the connector's `timeout_ms` (at most
`MAX_TIMEOUT_MS`); its answer, found or not, is remembered in the process for `cache_seconds` per
(tenant, channel, external_id); a timeout, a refused connection, a 5xx or an answer not in the
contract counts as "unknown for now", is logged and remembered for `UNKNOWN_SECONDS`, so a CRM that is
down is not asked again for every message. Every lookup is counted in `webcare_crm_lookups_total` by
outcome: hit, miss (404), cached, timeout, error.

The lookups of a batch of messages run in the consumer's batch preparation, before any handler of the
batch runs: routing takes the tenant's lock when it assigns (`assign_waiting`), and a lookup made
while holding it would make every other routing transaction of the tenant wait on the CRM. Only
messages that may open a conversation (none is open under their key) are looked up.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import httpx
from prometheus_client import Counter
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from webcare.v1 import messages_pb2

from services.kit.errors import NotFound, Unprocessable
from services.kit.events import now
from services.kit.outbound import non_public
from services.kit.runtime import Runtime
from services.kit.secrets import SecretBox
from services.kit.uow import UnitOfWork
from services.routing.config import routing_settings
from services.routing.customers import normalise
from services.routing.models import Conversation, CrmConnector
from services.routing.repository import ConversationRepository, CustomerRepository

log = logging.getLogger(__name__)

LOOKUP_PATH = "/customers"
MAX_TIMEOUT_MS = 2000
UNKNOWN_SECONDS = 30.0  # how long "unknown for now" (timeout, error) is remembered
MAX_CACHED = 50_000  # entries per process; the oldest go first beyond it
ATTRIBUTES = ("vip", "segment", "language")  # what a CRM's answer adds to the profile's attributes

LOOKUPS = Counter(
    "webcare_crm_lookups_total", "CRM lookups of a conversation's author, by outcome", ["outcome"]
)


class Outcome(StrEnum):
    """How a lookup went."""

    hit = "hit"
    miss = "miss"
    cached = "cached"
    timeout = "timeout"
    error = "error"


class CrmConnectorIn(BaseModel):
    """Where and how routing looks customers up in the tenant's CRM."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"base_url": "https://crm.example.com/webcare", "token": "s3cr3t", "timeout_ms": 300}
            ]
        },
    )

    base_url: str = Field(
        min_length=1,
        max_length=2048,
        description=f"the CRM API's address (https); GET {LOOKUP_PATH} under it",
    )
    token: str = Field(
        min_length=1, max_length=4096, description="sent as a bearer token; encrypted at rest, never returned"
    )
    timeout_ms: int = Field(
        default=300, ge=10, le=MAX_TIMEOUT_MS, description="the longest a lookup may take"
    )
    cache_seconds: int = Field(
        default=300, ge=0, le=86400, description="how long an answer (found or not) is remembered"
    )


class CrmConnectorOut(BaseModel):
    """The CRM connector as the API shows it: without the token."""

    base_url: str
    timeout_ms: int
    cache_seconds: int
    updated_at: datetime


class CrmCustomer(BaseModel):
    """What the CRM knows of a person (the contract's 200 answer)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(min_length=1, max_length=200, coerce_numbers_to_str=True)
    name: str | None = Field(default=None, max_length=200)
    vip: bool = False
    segment: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=16)

    def attributes(self) -> dict[str, Any]:
        """The profile attributes the answer sets."""
        found = {"vip": self.vip, "segment": self.segment, "language": self.language}
        return {key: value for key, value in found.items() if value is not None}


@dataclass(frozen=True)
class Target:
    """A tenant's connector, ready to ask."""

    tenant_id: str
    base_url: str
    token: str
    timeout: float  # seconds
    cache_seconds: float


Key = tuple[str, str, str]  # tenant, channel, external_id


class Lookups:
    """The process's lookups: the remembered answers, and the asking."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._cache: dict[Key, tuple[float, CrmCustomer | None]] = {}

    def forget(self, tenant_id: str) -> None:
        """Drop what was remembered for a tenant (its connector changed)."""
        for key in [key for key in self._cache if key[0] == tenant_id]:
            del self._cache[key]

    def _remember(self, key: Key, found: CrmCustomer | None, seconds: float) -> None:
        if seconds <= 0:
            return
        self._cache.pop(key, None)
        self._cache[key] = (self.clock() + seconds, found)
        while len(self._cache) > MAX_CACHED:
            del self._cache[next(iter(self._cache))]

    async def find(
        self, http: httpx.AsyncClient, target: Target, channel: str, external_id: str
    ) -> CrmCustomer | None:
        """What the CRM knows of the person: remembered, or asked within the timeout; None when it
        does not know them or cannot say now."""
        key = (target.tenant_id, channel, external_id)
        remembered = self._cache.get(key)
        if remembered is not None and remembered[0] > self.clock():
            LOOKUPS.labels(Outcome.cached.value).inc()
            return remembered[1]
        outcome, found = await _ask(http, target, channel, external_id)
        LOOKUPS.labels(outcome.value).inc()
        unknown = outcome in (Outcome.timeout, Outcome.error)
        self._remember(
            key, found, min(UNKNOWN_SECONDS, target.cache_seconds) if unknown else target.cache_seconds
        )
        return found


async def _ask(
    http: httpx.AsyncClient, target: Target, channel: str, external_id: str
) -> tuple[Outcome, CrmCustomer | None]:
    """One request to the CRM, bounded by the connector's timeout (httpx's per phase, and a hard
    deadline over the whole of it)."""
    try:
        response = await asyncio.wait_for(
            http.get(
                target.base_url + LOOKUP_PATH,
                params={"channel": channel, "external_id": external_id},
                headers={"Authorization": f"Bearer {target.token}", "Accept": "application/json"},
                timeout=httpx.Timeout(target.timeout),
            ),
            timeout=target.timeout,
        )
    except (TimeoutError, httpx.TimeoutException):
        log.warning("CRM of %s did not answer within %.0f ms", target.tenant_id, target.timeout * 1000)
        return Outcome.timeout, None
    except httpx.HTTPError as exc:
        log.warning("CRM of %s cannot be reached: %r", target.tenant_id, exc)
        return Outcome.error, None
    if response.status_code == httpx.codes.NOT_FOUND:
        return Outcome.miss, None
    if response.status_code != httpx.codes.OK:
        log.warning("CRM of %s answered %s to a lookup", target.tenant_id, response.status_code)
        return Outcome.error, None
    try:
        return Outcome.hit, CrmCustomer.model_validate_json(response.content)
    except ValidationError as exc:
        log.warning("CRM of %s answered outside the contract: %s", target.tenant_id, exc)
        return Outcome.error, None


def lookups_of(rt: Runtime) -> Lookups:
    """The process's lookups (made on first use)."""
    lookups = rt.state.get("crm_lookups")
    if not isinstance(lookups, Lookups):
        lookups = rt.state["crm_lookups"] = Lookups()
    return lookups


def box_of(rt: Runtime) -> SecretBox:
    """The box that seals connector tokens (made on first use)."""
    box = rt.state.get("crm_box")
    if not isinstance(box, SecretBox):
        box = rt.state["crm_box"] = SecretBox.from_settings(routing_settings(rt))
    return box


async def check_base_url(url: str, *, allow_private_networks: bool) -> None:
    """Refuse a CRM address that is not https on a public host (http and private hosts pass where
    private networks are allowed)."""
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
    if (problem := await non_public(parsed)) is not None:
        raise Unprocessable(
            f"base_url: {problem}; CRMs are asked on the internet only", code="invalid_base_url"
        )


def connector_out(row: CrmConnector) -> CrmConnectorOut:
    """The API's view of a connector."""
    return CrmConnectorOut(
        base_url=row.base_url,
        timeout_ms=row.timeout_ms,
        cache_seconds=row.cache_seconds,
        updated_at=row.updated_at,
    )


async def put_connector(
    uow: UnitOfWork,
    *,
    tenant_id: str,
    data: CrmConnectorIn,
    box: SecretBox,
    lookups: Lookups,
    allow_private_networks: bool,
) -> CrmConnectorOut:
    """Create or replace the tenant's connector; answers remembered under the old one are forgotten."""
    await check_base_url(data.base_url, allow_private_networks=allow_private_networks)
    row = await uow.session.get(CrmConnector, tenant_id) or CrmConnector(
        tenant_id=tenant_id, base_url="", updated_at=now()
    )
    row.base_url = data.base_url.rstrip("/")
    row.token = box.seal({"token": data.token})
    row.timeout_ms, row.cache_seconds = data.timeout_ms, data.cache_seconds
    row.updated_at = now()
    uow.session.add(row)
    await uow.session.flush()
    lookups.forget(tenant_id)
    return connector_out(row)


async def get_connector(uow: UnitOfWork, *, tenant_id: str) -> CrmConnectorOut:
    """The tenant's connector, or NotFound."""
    row = await uow.session.get(CrmConnector, tenant_id)
    if row is None:
        raise NotFound("no CRM connector: PUT /v1/crm-connector")
    return connector_out(row)


async def delete_connector(uow: UnitOfWork, *, tenant_id: str, lookups: Lookups) -> None:
    """Stop looking customers up for the tenant, and forget its token."""
    row = await uow.session.get(CrmConnector, tenant_id)
    if row is None:
        raise NotFound("no CRM connector")
    await uow.session.delete(row)
    lookups.forget(tenant_id)


async def _target(uow: UnitOfWork, box: SecretBox, tenant_id: str) -> Target | None:
    row = await uow.session.get(CrmConnector, tenant_id)
    if row is None:
        return None
    try:
        token = box.open(row.token).get("token", "")
    except ValueError as exc:
        log.error("CRM connector of %s unusable: %s", tenant_id, exc)
        LOOKUPS.labels(Outcome.error.value).inc()
        return None
    return Target(
        tenant_id=tenant_id,
        base_url=row.base_url,
        token=token,
        timeout=row.timeout_ms / 1000,
        cache_seconds=float(row.cache_seconds),
    )


async def look_up_authors(
    uow: UnitOfWork, events: Sequence[messages_pb2.MessageClassified], *, lookups: Lookups, box: SecretBox
) -> Mapping[str, CrmCustomer]:
    """What the tenants' CRMs know of the authors of the conversations these messages may open, by
    event id (at most one request per author, all at once; see the module's note on locks)."""
    targets: dict[str, Target | None] = {}
    wanted: dict[Key, tuple[Target, list[str]]] = {}
    repo = ConversationRepository(uow.session)
    for event in events:
        author, channel = event.message.author.external_id, event.message.channel
        if not author:
            continue
        if event.tenant_id not in targets:
            targets[event.tenant_id] = await _target(uow, box, event.tenant_id)
        target = targets[event.tenant_id]
        if target is None or await repo.open_by_key(event.tenant_id, event.message.conversation_key):
            continue
        key = (event.tenant_id, channel, normalise(channel, author))
        wanted.setdefault(key, (target, []))[1].append(event.event_id)
    if not wanted:
        return {}
    async with httpx.AsyncClient(follow_redirects=False) as http:
        found = await asyncio.gather(
            *(
                lookups.find(http, target, channel, value)
                for (_, channel, value), (target, _) in wanted.items()
            )
        )
    return {
        event_id: customer
        for customer, (_, event_ids) in zip(found, wanted.values(), strict=True)
        if customer is not None
        for event_id in event_ids
    }


async def enrich(uow: UnitOfWork, conversation: Conversation, found: CrmCustomer) -> None:
    """Add what the CRM knows to the opening conversation (its customer's attributes, VIP) and to its
    profile (attributes and name; the CRM's id where the profile has none and no other profile has
    it)."""
    conversation.customer = {**conversation.customer, **found.attributes(), "crm_id": found.id}
    conversation.vip = conversation.vip or found.vip
    if conversation.profile_id is None:
        return
    repo = CustomerRepository(uow.session)
    profile = await repo.get(conversation.tenant_id, conversation.profile_id)
    if profile is None:
        return
    changes: dict[str, Any] = {
        "attributes": {**profile.attributes, **found.attributes()},
        "name": found.name or profile.name,
    }
    if profile.external_id is None:
        owner = await repo.by_external_id(conversation.tenant_id, found.id)
        if owner is None:
            changes["external_id"] = found.id
        else:
            log.info("CRM id %s of %s belongs to profile %s already", found.id, profile.id, owner.id)
    if any(getattr(profile, field) != value for field, value in changes.items()):
        for field, value in changes.items():
            setattr(profile, field, value)
        profile.updated_at = now()
        repo.add(profile)
