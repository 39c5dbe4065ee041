"""ASGI middleware: request and correlation ids bound for logs, and HTTP metrics.

Pure ASGI rather than BaseHTTPMiddleware, which costs a task and a copy per request.
"""

from __future__ import annotations

import time
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared import context, metrics

MAX_ID_LENGTH = 64
API_PREFIX = "/v1"


class RequestContextMiddleware:
    """Binds request id and correlation id, echoes them, and records metrics."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        request_id = _header_id(headers, b"x-request-id") or context.new_id()
        correlation = _header_id(headers, b"x-correlation-id") or request_id
        status = 500
        started = time.perf_counter()

        async def send_with_ids(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode()),
                    (b"x-correlation-id", correlation.encode()),
                ]
            await send(message)

        with context.bound(correlation=correlation, causation=request_id, request_id=request_id):
            try:
                await self.app(scope, receive, send_with_ids)
            finally:
                self._observe(scope, status, time.perf_counter() - started)
                structlog.contextvars.unbind_contextvars("request_id")

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = _route_template(scope)
        method = scope.get("method", "GET")
        metrics.http_requests.labels(self.service, method, route, str(status)).inc()
        metrics.http_duration.labels(self.service, method, route).observe(seconds)


def _route_template(scope: Scope) -> str:
    route: Any = scope.get("route")
    path = getattr(route, "path", None)
    if not path:
        return "unmatched"
    # Included routers keep their routes' own paths; the API prefix is added back here.
    if scope.get("path", "").startswith(API_PREFIX + "/") and not path.startswith(API_PREFIX):
        return f"{API_PREFIX}{path}"
    return str(path)


def _header_id(headers: dict[bytes, bytes], name: bytes) -> str | None:
    raw = headers.get(name)
    if not raw:
        return None
    value = raw.decode("latin-1").strip()
    if not value or len(value) > MAX_ID_LENGTH or not value.isprintable():
        return None
    return value
