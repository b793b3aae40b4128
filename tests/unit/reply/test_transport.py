"""The senders' transport: requests spread over several smaller connection pools, in turn."""

from __future__ import annotations

import httpx

from services.reply.transport import ShardedTransport


class Counting(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.requests = 0
        self.closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return httpx.Response(200, json={"ok": True})

    async def aclose(self) -> None:
        self.closed = True


async def test_requests_take_the_pools_in_turn_and_closing_closes_them_all() -> None:
    transport = ShardedTransport(
        limits=httpx.Limits(max_connections=256, max_keepalive_connections=64), shards=3
    )
    counters = [Counting() for _ in transport.pools]
    transport.pools[:] = counters  # the test's pools instead of real ones
    async with httpx.AsyncClient(transport=transport) as client:
        for _ in range(6):
            assert (await client.get("https://graph.example/")).json() == {"ok": True}
    assert [c.requests for c in counters] == [2, 2, 2]
    assert all(c.closed for c in counters)


def test_each_pool_may_open_as_many_connections_and_the_idle_ones_are_split() -> None:
    transport = ShardedTransport(
        limits=httpx.Limits(max_connections=256, max_keepalive_connections=64), shards=8
    )
    assert len(transport.pools) == 8
    for pool in transport.pools:
        assert isinstance(pool, httpx.AsyncHTTPTransport)
        assert (pool._pool._max_connections, pool._pool._max_keepalive_connections) == (256, 8)
