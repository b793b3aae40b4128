"""Typed FastAPI dependencies shared by every service's routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Query, Request

from services.kit.auth import Principal, Role, require
from services.kit.runtime import Runtime

AdminDep = Annotated[Principal, Depends(require(Role.admin))]
SupervisorDep = Annotated[Principal, Depends(require(Role.supervisor))]
AgentDep = Annotated[Principal, Depends(require(Role.agent))]
IntegrationDep = Annotated[Principal, Depends(require(Role.integration))]
SupervisorOrIntegrationDep = Annotated[Principal, Depends(require(Role.supervisor, Role.integration))]

LimitQuery = Annotated[int, Query(ge=1, le=500, description="How many items at most")]
CursorQuery = Annotated[str | None, Query(description="`next_cursor` of the previous page")]


def runtime(service: str) -> Callable[[Request], Awaitable[Runtime]]:
    """A dependency that gives a route its service's runtime.

    Dependencies are coroutines (here and in `auth.require`): FastAPI runs a plain function in its
    thread pool, a hand-off that cost every request more than the lookup itself.
    """

    async def dependency(request: Request) -> Runtime:
        runtime: Runtime = request.app.state.runtimes[service]
        return runtime

    dependency.__name__ = f"{service}_runtime"
    return dependency
