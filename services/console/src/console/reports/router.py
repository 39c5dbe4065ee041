"""Reports and the managers' dashboard (报告与看板): the dashboard of department heads, the
VP and the GM; the complaint report (顾客投诉报告) of a site, a region or the group over any
period, on screen, printable and as CSV; the monthly reports routing publishes; and the
cases behind any number of them. Every figure comes from the services with the person's
own token, so what a VP or the GM sees is what routing and surveys let them see.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import HTMLResponse, Response

from console.backend.client import Refused
from console.backend.sites import zone_of
from console.cases.router import DOCUMENT_CSP
from console.queues.service import Row, reporters
from console.reports import dashboard as board
from console.reports import figures, links, periods, service
from console.reports.periods import Asked, Period
from console.reports.scopes import Choices, Scope
from console.web.guard import require
from console.web.pages import View, render, signed_in_view
from shared.contracts.reports import CASE_ATTRIBUTES

router = APIRouter(include_in_schema=False)

ROLES = ("dept_head", "vp", "gm")
Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
NARROWING = (*CASE_ATTRIBUTES, "status", "escalation_level", "escalation_reason")
"""What routing's /v1/reports/cases narrows the listed cases by."""
FIGURES = (*sorted(figures.DRILLABLE), "open", "overdue")


class Setting:
    """What a reports page is about: the scopes offered, the one chosen, the period."""

    def __init__(
        self, view: View, choices: Choices, scope: Scope, asked: Asked, today: date
    ) -> None:
        assert view.person is not None
        self.choices, self.scope, self.asked, self.today = choices, scope, asked, today
        self.period: Period = asked.period
        self.exact = scope.covers_all_of(view.sites, everywhere="*" in view.person.sites)
        self.name = figures.namer(view.t, choices)

    def scope_name(self, view: View, scope: Scope | None = None) -> str:
        """A scope in words: the site's name, the region, the group."""
        scope = scope or self.scope
        if scope.kind == "site":
            return self.choices.names.get(scope.key or "") or view.site_name(scope.key)
        if scope.kind == "region":
            return view.t("reports.scope.region", region=scope.key)
        return view.t("reports.scope.group")


async def _setting(request: Request, view: View, *, default: str = "this_month") -> Setting | None:
    require(view, *ROLES)
    choices = await service.scopes(view.api)
    scope = choices.chosen(request.query_params.get("scope"))
    if scope is None:
        return None
    zone = zone_of(view.sites, scope.zone_site())
    today = periods.today_in(zone, view.now)
    asked = periods.asked(dict(request.query_params), today, default=default)
    return Setting(view, choices, scope, asked, today)


def _nothing(view: View) -> Response:
    return render(view, "reports/no_scope.html", status=404)


