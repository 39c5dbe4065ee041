"""create_app(): surveys's FastAPI app with its routes, event handlers and timers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from shared.http.app import Periodic, ServiceSpec
from shared.http.app import create_app as create_service_app
from surveys.campaigns.router import router as campaigns
from surveys.consumers import HANDLERS
from surveys.frame.router import router as frame
from surveys.gauges import refresh
from surveys.lifecycle.router import router as lifecycle
from surveys.lifecycle.timers import TIMERS
from surveys.responses.questionnaire_router import router as questionnaire
from surveys.responses.router import router as responses
from surveys.responses.router import sample_router as sample
from surveys.results.router import router as results
from surveys.retention.rules import TIMER_KIND as RETENTION
from surveys.retention.timers import on_retention_due
from surveys.sampling.router import router as sampling
from surveys.schedules.router import router as schedules
from surveys.schedules.timers import TIMERS as SCHEDULE_TIMERS
from surveys.settings import SurveysSettings

SERVICE_DIR = Path(__file__).resolve().parents[2]


def create_app(settings: SurveysSettings | None = None) -> FastAPI:
    """The surveys service."""
    settings = settings or SurveysSettings()
    spec = ServiceSpec(
        settings=settings,
        title="careloop surveys",
        service_dir=SERVICE_DIR,
        routers=[campaigns, lifecycle, sample, sampling, responses, results, frame, schedules],
        public_routers=[questionnaire],
        handlers=HANDLERS,
        timers={**TIMERS, **SCHEDULE_TIMERS, RETENTION: on_retention_due},
        periodic=[Periodic("satisfaction-gauges", settings.gauge_interval, refresh)],
    )
    return create_service_app(spec)
