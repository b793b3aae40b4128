"""The bus contract on the in-memory bus, several clients sharing one MemoryBroker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.kit.bus.base import Bus, RetryPolicy
from services.kit.bus.memory import MemoryBroker, MemoryBus

pytest.register_assert_rewrite("tests.bus_contract")  # detailed assertion messages in the contract

from tests.bus_contract import *  # noqa: E402, F403
from tests.bus_contract import BusFactory, bus_clients  # noqa: E402


@pytest.fixture
async def bus_factory() -> AsyncIterator[BusFactory]:
    """New MemoryBus clients of one shared broker."""
    broker = MemoryBroker()

    def make(policy: RetryPolicy) -> Bus:
        return MemoryBus(broker=broker, policy=policy)

    async with bus_clients(make) as factory:
        yield factory
