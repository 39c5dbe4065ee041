"""What the console keeps for the life of its process: settings, the services' client,
the token sealer, the templates, the identity provider and the live-update hub."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.templating import Jinja2Templates

from console.backend.client import Services
from console.backend.organisation import People
from console.backend.sites import SiteBook
from console.live.hub import Hub
from console.sessions.oidc import Provider
from console.sessions.store import Sealer
from console.settings import ConsoleSettings
from shared.db.engine import Database


@dataclass
class Console:
    """The console's parts, one per process (`app.state.console`)."""

    settings: ConsoleSettings
    db: Database
    services: Services
    sealer: Sealer
    templates: Jinja2Templates
    sites: SiteBook
    people: People
    hub: Hub
    provider: Provider | None

    @property
    def cookie(self) -> str:
        """The session cookie's name: `__Host-` (Secure, whole host) outside development."""
        return "__Host-careloop_session" if self.settings.is_production else "careloop_session"


def console_of(request: Request) -> Console:
    """The console's parts, from the request's app."""
    found: Console = request.app.state.console
    return found
