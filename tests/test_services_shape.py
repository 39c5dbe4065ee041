"""The five services share one shape: app factory, operations endpoints, guarded routes."""

from __future__ import annotations

import importlib

import httpx
import pytest

from shared.settings import ServiceSettings
from shared.testing.routes import api_routes, call_every_route, filled, router_routes

SERVICES = {"intake": 8001, "routing": 8002, "surveys": 8003, "notify": 8004, "console": 8005}
# The four domain services: each has its own queue and its API under /v1. The console has
# neither (DESIGN.md §2, §6a): it consumes nothing durably (each process binds a
# server-named, exclusive queue for live updates, console/live/listener.py) and serves
# pages, not an API; the tests below say what it must do instead.
DOMAIN_SERVICES = [name for name in SERVICES if name != "console"]


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


@pytest.mark.parametrize("name", DOMAIN_SERVICES)
def test_each_domain_service_consumes_its_own_queue(name: str) -> None:
    assert settings_class(name)().queue_name() == f"{name}.events"
    assert app_of(name).state.runtime.consumer is not None  # type: ignore[attr-defined]


def test_the_console_has_no_queue_of_its_own() -> None:
    # It handles no events (no inbox, no retries, no parking queue): a live-update hint
    # missed while it was down is made up for by the page's own refresh.
    assert app_of("console").state.runtime.consumer is None  # type: ignore[attr-defined]


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


@pytest.mark.parametrize("name", DOMAIN_SERVICES)
async def test_every_api_route_of_every_service_refuses_a_missing_token(name: str) -> None:
    app = app_of(name)
    answers = await call_every_route(app)  # type: ignore[arg-type]
    assert [a for a in answers if a.status != 401] == []
    assert {a.content_type for a in answers} <= {"application/problem+json"}


@pytest.mark.parametrize("name", DOMAIN_SERVICES)
async def test_every_api_route_refuses_a_forged_token(name: str) -> None:
    app = app_of(name)
    forged = {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}
    answers = await call_every_route(app, headers=forged)  # type: ignore[arg-type]
    assert [a for a in answers if a.status != 401] == []


# How a person gets a session: the only console pages open without one.
SIGN_IN_PATHS = frozenset({"/sign-in", "/sign-in/development", "/sign-in/oidc", "/auth/callback"})


def console_pages() -> list[tuple[str, str]]:
    """Every (method, path template) of the console's pages. They are left out of the
    OpenAPI document, so they are read from its routers."""
    from console.main import PAGE_ROUTERS

    return router_routes(PAGE_ROUTERS)


def test_the_console_has_no_api_routes_to_guard_with_a_token() -> None:
    # Were one added, the token tests above would have to cover the console too.
    assert api_routes(app_of("console")) == []  # type: ignore[arg-type]


async def test_every_console_page_sends_a_person_without_a_session_to_sign_in() -> None:
    pages = [(method, path) for method, path in console_pages() if path not in SIGN_IN_PATHS]
    assert ("GET", "/cases/{case_id}") in pages  # the walker sees the routers
    app = app_of("console")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for method, path in pages:
            answer = await client.request(method, filled(path), data={})
            assert answer.status_code == 303, f"{method} {path}: {answer.status_code}"
            assert answer.headers["location"].startswith("/sign-in?next="), f"{method} {path}"


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


@pytest.mark.parametrize("name", DOMAIN_SERVICES)
async def test_every_api_route_refuses_a_token_that_grants_no_site(name: str) -> None:
    from shared.http.auth import issue_token

    app = app_of(name)
    token = issue_token(settings_class(name)(), sub="u", roles=["admin"], sites=[])
    answers = await call_every_route(app, headers={"Authorization": f"Bearer {token}"})  # type: ignore[arg-type]
    assert len(answers) > 10
    assert [(a.method, a.path, a.status) for a in answers if a.status != 403] == []
    assert {a.content_type for a in answers} == {"application/problem+json"}
