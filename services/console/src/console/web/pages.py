"""Rendering a page: the template, the person, their language, their sites' time zones.

Every page template gets `view` and, for brevity, `t` (the console's words), `v` (a
closed-set code in words), `when` (a time in the site's zone) and `sla` (a deadline
badge).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse

from console.backend.client import Api
from console.backend.organisation import Organisation
from console.backend.sites import Site, zone_of
from console.sessions.store import Person
from console.web import charts, times
from console.web.auth import current_person
from console.web.forms import describe_error, read_form
from console.web.i18n import HTML_LANG, LANG_COOKIE, Words, asked_language, language
from console.web.security import check_csrf
from console.web.state import Console, console_of
from shared.words import Lang


@dataclass
class View:
    """One request's page: who, in which language, on which sites, and their API."""

    request: Request
    console: Console
    lang: Lang
    person: Person | None = None
    sites: dict[str, Site] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def t(self) -> Words:
        return Words(self.lang)

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.lang]

    @property
    def api(self) -> Api:
        """The services as this person sees them."""
        assert self.person is not None
        return self.console.services.for_token(self.person.token, lang=self.lang)

    def when(self, value: Any, site_id: str | None = None, *, seconds: bool = False) -> str:
        """A time in the site's zone."""
        return times.local(value, zone_of(self.sites, site_id), seconds=seconds)

    def sla(self, case: dict[str, Any]) -> times.Badge:
        """The deadline badge of a case."""
        return times.sla_badge(case, now=self.now, lang=self.lang)

    def local_input(self, *, hours: float = 0, site_id: str | None = None) -> str:
        """Now (plus `hours`) in the site's zone, as a datetime-local field's value."""
        at = (self.now + timedelta(hours=hours)).astimezone(ZoneInfo(zone_of(self.sites, site_id)))
        return at.strftime("%Y-%m-%dT%H:%M")

    def aside(self, text: str) -> str:
        """Text in brackets: full-width in Chinese."""
        return f"（{text}）" if self.lang == "zh" else f"({text})"

    def site_name(self, site_id: str | None) -> str:
        """A site's name (its id when unknown)."""
        site = self.sites.get(site_id or "")
        return site.name if site else (site_id or "—")

    async def organisations(self, site_ids: Iterable[str]) -> dict[str, Organisation]:
        """The organisations of these sites (names of people and departments)."""
        assert self.person is not None
        return await self.console.people.of_sites(self.person.session_id, self.api, site_ids)

    def new_key(self) -> str:
        """A fresh Idempotency-Key for one rendered form."""
        return secrets.token_urlsafe(18)


async def signed_in_view(request: Request, person: Person = Depends(current_person)) -> View:
    """The view of a signed-in person's page, with their sites."""
    console = console_of(request)
    view = View(request=request, console=console, lang=language(request), person=person)
    view.sites = await console.sites.of(person.session_id, view.api)
    return view


@dataclass(frozen=True)
class Posted:
    """A form a signed-in person sent, its CSRF token checked before anything else."""

    view: View
    form: FormData


async def posted_form(request: Request, person: Person = Depends(current_person)) -> Posted:
    """The posted form and the page's view; 403 without the session's CSRF token (checked
    before any service is asked anything)."""
    form = await read_form(request)
    check_csrf(request, form, person.csrf)
    return Posted(await signed_in_view(request, person), form)


def public_view(request: Request) -> View:
    """The view of a page anyone may open (sign-in, errors)."""
    return View(request=request, console=console_of(request), lang=language(request))


def render(view: View, template: str, *, status: int = 200, **data: Any) -> HTMLResponse:
    """The page `template` for `view`, with `data`."""
    words = view.t
    context = {
        "view": view,
        "t": words,
        "v": words.value,
        "when": view.when,
        "sla": view.sla,
        "describe_error": lambda error: describe_error(error, view.lang),
        "chart_json": charts.as_json,
    }
    response: HTMLResponse = view.console.templates.TemplateResponse(
        view.request, template, {**context, **data}, status_code=status
    )
    asked = asked_language(view.request)
    if asked:
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 86400, samesite="lax")
    return response
