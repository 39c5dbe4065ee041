"""create_app(): surveys's FastAPI app with its routes, event handlers and timers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from shared.http.app import ServiceSpec
from shared.http.app import create_app as create_service_app
from surveys.consumers import HANDLERS
from surveys.settings import SurveysSettings

SERVICE_DIR = Path(__file__).resolve().parents[2]


def create_app(settings: SurveysSettings | None = None) -> FastAPI:
    """The surveys service."""
    spec = ServiceSpec(
        settings=settings or SurveysSettings(),
        title="careloop surveys",
        service_dir=SERVICE_DIR,
        routers=[],
        handlers=HANDLERS,
    )
    return create_service_app(spec)
