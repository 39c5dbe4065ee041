"""create_app(): the console's FastAPI app: its pages, sign-in, live updates and assets.

The console has the services' shape (settings, database, broker, `/healthz`, `/readyz`,
`/metrics`) but owns no complaint data: its pages read and write through the four
services' APIs with the signed-in person's token; its own database holds sessions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.templating import Jinja2Templates

from console import assets
from console.admin.router import router as admin
from console.backend.client import Services
from console.backend.organisation import People
from console.backend.sites import SiteBook
from console.callbacks.router import router as callbacks
from console.cases.router import router as cases
from console.desk.router import router as desk
from console.improvement.router import router as improvement
from console.live.hub import Hub
from console.live.listener import Listener
from console.notices.router import router as notices
from console.queues.router import router as queues
from console.reports.router import router as reports
from console.sessions import store
from console.sessions.oidc import Provider
from console.settings import SERVICE_DIR, ConsoleSettings
from console.signin.router import router as signin
from console.surveys.router import router as surveys
from console.web import errors
from console.web.security import SecurityHeaders, policy
from console.web.state import Console
from console.web.stream import router as live
from console.web.timing import ServerTiming
from shared.db.engine import Database, transaction
from shared.http.app import Periodic, Runtime, ServiceSpec
from shared.http.app import create_app as create_service_app

TEMPLATES = Path(__file__).parent / "templates"
PAGE_ROUTERS = (
    signin,
    desk,
    queues,
    cases,
    callbacks,
    live,
    notices,
    surveys,
    improvement,
    reports,
    admin,
)
PURGE_INTERVAL = 300.0


def create_app(settings: ConsoleSettings | None = None) -> FastAPI:
    """The console."""
    settings = settings or ConsoleSettings()
    hub = Hub()
    spec = ServiceSpec(
        settings=settings,
        title="careloop console",
        service_dir=SERVICE_DIR,
        public_routers=PAGE_ROUTERS,
        periodic=[Periodic("expired-sessions", PURGE_INTERVAL, _purge_sessions)],
        parts=[lambda runtime: _parts(app, runtime, hub)],
    )
    app = create_service_app(spec)
    app.state.console = Console(
        settings=settings,
        db=app.state.runtime.db,
        services=Services(settings),
        sealer=store.Sealer(settings.session_secret),
        templates=Jinja2Templates(directory=TEMPLATES),
        sites=SiteBook(),
        people=People(),
        hub=hub,
        provider=Provider(settings, httpx.AsyncClient(timeout=settings.api_timeout))
        if settings.oidc_enabled
        else None,
    )
    errors.install(app)
    assets.mount(app, settings)
    app.add_middleware(SecurityHeaders, csp=policy(also_posts_to=settings.oidc_issuer))
    app.add_middleware(ServerTiming)
    return app


@asynccontextmanager
async def _parts(app: FastAPI, runtime: Runtime, hub: Hub) -> AsyncIterator[None]:
    """The services' client, the identity provider and the live listener, for the process."""
    console: Console = app.state.console
    await Listener(settings=console.settings, bus=runtime.bus, hub=hub).start()
    try:
        yield
    finally:
        await console.services.close()
        if console.provider is not None:
            await console.provider.http.aclose()


async def _purge_sessions(db: Database) -> None:
    async with transaction(db) as session:
        await store.purge(session)
