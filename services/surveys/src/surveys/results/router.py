"""Thin HTTP routes of results: JSON, CSV export and the page with charts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from starlette.responses import HTMLResponse, Response

from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.words import Lang
from surveys.access import Reader
from surveys.campaigns import service as campaigns
from surveys.campaigns.rules import Level, scale_of
from surveys.results import export, latest, service
from surveys.results.latest import LatestResults, Sites
from surveys.results.schemas import ResultsRead

router = APIRouter(tags=["results"])
campaign_results = APIRouter(prefix="/campaigns/{campaign_id}")
LangQuery = Annotated[Literal["zh-CN", "zh", "en"], Query(description="language of the page")]


async def _results(db: DatabaseDep, campaign_id: str, principal: Reader) -> ResultsRead:
    results, _ = await _results_and_scale(db, campaign_id, principal)
    return results


async def _results_and_scale(
    db: DatabaseDep, campaign_id: str, principal: Reader
) -> tuple[ResultsRead, tuple[Level, ...]]:
    async with reading(db) as session:
        row = await campaigns.get_or_404(session, campaign_id=campaign_id, principal=principal)
        return await service.compute(session, row=row), scale_of(row.scale)


def _lang(lang: str) -> Lang:
    return "en" if lang == "en" else "zh"


@campaign_results.get(
    "/results", summary="Results per topic and overall, by building and by sample"
)
async def get_results(campaign_id: str, principal: Reader, db: DatabaseDep) -> ResultsRead:
    return await _results(db, campaign_id, principal)


@campaign_results.get(
    "/results.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
    summary="Results as CSV, one line per group and topic",
)
async def get_results_csv(campaign_id: str, principal: Reader, db: DatabaseDep) -> Response:
    results = await _results(db, campaign_id, principal)
    return Response(
        export.to_csv(results),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="results-{campaign_id}.csv"'},
    )


@campaign_results.get(
    "/results.html", response_class=HTMLResponse, summary="Results page with charts (SVG)"
)
async def get_results_page(
    campaign_id: str, principal: Reader, db: DatabaseDep, lang: LangQuery = "zh-CN"
) -> HTMLResponse:
    results, scale = await _results_and_scale(db, campaign_id, principal)
    return HTMLResponse(
        export.to_html(results, _lang(lang), scale),
        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
    )


@router.get("/results/latest", summary="The latest satisfaction of each site and topic (closed)")
async def get_latest(principal: Reader, db: DatabaseDep, site_id: Sites = None) -> LatestResults:
    async with reading(db) as session:
        return await latest.latest(session, principal=principal, sites=site_id)


router.include_router(campaign_results)
