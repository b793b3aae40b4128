"""Typed FastAPI dependencies shared by every service's routes."""

from __future__ import annotations

from collections.abc import Callable
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


def runtime(service: str) -> Callable[[Request], Runtime]:
    """A dependency that gives a route its service's runtime."""

    def dependency(request: Request) -> Runtime:
        runtime: Runtime = request.app.state.runtimes[service]
        return runtime

    dependency.__name__ = f"{service}_runtime"
    return dependency
