"""API keys: each belongs to one tenant and has a role; every service verifies them on its own.

Keys are issued by one service and announced on `webcare.apikey.events` with their SHA-256 only;
every process tails that topic into a KeyStore, so a revocation reaches every service within the
bus's latency, without any synchronous call between services.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request
from webcare.v1 import api_keys_pb2

from services.kit.bus.base import Record
from services.kit.errors import Forbidden, Unauthenticated
from services.kit.events import decode

log = logging.getLogger(__name__)

KEY_PREFIX = "wck_"


class Role(enum.StrEnum):
    """What a key may do. Admin may act in every role; supervisor also as an agent."""

    admin = "admin"
    supervisor = "supervisor"
    agent = "agent"
    integration = "integration"


_IMPLIED: dict[Role, frozenset[Role]] = {
    Role.admin: frozenset(Role),
    Role.supervisor: frozenset({Role.supervisor, Role.agent}),
    Role.agent: frozenset({Role.agent}),
    Role.integration: frozenset({Role.integration}),
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant, the role, the key, and for agent keys the agent."""

    tenant_id: str
    role: Role
    key_id: str
    agent_id: str | None = None

    def may_act_as(self, role: Role) -> bool:
        """Whether this principal may act in `role`."""
        return role in _IMPLIED[self.role]


def hash_secret(token: str) -> str:
    """The hex SHA-256 under which a key is known."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret() -> str:
    """A new random API key."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


class KeyStore:
    """This process's copy of every tenant's keys, fed by the api-key topic."""

    def __init__(self) -> None:
        self._by_hash: dict[str, Principal] = {}
        self._hash_of: dict[str, str] = {}

    def add(self, *, secret_sha256: str, principal: Principal) -> None:
        """Know a key."""
        self._by_hash[secret_sha256] = principal
        self._hash_of[principal.key_id] = secret_sha256

    def revoke(self, key_id: str) -> None:
        """Forget a key."""
        digest = self._hash_of.pop(key_id, None)
        if digest is not None:
            self._by_hash.pop(digest, None)

    def verify(self, token: str) -> Principal | None:
        """The principal of a presented key, or None."""
        digest = hash_secret(token)
        found = self._by_hash.get(digest)
        if found is None:
            return None
        # The dictionary lookup is by digest; compare in constant time all the same.
        return found if hmac.compare_digest(self._hash_of.get(found.key_id, ""), digest) else None

    async def on_record(self, record: Record) -> None:
        """Apply one event of the api-key topic."""
        event = decode(record)
        if isinstance(event, api_keys_pb2.ApiKeyIssued):
            principal = Principal(
                tenant_id=event.tenant_id,
                role=Role(event.role),
                key_id=event.key_id,
                agent_id=event.agent_id or None,
            )
            self.add(secret_sha256=event.secret_sha256, principal=principal)
        elif isinstance(event, api_keys_pb2.ApiKeyRevoked):
            self.revoke(event.key_id)


def authenticate(request: Request) -> Principal:
    """The caller of a request, from `Authorization: Bearer <key>`."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(
            "send your API key as 'Authorization: Bearer <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    keys: KeyStore = request.app.state.keys
    principal = keys.verify(token.strip())
    if principal is None:
        raise Unauthenticated("the API key is unknown or revoked", headers={"WWW-Authenticate": "Bearer"})
    return principal


def require(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency that admits callers who may act in any of `roles`."""
    names = " or ".join(role.value for role in roles)

    async def dependency(request: Request) -> Principal:  # a coroutine: no thread-pool hand-off
        principal = authenticate(request)
        if not any(principal.may_act_as(role) for role in roles):
            raise Forbidden(f"this needs a key with the {names} role")
        return principal

    dependency.__name__ = "require_" + "_or_".join(role.value for role in roles)
    return dependency
