"""The HTTP edge every service shares: request ids, metrics, and one error format."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry import context as otel_context
from opentelemetry import propagate
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, set_span_in_context
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.kit import telemetry
from services.kit.db import is_transient
from services.kit.errors import TooLarge, WebcareError

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "malformed",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "too_many_requests",
}


def request_id(request: Request) -> str:
    """The id of the current request."""
    return str(request.scope.get("state", {}).get("request_id", ""))


def _error(
    request: Request, status: int, code: str, detail: Any, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": code, "detail": detail, "request_id": request_id(request)}
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Render every error as {"error": code, "detail": ..., "request_id": ...}."""

    @app.exception_handler(WebcareError)
    async def webcare_error(request: Request, exc: WebcareError) -> JSONResponse:
        return _error(request, exc.status, exc.code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return _error(request, 400, "malformed", "the body is not valid JSON")
        detail = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "problem": e.get("msg", "")}
            for e in errors
        ]
        return _error(request, 422, "invalid_request", detail)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        return _error(request, exc.status_code, code, exc.detail, dict(exc.headers or {}))

    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, exc: IntegrityError) -> JSONResponse:
        # Two requests changed the same thing at once and the database kept the first one.
        log.info("conflicting write on %s %s: %s", request.method, request.url.path, exc.orig)
        return _error(request, 409, "conflict", "a concurrent change conflicted with this one; retry it")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        if is_transient(exc):  # the database or Kafka is away for a moment: nothing was done, retry
            log.warning("unavailable on %s %s: %r", request.method, request.url.path, exc)
            detail = "a backing service is unavailable for a moment; nothing was changed, retry shortly"
            return _error(request, 503, "unavailable", detail, {"Retry-After": "1"})
        log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error(request, 500, "internal_error", "an unexpected error occurred; it has been logged")


# Paths polled by probes and scrapers: counted, but not traced.
UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class ObservabilityMiddleware:
    """Give every request an id, a server span that continues the caller's trace, and the RED metrics,
    labelled by route template.

    The span carries the route template, method and status only: that is what the traces are read by,
    and every request pays for each attribute a generic instrumentation would add.
    """

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = incoming[:64] if incoming else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        method = scope.get("method", "")
        span = None
        if scope.get("path", "") not in UNTRACED_PATHS:
            caller = _caller_context(headers)
            span = telemetry.tracer().start_span(method, context=caller, kind=SpanKind.SERVER)
        token = otel_context.attach(set_span_in_context(span)) if span is not None else None
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            tags = getattr(route, "tags", None) or [self.service]
            service = str(tags[0])
            telemetry.HTTP_REQUESTS.labels(service, method, template, str(status)).inc()
            telemetry.HTTP_DURATION.labels(service, method, template).observe(time.perf_counter() - started)
            if span is not None:
                _finish(span, method=method, template=template, status=status)
            if token is not None:
                otel_context.detach(token)


def _caller_context(headers: Mapping[bytes, bytes]) -> otel_context.Context:
    """The trace context the caller sent (W3C traceparent and tracestate); none starts a new trace."""
    carrier = {
        name.decode(): headers[name].decode("latin-1")
        for name in (b"traceparent", b"tracestate")
        if name in headers
    }
    return propagate.extract(carrier, context=otel_context.Context())


def _finish(span: Span, *, method: str, template: str, status: int) -> None:
    span.update_name(f"{method} {template}" if template != "unmatched" else method)
    span.set_attributes(
        {"http.request.method": method, "http.route": template, "http.response.status_code": status}
    )
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR))
    span.end()


class BodyLimitMiddleware:
    """Refuse request bodies over `max_bytes` with 413, whether or not they announce their length.

    A body without Content-Length is read here first (never more than `max_bytes`), then replayed.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, larger: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Paths (prefixes) that take bigger bodies, e.g. inbound e-mail with its attachments.
        self.larger = sorted((larger or {}).items(), key=lambda item: len(item[0]), reverse=True)

    def limit(self, path: str) -> int:
        """The most bytes a request to this path may send."""
        return next((size for prefix, size in self.larger if path.startswith(prefix)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > limit:
                await self._refuse(scope, receive, send, limit)
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, receive, send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        body = {
            "error": TooLarge.code,
            "detail": f"the request body is larger than {limit} bytes",
            "request_id": scope.get("state", {}).get("request_id", ""),
        }
        await JSONResponse(body, status_code=TooLarge.status)(scope, receive, send)
