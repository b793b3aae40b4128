"""The HTTP app factory: one or all services, their lifecycle, health, readiness and metrics."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.kit import telemetry
from services.kit.auth import KeyStore, Principal, Role, hash_secret
from services.kit.bus.base import Bus
from services.kit.config import KitSettings
from services.kit.db import Database
from services.kit.events import API_KEY_EVENTS, COMPACTED_TOPICS, TOPICS
from services.kit.http import BodyLimitMiddleware, ObservabilityMiddleware, install_error_handlers
from services.kit.migrate import upgrade
from services.kit.retention import Retention
from services.kit.runtime import Runtime, ServiceSpec, make_bus
from services.kit.uow import OutboxRelay

log = logging.getLogger(__name__)

BOOTSTRAP_KEY_ID = "bootstrap"
# Allocations (less deallocations) between two collections of the youngest generation, while an app
# runs; Python's default, 700, meant several collections per request.
GC_THRESHOLD = 10_000


def create_app(
    specs: Sequence[ServiceSpec],
    settings: KitSettings,
    *,
    bus_kind: str,
    bus: Bus | None = None,
    migrate_on_start: bool = False,
) -> FastAPI:
    """An app serving `specs`: all five in embedded mode, one in distributed mode."""
    name = specs[0].name if len(specs) == 1 else "webcare"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        telemetry.setup_tracing(name, settings.otlp_endpoint)
        the_bus = bus or make_bus(settings, bus_kind)
        keys = KeyStore()
        if settings.admin_api_key is not None:
            keys.add(
                secret_sha256=hash_secret(settings.admin_api_key.get_secret_value()),
                principal=Principal(tenant_id=settings.tenant, role=Role.admin, key_id=BOOTSTRAP_KEY_ID),
            )
        the_bus.tail(API_KEY_EVENTS, keys.on_record)
        runtimes: dict[str, Runtime] = {}
        for spec in specs:
            db = Database(settings.database_url_for(spec.name), pool_size=settings.database_pool_size)
            if migrate_on_start:
                await upgrade(spec, db)
            relay = OutboxRelay(
                service=spec.name, db=db, bus=the_bus, interval_seconds=settings.outbox_relay_seconds
            )
            runtime = Runtime(spec=spec, settings=settings, bus=the_bus, db=db, keys=keys, relay=relay)
            runtime.subscribe()
            runtimes[spec.name] = runtime
        for runtime in runtimes.values():
            for hook in runtime.spec.on_start:
                await hook(runtime)
        plain = [t for t in TOPICS if t not in COMPACTED_TOPICS]
        await the_bus.ensure_topics(plain, compacted=sorted(COMPACTED_TOPICS))
        await the_bus.start()
        app.state.bus, app.state.keys, app.state.runtimes = the_bus, keys, runtimes
        retention = [Retention(runtime) for runtime in runtimes.values()]
        for runtime, janitor in zip(runtimes.values(), retention, strict=True):
            runtime.relay.start()
            janitor.start()
        await the_bus.wait_caught_up(seconds=30)
        # What start-up built (routes, models, mappers, compiled statements) lives as long as the
        # process: kept out of the collector's generations, it is not traversed again and again by
        # the collections that every request's garbage triggers; and those collections come less
        # often (most of a request's objects are freed by reference counting anyway).
        gc.collect()
        gc.freeze()
        thresholds = gc.get_threshold()
        gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
        log.info("%s started (%s bus)", name, bus_kind)
        try:
            yield
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()  # what start-up built may be garbage after the stop (tests start many apps)
            for runtime, janitor in zip(runtimes.values(), retention, strict=True):
                for hook in runtime.spec.on_stop:
                    await hook(runtime)
                await janitor.stop()
                await runtime.relay.stop()
            await the_bus.stop()
            for runtime in runtimes.values():
                await runtime.db.close()

    app = FastAPI(
        title="Webcare API" if name == "webcare" else f"Webcare {name} API",
        version="1.0.0",
        lifespan=lifespan,
        description="Social customer service: hear, sort, route, answer and measure.",
        # Requests are traced and measured by the kernel's ObservabilityMiddleware (a lean server
        # span, Prometheus metrics); FastAPI's own OpenTelemetry spans, metrics and logs would be a
        # second, costlier copy every request pays for.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    install_error_handlers(app)
    for spec in specs:
        app.include_router(spec.router())
    _add_operations_routes(app)
    larger = {
        prefix: size
        for spec in specs
        if spec.body_limits is not None
        for prefix, size in spec.body_limits(settings).items()
    }
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, larger=larger)
    app.add_middleware(ObservabilityMiddleware, service=name)
    return app


def _add_operations_routes(app: FastAPI) -> None:
    @app.get("/healthz", tags=["operations"], summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], summary="The bus and every database are reachable")
    async def readyz(request: Request) -> JSONResponse:
        bus: Bus = request.app.state.bus
        runtimes: dict[str, Runtime] = request.app.state.runtimes
        dbs = await asyncio.gather(*(rt.db.ping() for rt in runtimes.values()))
        checks: dict[str, Any] = {
            "bus": await bus.ping(),
            "api_keys_loaded": bus.caught_up,
            **{f"database_{n}": ok for n, ok in zip(runtimes, dbs, strict=True)},
        }
        ready = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not_ready", "checks": checks}, 200 if ready else 503
        )

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
