"""The four services share one shape: app factory, operations endpoints, guarded routes."""

from __future__ import annotations

import importlib

import httpx
import pytest

from shared.settings import ServiceSettings
from shared.testing.routes import api_routes, call_every_route

SERVICES = {"intake": 8001, "routing": 8002, "surveys": 8003, "notify": 8004}


def settings_class(name: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"{name}.settings")
    found: type[ServiceSettings] = getattr(module, f"{name.capitalize()}Settings")
    return found


def app_of(name: str) -> object:
    return importlib.import_module(f"{name}.main").create_app(settings_class(name)())


@pytest.mark.parametrize(("name", "port"), SERVICES.items())
def test_each_service_names_itself_and_its_default_port(name: str, port: int) -> None:
    cls = settings_class(name)
    assert cls.service_name == name
    assert cls().port == port
    assert cls().database_url.endswith(f"/{name}.db")
    assert cls().queue_name() == f"{name}.events"


@pytest.mark.parametrize("name", SERVICES)
async def test_operations_endpoints_answer_without_a_token(name: str) -> None:
    app = app_of(name)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        health = await client.get("/healthz")
        metrics = await client.get("/metrics")
        openapi = await client.get("/v1/openapi.json")
    assert health.json() == {"status": "ok"}
    assert "careloop_http_requests_total" in metrics.text
    assert openapi.json()["info"]["title"] == f"careloop {name}"


@pytest.mark.parametrize("name", SERVICES)
async def test_every_api_route_of_every_service_refuses_a_missing_token(name: str) -> None:
    app = app_of(name)
    answers = await call_every_route(app)  # type: ignore[arg-type]
    assert [a for a in answers if a.status != 401] == []
    assert {a.content_type for a in answers} <= {"application/problem+json"}


@pytest.mark.parametrize("name", SERVICES)
async def test_every_api_route_refuses_a_forged_token(name: str) -> None:
    app = app_of(name)
    forged = {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}
    answers = await call_every_route(app, headers=forged)  # type: ignore[arg-type]
    assert [a for a in answers if a.status != 401] == []


def test_the_route_walker_sees_routes() -> None:
    from fastapi import APIRouter

    from shared.http.app import ServiceSpec, create_app

    router = APIRouter()

    @router.get("/things/{thing_id}")
    async def get_thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    app = create_app(ServiceSpec(settings=settings_class("intake")(), title="t", routers=[router]))
    assert api_routes(app) == [("GET", "/v1/things/{thing_id}")]


async def test_http_metrics_name_the_full_route_template() -> None:
    from fastapi import APIRouter

    from shared.http.app import ServiceSpec, create_app
    from shared.http.auth import issue_token

    router = APIRouter()

    @router.get("/gadgets/{gadget_id}")
    async def get_gadget(gadget_id: str) -> dict[str, str]:
        return {"id": gadget_id}

    settings = settings_class("intake")()
    app = create_app(ServiceSpec(settings=settings, title="t", routers=[router]))
    token = issue_token(settings, sub="u", roles=["admin"], sites=["*"])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        got = await client.get("/v1/gadgets/g-1", headers={"Authorization": f"Bearer {token}"})
        metrics = (await client.get("/metrics")).text
    assert got.status_code == 200
    assert 'route="/v1/gadgets/{gadget_id}"' in metrics
    assert "g-1" not in metrics
