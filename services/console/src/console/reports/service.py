"""The reports pages' calls to the services, as the signed-in person: routing's complaint
report (JSON, printable HTML, CSV), its published monthly reports, the open cases and the
cases behind a figure; surveys' latest satisfaction. One call per list, whatever its size.
"""

from __future__ import annotations

import asyncio
from typing import Any

from console.backend.client import Api
from console.reports.periods import Period
from console.reports.scopes import Choices, Scope, choices

PAGE_SIZE = 50


async def scopes(api: Api) -> Choices:
    """What the person may ask a report of."""
    return choices(await api.get("routing", "/v1/reports/scopes"))


async def report(api: Api, scope: Scope, period: Period) -> dict[str, Any]:
    """The complaint report as routing computes it (JSON)."""
    found: dict[str, Any] = await api.get(
        "routing", "/v1/reports/complaints", **scope.params(), **period.query()
    )
    return found


async def report_file(api: Api, scope: Scope, period: Period, kind: str, lang: str) -> str:
    """The report as routing prints it (`html`) or exports it (`csv`)."""
    return await api.get_text(
        "routing",
        "/v1/reports/complaints",
        **scope.params(),
        **period.query(),
        format=kind,
        lang=_lang(lang),
    )


async def published(api: Api, *, site_id: str | None, cursor: str | None) -> dict[str, Any]:
    """One page of the monthly reports published for the person's sites, newest first."""
    found: dict[str, Any] = await api.get(
        "routing", "/v1/reports", site_id=site_id, cursor=cursor, limit=PAGE_SIZE
    )
    return found


async def published_one(api: Api, report_id: str) -> dict[str, Any]:
    """A published monthly report, with the figures it was published with."""
    found: dict[str, Any] = await api.get("routing", f"/v1/reports/{report_id}")
    return found


async def published_file(api: Api, report_id: str, kind: str, lang: str) -> str:
    """A published report as routing prints or exports it."""
    return await api.get_text("routing", f"/v1/reports/{report_id}", format=kind, lang=_lang(lang))


async def open_cases(api: Api, scope: Scope) -> dict[str, Any]:
    """Open and overdue cases now, by site, department and status."""
    found: dict[str, Any] = await api.get("routing", "/v1/reports/open", **scope.params())
    return found


async def cases_behind(
    api: Api, scope: Scope, period: Period, params: dict[str, str], cursor: str | None
) -> dict[str, Any]:
    """One page of the cases a figure counts (`params`: the figure and a line's key)."""
    found: dict[str, Any] = await api.get(
        "routing",
        "/v1/reports/cases",
        **scope.params(),
        **period.query(),
        **params,
        cursor=cursor,
        limit=PAGE_SIZE,
    )
    return found


async def satisfaction(api: Api, scope: Scope) -> list[dict[str, Any]]:
    """The latest satisfaction of each site and topic of the scope (closed campaigns)."""
    sites = list(scope.sites) if scope.sites is not None else None
    found = await api.get("surveys", "/v1/results/latest", site_id=sites)
    return list(found["items"])


async def dashboard(api: Api, scope: Scope, month: Period) -> dict[str, Any]:
    """Everything the dashboard shows, asked of the services together."""
    report_, open_, satisfied = await asyncio.gather(
        report(api, scope, month), open_cases(api, scope), satisfaction(api, scope)
    )
    return {"report": report_, "open": open_, "satisfaction": satisfied}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh-CN"
