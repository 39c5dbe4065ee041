"""create_app(): routing's FastAPI app with its routes, event handlers and timers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from routing.consumers import HANDLERS
from routing.settings import RoutingSettings
from shared.http.app import ServiceSpec
from shared.http.app import create_app as create_service_app

SERVICE_DIR = Path(__file__).resolve().parents[2]


def create_app(settings: RoutingSettings | None = None) -> FastAPI:
    """The routing service."""
    spec = ServiceSpec(
        settings=settings or RoutingSettings(),
        title="careloop routing",
        service_dir=SERVICE_DIR,
        routers=[],
        handlers=HANDLERS,
    )
    return create_service_app(spec)
