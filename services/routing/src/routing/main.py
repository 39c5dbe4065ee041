"""create_app(): routing's FastAPI app with its routes, event handlers and timers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from routing.cases.router import router as cases_router
from routing.cases.timers import TIMERS
from routing.consumers import HANDLERS
from routing.documents.router import router as documents_router
from routing.gauges import with_gauges
from routing.organisation.router import router as organisation_router
from routing.rules.router import router as rules_router
from routing.settings import RoutingSettings
from shared.http.app import ServiceSpec
from shared.http.app import create_app as create_service_app

SERVICE_DIR = Path(__file__).resolve().parents[2]


def create_app(settings: RoutingSettings | None = None) -> FastAPI:
    """The routing service."""
    settings = settings or RoutingSettings()
    spec = ServiceSpec(
        settings=settings,
        title="careloop routing",
        service_dir=SERVICE_DIR,
        routers=[organisation_router, rules_router, cases_router, documents_router],
        handlers=HANDLERS,
        timers=TIMERS,
    )
    app = create_service_app(spec)
    # ServiceSpec has no place for a service's own loops; the gauge loop joins the lifespan.
    app.router.lifespan_context = with_gauges(
        app.router.lifespan_context, interval=settings.open_cases_refresh_interval
    )
    return app
