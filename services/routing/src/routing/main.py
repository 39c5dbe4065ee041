"""create_app(): routing's FastAPI app with its routes, event handlers and timers."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI

import routing.models  # noqa: F401  (every table on the metadata, for foreign keys)
from routing.cases.router import router as cases_router
from routing.cases.timers import TIMERS
from routing.consumers import handlers
from routing.corrective.router import router as corrective_router
from routing.corrective.timers import timers as corrective_timers
from routing.documents.router import router as documents_router
from routing.gauges import (
    refresh_handling_targets,
    refresh_improvement_gauges,
    refresh_open_cases,
)
from routing.organisation.router import router as organisation_router
from routing.rectifications.router import router as rectifications_router
from routing.rectifications.timers import TIMERS as RECTIFICATION_TIMERS
from routing.reports.published import publish_monthly
from routing.reports.router import router as reports_router
from routing.retention.rules import TIMER_KIND as RETENTION
from routing.retention.timers import on_retention_due
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
        routers=[
            organisation_router,
            rules_router,
            cases_router,
            documents_router,
            reports_router,
            rectifications_router,
            corrective_router,
        ],
        handlers=handlers(settings),
        timers={
            **TIMERS,
            **RECTIFICATION_TIMERS,
            **corrective_timers(settings),
            RETENTION: on_retention_due,
        },
        periodic=[
            Periodic("open-cases-gauge", settings.open_cases_refresh_interval, refresh_open_cases),
            Periodic(
                "improvement-gauges",
                settings.improvement_gauges_refresh_interval,
                refresh_improvement_gauges,
            ),
            Periodic(
                "handling-targets-gauge",
                settings.open_cases_refresh_interval,
                refresh_handling_targets,
            ),
            Periodic(
                "monthly-reports",
                settings.report_interval,
                partial(publish_monthly, settings=settings),
            ),
        ],
    )
    return create_service_app(spec)
