"""create_app(): notify's FastAPI app with its routes, event handlers and timers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

import notify.models  # noqa: F401  (every table on the metadata, for foreign keys)
from notify.callbacks.queues import refresh_gauges as refresh_callback_gauges
from notify.callbacks.router import router as callbacks_router
from notify.consumers import handlers
from notify.contacts.router import router as contacts_router
from notify.deliveries.dispatcher import Dispatcher
from notify.deliveries.receipts_router import router as sms_receipts
from notify.deliveries.router import router as deliveries_router
from notify.gauges import refresh_backlog
from notify.notices.router import router as notices_router
from notify.notices.timers import TIMERS as NOTICE_TIMERS
from notify.pages.callback_router import router as callback_page
from notify.pages.router import router as notice_pages
from notify.phone_tasks.router import router as phone_tasks_router
from notify.retention.rules import TIMER_KIND as RETENTION
from notify.retention.timers import on_retention_due
from notify.settings import NotifySettings
from notify.sites.router import router as sites_router
from notify.templates.router import router as templates_router
from notify.webhooks.gate import SUBSCRIPTIONS
from notify.webhooks.router import router as webhooks_router
from shared.http.app import Periodic, ServiceSpec
from shared.http.app import create_app as create_service_app

SERVICE_DIR = Path(__file__).resolve().parents[2]


def create_app(settings: NotifySettings | None = None) -> FastAPI:
    """The notify service."""
    settings = settings or NotifySettings()
    spec = ServiceSpec(
        settings=settings,
        title="careloop notify",
        service_dir=SERVICE_DIR,
        routers=[
            notices_router,
            notice_pages,
            callbacks_router,
            contacts_router,
            sites_router,
            deliveries_router,
            phone_tasks_router,
            templates_router,
            webhooks_router,
        ],
        public_routers=[callback_page, sms_receipts],
        handlers=handlers(settings),
        timers={**NOTICE_TIMERS, RETENTION: on_retention_due},
        periodic=[
            Periodic(
                "dispatcher",
                settings.dispatcher_interval,
                Dispatcher(settings, subscriptions=SUBSCRIPTIONS),
            ),
            Periodic("delivery-backlog", settings.gauge_interval, refresh_backlog),
            Periodic("callback-gauges", settings.gauge_interval, refresh_callback_gauges),
        ],
    )
    return create_service_app(spec)
