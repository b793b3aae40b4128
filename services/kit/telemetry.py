"""Metrics and traces, declared once and applied by the kernel around every route and handler."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON
from opentelemetry.trace import Span, SpanKind
from prometheus_client import Counter, Gauge, Histogram

log = logging.getLogger(__name__)

HTTP_REQUESTS = Counter(
    "webcare_http_requests_total", "HTTP requests answered", ["service", "method", "route", "status"]
)
HTTP_DURATION = Histogram(
    "webcare_http_request_duration_seconds", "Time to answer an HTTP request", ["service", "method", "route"]
)
EVENTS_HANDLED = Counter(
    "webcare_consumer_events_total",
    "Events taken from the bus, by outcome (ok, duplicate, skipped, retried, dead_lettered)",
    ["group", "topic", "outcome"],
)
HANDLE_DURATION = Histogram(
    "webcare_consumer_handle_duration_seconds", "Time to handle one event", ["group", "topic"]
)
EVENTS_PUBLISHED = Counter("webcare_producer_events_total", "Events published to the bus", ["topic"])
DEAD_LETTERS = Counter("webcare_dead_letters_total", "Events parked on a dead-letter topic", ["topic"])
CONSUMER_LAG = Gauge(
    "webcare_consumer_lag_records",
    "Records of a partition its consumer group has not handled yet (at the last commit)",
    ["group", "topic", "partition"],
)
OUTBOX_PENDING = Gauge("webcare_outbox_pending_events", "Events committed but not yet published", ["service"])

_TRACER_NAME = "webcare"


def tracer_provider(service_name: str, otlp_endpoint: str | None) -> TracerProvider:
    """A tracer provider exporting over OTLP when an endpoint is configured.

    Without one, spans are not recorded (nothing would read them: recording cost a fifth of
    reporting's CPU per event), but trace ids are still made and passed on in `traceparent`, so
    logs and downstream services keep one trace id per message."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": service_name}),
        sampler=ALWAYS_ON if otlp_endpoint else ALWAYS_OFF,
    )
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_endpoint)))
    return provider


def setup_tracing(service_name: str, otlp_endpoint: str | None) -> None:
    """Install the process's tracer provider (see `tracer_provider`), unless one is installed."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        trace.set_tracer_provider(tracer_provider(service_name, otlp_endpoint))


@functools.cache
def tracer() -> trace.Tracer:
    """The tracer for kernel spans (a proxy until a provider is set, then the provider's: kept once)."""
    return trace.get_tracer(_TRACER_NAME)


def inject_headers(headers: Sequence[tuple[str, bytes]]) -> tuple[tuple[str, bytes], ...]:
    """Headers with the current trace context (`traceparent`) added, replacing any old one."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    kept = [(k, v) for k, v in headers if k not in carrier]
    return (*kept, *((k, v.encode()) for k, v in carrier.items()))


@contextmanager
def producer_span(topic: str) -> Iterator[Span]:
    """A PRODUCER span for one publish."""
    with tracer().start_as_current_span(
        f"{topic} publish",
        kind=SpanKind.PRODUCER,
        attributes={"messaging.system": "kafka", "messaging.destination.name": topic},
    ) as span:
        yield span


@contextmanager
def consumer_span(topic: str, group: str, headers: Sequence[tuple[str, bytes]]) -> Iterator[Span]:
    """A CONSUMER span for one delivery, continuing the trace carried in the headers."""
    carrier = {k: v.decode("latin-1") for k, v in headers if k in ("traceparent", "tracestate")}
    parent = propagate.extract(carrier)
    token = otel_context.attach(parent)
    try:
        with tracer().start_as_current_span(
            f"{topic} process",
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": topic,
                "messaging.consumer.group.name": group,
            },
        ) as span:
            yield span
    finally:
        otel_context.detach(token)