@router.get("/dashboard")
async def dashboard(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """This month against last month, the open cases now, the latest satisfaction."""
    setting = await _setting(request, view)
    if setting is None:
        return _nothing(view)
    month = periods.preset("this_month", setting.today)
    found = await service.dashboard(view.api, setting.scope, month)
    report = found["report"]
    open_rows = board.open_rows(found["open"], lambda c: setting.choices.department(c, view.lang))
    deadlines = board.deadline_rows(report)
    escalations = board.escalation_rows(report)
    topics = board.topic_rows(found["satisfaction"], view.t)
    return render(
        view,
        "reports/dashboard.html",
        setting=setting,
        month=month,
        last_month=periods.preset("last_month", month.first),
        report=report,
        open=found["open"],
        open_rows=open_rows,
        open_chart=board.open_chart(open_rows, view.t),
        deadlines=deadlines,
        deadline_chart=board.deadline_chart(deadlines, view.t),
        escalations=escalations,
        escalation_chart=board.escalation_chart(escalations, view.t),
        reopen=board.pair(report, "reopen_rate", ("reopened_cases", "complaints")),
        callbacks=board.pair(
            report,
            "callback_satisfaction_rate",
            ("callbacks_satisfied", "callbacks_unsatisfied"),
        ),
        topics=topics,
        topic_chart=board.topic_chart(topics, view.t),
        links=links,
        statuses=board.OPEN_STATUSES,
    )


@router.get("/reports")
async def published(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """The monthly reports routing published for the person's sites, newest first."""
    require(view, *ROLES)
    site_id = request.query_params.get("site_id") or None
    found = await service.published(
        view.api, site_id=site_id, cursor=request.query_params.get("cursor")
    )
    return render(view, "reports/published.html", page=found, site_id=site_id)


@router.get("/reports/complaints")
async def complaints(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """The complaint report of the chosen scope and period, drawn by the console."""
    setting = await _setting(request, view)
    if setting is None:
        return _nothing(view)
    if setting.asked.error:
        return _report_page(view, setting, None, status=422)
    try:
        report = await service.report(view.api, setting.scope, setting.period)
    except Refused as refused:
        return _report_page(view, setting, None, refused=refused, status=refused.status)
    return _report_page(view, setting, report)


@router.get("/reports/complaints/print")
async def complaints_print(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """Routing's printable report of the same scope and period, under the session."""
    setting = await _setting(request, view)
    if setting is None:
        return _nothing(view)
    page = await service.report_file(view.api, setting.scope, setting.period, "html", view.lang)
    return HTMLResponse(page, headers={"Content-Security-Policy": DOCUMENT_CSP})


@router.get("/reports/complaints/csv")
async def complaints_csv(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """Routing's CSV of the same scope and period (Excel opens it with its Chinese)."""
    setting = await _setting(request, view)
    if setting is None:
        return _nothing(view)
    text = await service.report_file(view.api, setting.scope, setting.period, "csv", view.lang)
    about = (setting.scope.key or "group").replace('"', "")
    name = f"complaint-report-{about}-{setting.period.first}-{setting.period.last}.csv"
    return _csv(text, name)


@router.get("/reports/published/{report_id}")
async def published_one(
    report_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    """A monthly report with the figures it was published with."""
    require(view, *ROLES)
    report = await service.published_one(view.api, report_id)
    choices = await service.scopes(view.api)
    site = choices.find(f"site:{report['site_id']}") or Scope(
        "site", report["site_id"], (report["site_id"],)
    )
    period = Period(
        date.fromisoformat(report["period"]["first"]),
        date.fromisoformat(report["period"]["last"]),
    )
    today = periods.today_in(zone_of(view.sites, report["site_id"]), view.now)
    setting = Setting(view, choices, site, Asked(period), today)
    return _report_page(view, setting, report, published_id=report_id)


@router.get("/reports/published/{report_id}/print")
async def published_print(report_id: Id, view: View = Depends(signed_in_view)) -> Response:
    require(view, *ROLES)
    page = await service.published_file(view.api, report_id, "html", view.lang)
    return HTMLResponse(page, headers={"Content-Security-Policy": DOCUMENT_CSP})


@router.get("/reports/published/{report_id}/csv")
async def published_csv(report_id: Id, view: View = Depends(signed_in_view)) -> Response:
    require(view, *ROLES)
    text = await service.published_file(view.api, report_id, "csv", view.lang)
    return _csv(text, f"complaint-report-{report_id}.csv")


@router.get("/reports/cases")
async def cases_behind(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """The cases behind one number of a report or of the dashboard."""
    setting = await _setting(request, view)
    if setting is None:
        return _nothing(view)
    query = request.query_params
    asked_for = query.get("figure", "")
    figure = asked_for if asked_for in FIGURES else "complaints"
    narrow = {k: query[k] for k in NARROWING if query.get(k)}
    found = await service.cases_behind(
        view.api, setting.scope, setting.period, {"figure": figure, **narrow}, query.get("cursor")
    )
    cases = found["items"]
    people, organisations = await asyncio.gather(
        reporters(view.api, [c["complaint_id"] for c in cases]),
        view.organisations(c["site_id"] for c in cases),
    )
    rows = [Row(c, people.get(c["complaint_id"]), organisations[c["site_id"]]) for c in cases]
    return render(
        view,
        "reports/cases.html",
        setting=setting,
        figure=figure,
        narrow=narrow,
        rows=rows,
        next_cursor=found.get("next_cursor"),
        here="/reports/cases?"
        + urlencode([(k, v) for k, v in query.multi_items() if k != "cursor"]),
        links=links,
        now_figure=figure in ("open", "overdue"),
    )


def _report_page(
    view: View,
    setting: Setting,
    report: dict[str, Any] | None,
    *,
    refused: Refused | None = None,
    status: int = 200,
    published_id: str | None = None,
) -> Response:
    data: dict[str, Any] = {}
    if report is not None:
        data = {
            "headline": figures.headline(report, view.t),
            "breakdowns": figures.breakdowns(report, setting.name, view.t),
            "deadline_chart": figures.deadlines(report, view.t),
            "validity_chart": figures.validity(report, view.t),
        }
    return render(
        view,
        "reports/complaints.html",
        status=status,
        setting=setting,
        report=report,
        refused=refused,
        published_id=published_id,
        presets=[periods.preset(p, setting.today) for p in periods.PRESETS],
        links=links,
        **data,
    )


def _csv(text: str, filename: str) -> Response:
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
