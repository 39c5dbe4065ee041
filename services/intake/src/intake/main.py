"""create_app(): intake's FastAPI app with its routes, event handlers and timers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from intake.callers.router import router as callers
from intake.complaints.router import router as complaints
from intake.consumers import HANDLERS
from intake.directory.household_router import router as households
from intake.directory.policy import TIMER_KIND as RETENTION
from intake.directory.router import router as directory
from intake.limits import BodyLimit
from intake.retention.timers import on_retention_due
from intake.settings import IntakeSettings
from shared.http.app import ServiceSpec
from shared.http.app import create_app as create_service_app

SERVICE_DIR = Path(__file__).resolve().parents[2]


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    """The intake service."""
    spec = ServiceSpec(
        settings=settings or IntakeSettings(),
        title="careloop intake",
        service_dir=SERVICE_DIR,
        routers=[complaints, callers, directory, households],
        handlers=HANDLERS,
        timers={RETENTION: on_retention_due},
    )
    app = create_service_app(spec)
    app.add_middleware(BodyLimit)
    return app
