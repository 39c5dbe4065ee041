"""Thin HTTP routes of the complaint report: on demand for any period, and the monthly ones.

Department heads, VPs, general managers and admins read reports; handlers work cases and
do not. A site outside the principal's sites does not exist (404); a region or the group
is refused (403) unless every one of its sites is the principal's: a report that silently
left sites out would mislead whoever reads it.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from routing import metrics
from routing.cases.rules import Status
from routing.cases.schemas import CaseRead
from routing.documents.labels import Lang
from routing.inputs import CODE_PATTERN, ID_PATTERN
from routing.reports import drill, export, html, now, published, queries, service
from routing.reports.drill import Narrowing
from routing.reports.periods import Period, PeriodError, month_before, period_of
from routing.reports.schemas import (
    ComplaintReportRead,
    Drillable,
    Format,
    OpenCasesRead,
    PublishedReport,
    ScopesRead,
)
from routing.settings import RoutingSettings
from shared.clock import utcnow
from shared.db.engine import reading
from shared.http.app import DatabaseDep, get_runtime
from shared.http.auth import Principal, Role, require_roles
from shared.http.errors import ProblemError
from shared.http.pagination import Cursor, Limit, Page, decode_cursor, page_of

router = APIRouter(prefix="/reports", tags=["reports"])

Manager = Annotated[Principal, require_roles(Role.DEPT_HEAD, Role.VP, Role.GM)]
SiteQuery = Annotated[str | None, Query(pattern=ID_PATTERN, description="one site")]
ReportId = Annotated[str, Path(pattern=ID_PATTERN, description="a report id")]
RegionQuery = Annotated[str | None, Query(pattern=CODE_PATTERN, description="one region")]
First = Annotated[date | None, Query(alias="from", description="first day (default: last month)")]
Last = Annotated[date | None, Query(alias="to", description="last day, included (default: today)")]
LangQuery = Annotated[Literal["zh-CN", "zh", "en"], Query(description="language of CSV and HTML")]


def _settings(request: Request) -> RoutingSettings:
    settings = get_runtime(request).settings
    assert isinstance(settings, RoutingSettings)
    return settings


SettingsDep = Annotated[RoutingSettings, Depends(_settings)]


def _lang(lang: str) -> Lang:
    return "en" if lang == "en" else "zh"


def _period(first: date | None, last: date | None, zone: str) -> Period:
    if first is None and last is None:
        return month_before(utcnow(), zone)
    if first is None:
        raise ProblemError(
            422,
            "Give the first day of the period (from=YYYY-MM-DD) with its last",
            zh="给出结束日期时，请同时给出统计期的开始日期（from=YYYY-MM-DD）",
        )
    today = utcnow().astimezone(ZoneInfo(zone)).date()
    try:
        return period_of(first, last or max(first, today), zone)
    except PeriodError as exc:
        raise ProblemError(422, exc.detail, zh=exc.zh) from exc


Key = Annotated[str | None, Query(pattern=CODE_PATTERN)]


def _narrowing(
    category: Key = None,
    kind: Key = None,
    channel: Key = None,
    department: Key = None,
    validity: Annotated[Literal["valid", "invalid", "unjudged"] | None, Query()] = None,
    invalid_reason: Key = None,
    status: Annotated[Status | None, Query(description="open cases in this status")] = None,
    escalation_level: Key = None,
    escalation_reason: Key = None,
) -> Narrowing:
    """A breakdown line's key, from the query: only the cases with these values."""
    return Narrowing(
        category, kind, channel, department, validity, invalid_reason,
        status, escalation_level, escalation_reason,
    )  # fmt: skip


