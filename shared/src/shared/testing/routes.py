"""Walking every route of a service app, for the tests that prove each one is guarded."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI

OPEN_PATHS = frozenset({"/v1/openapi.json", "/v1/docs"})


@dataclass(frozen=True)
class Answer:
    method: str
    path: str
    status: int
    content_type: str


def api_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path template) under /v1 that is not API documentation.

    Read from the OpenAPI document: FastAPI keeps included routers lazily, so the
    document is the one public list of every route with its full path.
    """
    found: list[tuple[str, str]] = []
    for path, operations in app.openapi()["paths"].items():
        if path.startswith("/v1/") and path not in OPEN_PATHS:
            found.extend((method.upper(), path) for method in sorted(operations))
    return found


def router_routes(routers: Iterable[APIRouter]) -> list[tuple[str, str]]:
    """Every (method, path template) of routers kept out of the OpenAPI document (the
    console's pages), into the routers they include: FastAPI keeps an included router as
    one entry, which a walk of `.routes` alone would miss with all its routes."""
    return [
        (method, route.path)
        for route in _leaves(routers)
        for method in sorted(getattr(route, "methods", None) or ())
        if method != "HEAD"
    ]


def _leaves(routers: Iterable[Any]) -> Iterator[Any]:
    for router in routers:
        for route in router.routes:
            included = getattr(route, "original_router", None)
            yield from _leaves([included]) if included is not None else [route]


def filled(path: str) -> str:
    """The path with every parameter replaced by a random id."""
    return re.sub(r"\{[^}]+\}", lambda _m: str(uuid.uuid4()), path)


async def call_every_route(app: FastAPI, *, headers: dict[str, str] | None = None) -> list[Answer]:
    """Call each /v1 route once (no lifespan: auth must answer before anything else)."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    answers = []
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for method, path in api_routes(app):
            response = await client.request(method, filled(path), headers=headers, json={})
            answers.append(
                Answer(method, path, response.status_code, response.headers.get("content-type", ""))
            )
    return answers
