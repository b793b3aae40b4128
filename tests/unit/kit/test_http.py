"""The HTTP edge: every request gets one server span that continues the caller's trace."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from services.kit.http import ObservabilityMiddleware

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{CALLER_TRACE}-00f067aa0ba902b7-01"


def app() -> FastAPI:
    app = FastAPI(telemetry={"tracing": False, "metrics": False, "logs": False})

    @app.get("/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @app.get("/v1/broken")
    async def broken() -> None:
        raise RuntimeError("boom")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(ObservabilityMiddleware, service="test")
    return app


def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def server_spans(spans: InMemorySpanExporter) -> list:  # type: ignore[type-arg]
    return [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]


async def test_a_request_is_one_server_span_named_by_its_route_in_the_callers_trace(
    spans: InMemorySpanExporter,
) -> None:
    spans.clear()
    async with client() as http:
        response = await http.get("/v1/things/42", headers={"traceparent": TRACEPARENT})
    assert response.status_code == 200
    assert response.headers["x-request-id"]
    [span] = server_spans(spans)
    assert span.name == "GET /v1/things/{thing_id}"
    assert span.attributes is not None
    assert span.attributes["http.route"] == "/v1/things/{thing_id}"
    assert span.attributes["http.response.status_code"] == 200
    assert format(span.context.trace_id, "032x") == CALLER_TRACE
    assert span.parent is not None and format(span.parent.span_id, "016x") == "00f067aa0ba902b7"


async def test_a_request_without_a_caller_trace_starts_one_and_a_5xx_is_an_error(
    spans: InMemorySpanExporter,
) -> None:
    spans.clear()
    async with client() as http:
        response = await http.get("/v1/broken")
    assert response.status_code == 500
    [span] = server_spans(spans)
    assert span.parent is None
    assert span.status.status_code == StatusCode.ERROR


async def test_probes_are_not_traced(spans: InMemorySpanExporter) -> None:
    spans.clear()
    async with client() as http:
        assert (await http.get("/healthz")).status_code == 200
    assert server_spans(spans) == []


async def test_a_database_that_is_away_for_a_moment_is_a_503_to_retry_not_a_500() -> None:
    from sqlalchemy.exc import OperationalError

    from services.kit.http import install_error_handlers

    failing = FastAPI()
    install_error_handlers(failing)

    @failing.get("/v1/dropped")
    async def dropped() -> None:
        raise OperationalError("SELECT 1", {}, ConnectionResetError("connection was closed"))

    @failing.get("/v1/bug")
    async def bug() -> None:
        raise RuntimeError("a bug")

    transport = httpx.ASGITransport(app=failing, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        away = await http.get("/v1/dropped")
        broken = await http.get("/v1/bug")
    assert away.status_code == 503 and away.json()["error"] == "unavailable"
    assert away.headers["retry-after"] == "1"
    assert broken.status_code == 500 and broken.json()["error"] == "internal_error"


def test_without_an_exporter_spans_are_not_recorded_but_the_trace_id_travels_on() -> None:
    from opentelemetry import propagate
    from opentelemetry.sdk.trace.sampling import ALWAYS_ON

    from services.kit.telemetry import tracer_provider

    provider = tracer_provider("test", None)
    with provider.get_tracer("test").start_as_current_span("handling") as span:
        recording = span.is_recording()
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
    assert not recording
    assert carrier["traceparent"].split("-")[1] == format(span.get_span_context().trace_id, "032x")
    assert tracer_provider("test", "http://collector.invalid:4318/v1/traces").sampler is ALWAYS_ON
