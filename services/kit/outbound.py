"""Requests to addresses a tenant chose (feed URLs, channel base URLs) must not reach the cluster's
inside: metadata services, databases, other services."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpx


async def non_public(url: httpx.URL) -> str | None:
    """Why a request to `url` must not be made (its host resolves to a private, loopback, link-local
    or otherwise non-public address, or does not resolve), or None when it may."""
    host = url.host
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"{host} cannot be resolved: {exc}"
    for *_, address in found:
        ip = ipaddress.ip_address(str(address[0]).split("%", 1)[0])
        if not ip.is_global:
            return f"{host} is a non-public address ({ip})"
    return None
