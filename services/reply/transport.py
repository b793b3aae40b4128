"""The HTTP transport channel senders share: several connection pools taken in turn.

httpcore's pool looks at every one of its connections, for every idle one, each time a request
comes or goes (`AsyncConnectionPool._assign_requests_to_connections`), so its cost grows with the
square of the connections it keeps. With a few hundred replies in flight that was a large share of
reply's CPU. Requests taken by `SHARDS` smaller pools in turn keep the same number of connections
open in all, each pool a fraction of them. Each pool may open as many connections as the whole
(a request waits for none more than before; in flight there are no more than reply's concurrency),
and the connections kept idle are split between them.
"""

from __future__ import annotations

import httpx

SHARDS = 8


class ShardedTransport(httpx.AsyncBaseTransport):
    """`shards` pools, each request to the next; `limits` for each, the idle connections split."""

    def __init__(self, *, limits: httpx.Limits, shards: int = SHARDS) -> None:
        share = httpx.Limits(
            max_connections=limits.max_connections,
            max_keepalive_connections=_share(limits.max_keepalive_connections, shards),
            keepalive_expiry=limits.keepalive_expiry,
        )
        verify = httpx.create_ssl_context()  # one set of CA certificates for all pools
        self.pools: list[httpx.AsyncBaseTransport] = [
            httpx.AsyncHTTPTransport(verify=verify, limits=share) for _ in range(shards)
        ]
        self._requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send the request through the next pool."""
        self._requests += 1
        return await self.pools[self._requests % len(self.pools)].handle_async_request(request)

    async def aclose(self) -> None:
        """Close every pool."""
        for pool in self.pools:
            await pool.aclose()


def _share(total: int | None, shards: int) -> int | None:
    return None if total is None else max(1, -(-total // shards))
