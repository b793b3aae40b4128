"""The HTTP transport channel senders share: aiohttp's connection pool under httpx's client.

The senders speak httpx (requests, responses, its errors; tests hand them a MockTransport). Below
that, httpcore's pool and h11 were a fifth of reply's CPU per reply at a few hundred replies in
flight: the pool looks at every connection each time a request comes or goes, and h11 parses in
Python. aiohttp's connector and its C parser (llhttp) carry the same requests for less
(`make bench-reply`); httpx-aiohttp adapts it to httpx and maps aiohttp's errors onto httpx's, which
the senders catch (a refused connection, a timeout: the channel is unreachable for now).
"""

from __future__ import annotations

import httpx
from httpx_aiohttp import AiohttpTransport


def channel_transport(limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    """The transport for channel APIs: at most `limits.max_connections` open, idle ones kept for
    `limits.keepalive_expiry` seconds."""
    return AiohttpTransport(limits=limits)