@router.get(
    "/complaints",
    response_model=ComplaintReportRead,
    summary="The complaint report (顾客投诉报告) of a site, a region or the group, any period",
)
async def complaint_report(
    principal: Manager,
    db: DatabaseDep,
    settings: SettingsDep,
    site_id: SiteQuery = None,
    region: RegionQuery = None,
    first: First = None,
    last: Last = None,
    format: Format = "json",
    lang: LangQuery = "zh-CN",
) -> Response:
    period = _period(first, last, settings.report_timezone)
    started = time.perf_counter()
    # A second connection lets PostgreSQL read two parts of the report at once.
    async with reading(db) as session, reading(db) as helper:
        await queries.pair(session, helper)
        cover = await service.coverage(session, principal=principal, site_id=site_id, region=region)
        report = await service.build_report(
            session, cover=cover, period=period, as_of=utcnow(), helper=helper
        )
        names = await service.names_for(session, sites=cover.sites, lang=_lang(lang))
    metrics.report_seconds.labels(cover.scope).observe(time.perf_counter() - started)
    return render(report, format, _lang(lang), names)


def render(
    report: ComplaintReportRead, format_: Format, lang: Lang, names: dict[str, str]
) -> Response:
    """The report in the asked format."""
    if format_ == "html":
        return HTMLResponse(html.render(report, lang, names))
    if format_ == "csv":
        about = report.site_id or report.region or "group"
        filename = f"complaint-report-{about}-{report.period.label}.csv"
        return Response(
            export.to_csv(report, lang, names).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return JSONResponse(report.model_dump(mode="json"))


@router.get("/scopes", summary="What you may ask a report of: your sites, whole regions, the group")
async def report_scopes(principal: Manager, db: DatabaseDep) -> ScopesRead:
    async with reading(db) as session:
        return await now.scopes(session, principal=principal)


@router.get("/open", summary="Open and overdue cases now, by site, department and status")
async def open_cases(
    principal: Manager, db: DatabaseDep, site_id: SiteQuery = None, region: RegionQuery = None
) -> OpenCasesRead:
    async with reading(db) as session:
        cover = await service.coverage(session, principal=principal, site_id=site_id, region=region)
        return await now.open_cases(session, cover=cover, now=utcnow())


@router.get("/cases", summary="The cases behind a figure of the report (or open / overdue now)")
async def cases_behind(
    principal: Manager,
    db: DatabaseDep,
    settings: SettingsDep,
    figure: Drillable,
    narrowing: Annotated[Narrowing, Depends(_narrowing)],
    site_id: SiteQuery = None,
    region: RegionQuery = None,
    first: First = None,
    last: Last = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[CaseRead]:
    period = _period(first, last, settings.report_timezone)
    async with reading(db) as session:
        cover = await service.coverage(session, principal=principal, site_id=site_id, region=region)
        return await drill.cases_behind(
            session, cover=cover, figure=figure, period=period, narrowing=narrowing,
            as_of=utcnow(), limit=limit, cursor=cursor,
        )  # fmt: skip


@router.get("", summary="Monthly complaint reports published for the principal's sites")
async def list_reports(
    principal: Manager,
    db: DatabaseDep,
    settings: SettingsDep,
    site_id: SiteQuery = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[PublishedReport]:
    after = decode_cursor(cursor, arity=2)
    async with reading(db) as session:
        items = await published.listed(
            session, principal=principal, site_id=site_id, after=after, limit=limit
        )
    return page_of(
        [published.summary(row, settings) for row in items],
        limit=limit,
        key=lambda item: (item.period, item.id),
    )


@router.get("/{report_id}", response_model=ComplaintReportRead, summary="One published report")
async def get_report(
    report_id: ReportId,
    principal: Manager,
    db: DatabaseDep,
    format: Format = "json",
    lang: LangQuery = "zh-CN",
) -> Response:
    async with reading(db) as session:
        row = await published.visible(session, report_id=report_id, principal=principal)
        report = ComplaintReportRead.model_validate(row.figures)
        names = await service.names_for(session, sites=[row.site_id], lang=_lang(lang))
    return render(report, format, _lang(lang), names)
