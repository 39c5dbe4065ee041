"""A campaign's results (测评结果): satisfaction per topic against its target with its
interval, the spread of the answers, by building, key against random sample, the
comments, the previous campaign beside it, and the corrective action routing opens for
every topic under target. Every chart's numbers are also in a table.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from console.surveys import figures, service
from console.surveys.access import READERS
from console.web.guard import require
from console.web.pages import View, render, signed_in_view

router = APIRouter(include_in_schema=False)

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]


@router.get("/surveys/{campaign_id}/results")
async def results(
    campaign_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    require(view, *READERS)
    found, figures_of = await asyncio.gather(
        service.campaign(view.api, campaign_id), service.results(view.api, campaign_id)
    )
    previous_id = figures_of["previous_campaign_id"]
    previous, comments, actions = await asyncio.gather(
        service.campaign(view.api, previous_id) if previous_id else _nothing(),
        service.responses(view.api, campaign_id, commented=True),
        _actions(view, found, figures_of),
    )
    return render(
        view,
        "surveys/results.html",
        campaign=found,
        results=figures_of,
        previous=previous,
        comments=comments,
        actions=actions,
        done=request.query_params.get("done"),
        **_shown(view, found, figures_of, bool(previous_id)),
    )


@router.get("/surveys/{campaign_id}/results/actions")
async def actions(campaign_id: Id, view: View = Depends(signed_in_view)) -> Response:
    """The corrective actions of the topics under target, while routing opens them (htmx)."""
    require(view, *READERS)
    found, figures_of = await asyncio.gather(
        service.campaign(view.api, campaign_id), service.results(view.api, campaign_id)
    )
    opened = await _actions(view, found, figures_of)
    return render(view, "surveys/actions.html", campaign=found, results=figures_of, actions=opened)


def _shown(
    view: View, found: dict[str, Any], figures_of: dict[str, Any], previous: bool
) -> dict[str, Any]:
    """The rows and the charts, all from the same numbers."""
    lang = view.lang
    topics = figures.rows(figures_of, lang)
    buildings = figures.groups(figures_of["by_building"])
    parts = figures.groups(figures_of["by_sample"], figures.sample_names(lang))
    levels = figures.level_names(found["scale"], lang)
    return {
        "topics": topics,
        "buildings": buildings,
        "parts": parts,
        "levels": levels,
        "rate_chart": figures.rate_chart(topics, lang, previous=previous),
        "distribution_chart": figures.distribution_chart(topics, levels),
        "building_chart": figures.building_chart(buildings, lang),
        "sample_chart": figures.sample_chart(topics, parts),
    }


def _missed(figures_of: dict[str, Any]) -> list[str]:
    return [t["topic"] for t in figures_of["topics"] if t["met"] is False]


async def _actions(
    view: View, found: dict[str, Any], figures_of: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Routing's corrective actions of the closed campaign's topics under target."""
    if found["status"] != "closed" or not _missed(figures_of):
        return {}
    return await service.actions_of(view.api, site_id=found["site_id"], campaign_id=found["id"])


async def _nothing() -> None:
    return None
