"""create_app(): routing's FastAPI app with its routes, event handlers and timers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from routing.cases.router import router as cases_router
from routing.cases.timers import TIMERS
from routing.consumers import HANDLERS
from routing.documents.router import router as documents_router
from routing.gauges import refresh_open_cases
from routing.organisation.router import router as organisation_router
from routing.rules.router import router as rules_router
from routing.settings import RoutingSettings
from shared.http.app import Periodic, ServiceSpec
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
        periodic=[
            Periodic("open-cases-gauge", settings.open_cases_refresh_interval, refresh_open_cases)
        ],
    )
    return create_service_app(spec)
