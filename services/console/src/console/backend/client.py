"""Calls to the four services, always with the signed-in person's own token.

The console decides nothing the services decide: a refusal (403, 404, 409, 422) comes
back as `Refused` carrying the service's own message and field errors, for the page to
show beside what the person typed. Time spent waiting on the services is added up per
request, so a page can say how much of its time was theirs (`Server-Timing`).
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from console import metrics
from console.settings import ConsoleSettings
from shared import context

Service = Literal["intake", "routing", "surveys", "notify"]
SERVICES: tuple[Service, ...] = ("intake", "routing", "surveys", "notify")


@dataclass
class Waited:
    """Time one page request spent waiting on the services (mutable: the page's calls add
    to it from wherever the request's context was copied)."""

    seconds: float = 0.0
    calls: int = 0


waited: contextvars.ContextVar[Waited | None] = contextvars.ContextVar("waited", default=None)


@dataclass(eq=False)
class Refused(Exception):
    """A service refused the request; `detail` and `errors` are its own words."""

    service: str
    status: int
    detail: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)

    def field_errors(self) -> dict[str, dict[str, Any]]:
        """The body field errors of a 422, by dotted field name."""
        return {str(e.get("field", "")): e for e in self.errors if e.get("in", "body") == "body"}


class Unavailable(Exception):
    """A service could not be reached or failed (5xx): nothing the person did wrong."""

    def __init__(self, service: str, status: int | None = None) -> None:
        super().__init__(f"{service} unavailable ({status or 'no answer'})")
        self.service = service
        self.status = status


class TokenRejected(Exception):
    """A service answered 401: the person's token is no longer good; sign in again."""


class Services:
    """One pooled HTTP client for all four services, shared by every request."""

    def __init__(self, settings: ConsoleSettings) -> None:
        self.bases: dict[str, str] = {
            s: getattr(settings, f"{s}_url").rstrip("/") for s in SERVICES
        }
        self.http = httpx.AsyncClient(
            timeout=settings.api_timeout,
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        )

    async def close(self) -> None:
        await self.http.aclose()

    def base(self, service: str) -> str:
        """The base URL of a service."""
        return self.bases[service]

    def for_token(self, token: str, *, lang: str) -> Api:
        """Calls made as the holder of `token`, asking for answers in `lang`."""
        return Api(self, token=token, lang=lang)


class Api:
    """The services as one person sees them."""

    def __init__(self, services: Services, *, token: str, lang: str) -> None:
        self._services = services
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "Accept-Language": "zh-CN" if lang == "zh" else "en",
        }

    async def get(self, service: Service, path: str, **params: Any) -> Any:
        """The JSON a GET answers."""
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        return (await self._send(service, "GET", path, params=query)).json()

    async def get_text(self, service: Service, path: str, **params: Any) -> str:
        """The text (a printable page) a GET answers."""
        headers = {"Accept": "text/html"}
        return (await self._send(service, "GET", path, params=params, headers=headers)).text

    async def post(
        self, service: Service, path: str, body: Any = None, *, key: str | None = None
    ) -> Any:
        """The JSON a POST answers; `key` is sent as its Idempotency-Key."""
        return await self._write("POST", service, path, body, key)

    async def put(
        self, service: Service, path: str, body: Any = None, *, key: str | None = None
    ) -> Any:
        """The JSON a PUT answers (a whole document replaced)."""
        return await self._write("PUT", service, path, body, key)

    async def patch(
        self, service: Service, path: str, body: Any = None, *, key: str | None = None
    ) -> Any:
        """The JSON a PATCH answers (the changed fields only)."""
        return await self._write("PATCH", service, path, body, key)

    async def upload(self, service: Service, path: str, content: bytes, media: str) -> Any:
        """The JSON a POST of a file's bytes (CSV, JSON) as `media` answers."""
        headers = {"Content-Type": media}
        response = await self._send(service, "POST", path, content=content, headers=headers)
        return response.json() if response.content else None

    async def delete(self, service: Service, path: str) -> None:
        """Remove what `path` names."""
        await self._send(service, "DELETE", path)

    async def _write(
        self, method: str, service: Service, path: str, body: Any, key: str | None
    ) -> Any:
        headers = {"Idempotency-Key": key} if key else {}
        response = await self._send(service, method, path, json=body, headers=headers)
        return response.json() if response.content else None

    async def _send(
        self,
        service: Service,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        url = f"{self._services.base(service)}{path}"
        sent = {**self._headers, **_trace(), **(headers or {})}
        started = time.perf_counter()
        try:
            response = await self._services.http.request(method, url, headers=sent, **kwargs)
        except httpx.HTTPError as exc:
            _observe(service, "unreachable", started)
            raise Unavailable(service) from exc
        _observe(service, _outcome(response.status_code), started)
        return _checked(service, response)


def _trace() -> dict[str, str]:
    correlation = context.correlation_id.get()
    return {"X-Correlation-Id": correlation} if correlation else {}


def _observe(service: str, outcome: str, started: float) -> None:
    took = time.perf_counter() - started
    current = waited.get()
    if current is not None:
        current.seconds += took
        current.calls += 1
    metrics.api_calls.labels(service, outcome).inc()
    metrics.api_duration.labels(service).observe(took)


def _outcome(status: int) -> str:
    if status < 400:
        return "ok"
    return "refused" if status < 500 else "failed"


def _checked(service: str, response: httpx.Response) -> httpx.Response:
    status = response.status_code
    if status < 400:
        return response
    if status == 401:
        raise TokenRejected(service)
    if status >= 500 or status == 429:
        raise Unavailable(service, status)
    return _refusal(service, response)


def _refusal(service: str, response: httpx.Response) -> httpx.Response:
    try:
        problem = response.json()
    except ValueError:
        problem = {}
    if not isinstance(problem, dict):
        problem = {}
    known = {"type", "title", "status", "detail", "errors", "instance"}
    raise Refused(
        service=service,
        status=response.status_code,
        detail=str(problem.get("detail") or response.reason_phrase),
        errors=list(problem.get("errors") or []),
        extensions={k: v for k, v in problem.items() if k not in known},
    )
