"""One trace follows a message from the HTTP request through every bus hop."""

from __future__ import annotations

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from services.kit.events import CONVERSATION_EVENTS, MESSAGE_CLASSIFIED, MESSAGE_RECEIVED
from tests.unit.conftest import Api, eventually


async def test_one_trace_from_the_ingest_request_to_the_routing_decision(
    api: Api, spans: InMemorySpanExporter
) -> None:
    spans.clear()
    await api.message("traced", "Wann kommt mein Paket?")

    def consumer_spans(topic: str) -> list[str]:
        return [
            format(s.context.trace_id, "032x")
            for s in spans.get_finished_spans()
            if s.kind == SpanKind.CONSUMER
            and s.attributes
            and s.attributes.get("messaging.destination.name") == topic
        ]

    async def routed() -> bool:
        return bool(consumer_spans(MESSAGE_CLASSIFIED)) and bool(consumer_spans(CONVERSATION_EVENTS))

    await eventually(routed)
    request = [
        s
        for s in spans.get_finished_spans()
        if s.kind == SpanKind.SERVER and s.attributes and s.attributes.get("http.route") == "/v1/messages"
    ]
    assert len(request) == 1
    trace_id = format(request[0].context.trace_id, "032x")
    assert trace_id in consumer_spans(MESSAGE_RECEIVED)
    assert trace_id in consumer_spans(MESSAGE_CLASSIFIED)
    assert trace_id in consumer_spans(CONVERSATION_EVENTS)
    producers = [s for s in spans.get_finished_spans() if s.kind == SpanKind.PRODUCER]
    assert any(format(s.context.trace_id, "032x") == trace_id for s in producers)
