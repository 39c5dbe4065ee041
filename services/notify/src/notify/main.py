"""create_app(): notify's FastAPI app with its routes, event handlers and timers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from notify.consumers import HANDLERS
from notify.settings import NotifySettings
from shared.http.app import ServiceSpec
from shared.http.app import create_app as create_service_app

SERVICE_DIR = Path(__file__).resolve().parents[2]


def create_app(settings: NotifySettings | None = None) -> FastAPI:
    """The notify service."""
    spec = ServiceSpec(
        settings=settings or NotifySettings(),
        title="careloop notify",
        service_dir=SERVICE_DIR,
        routers=[],
        handlers=HANDLERS,
    )
    return create_service_app(spec)
