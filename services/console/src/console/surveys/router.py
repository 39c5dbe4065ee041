"""Satisfaction surveys (满意度测评): the campaigns by status, planning one with the
sample-size helper, a campaign's page (its sample, its interviewer tasks, drawing and
closing it). The interviewers' entry, the re-check queue and the results have routers of
their own, included here.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import RedirectResponse, Response

from console.backend.client import Refused
from console.backend.sites import zone_of
from console.surveys import fieldwork, forms, results, service
from console.surveys.access import PLANNERS, READERS
from console.web.forms import Filled, text
from console.web.guard import require
from console.web.pages import Posted, View, posted_form, render, signed_in_view

router = APIRouter(include_in_schema=False)

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
STATUSES = ("draft", "drawn", "open", "closed")
SIZE_FIELDS = ("mode", "rate", "size", "confidence", "margin")


@router.get("/surveys")
async def campaigns(request: Request, view: View = Depends(signed_in_view)) -> Response:
    require(view, *READERS)
    query = request.query_params
    status = query.get("status") if query.get("status") in STATUSES else None
    site_id = query.get("site_id") if query.get("site_id") in view.sites else None
    found = await service.campaigns(
        view.api, status=status, site_id=site_id, cursor=query.get("cursor")
    )
    return render(
        view, "surveys/list.html", page=found, shown=status, site_id=site_id, statuses=STATUSES
    )


@router.get("/surveys/new")
async def new(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """The planning form, for the site chosen (the first of the person's by default)."""
    require(view, *PLANNERS)
    site_id = request.query_params.get("site_id", "")
    site_id = site_id if site_id in view.sites else next(iter(view.sites), "")
    filled = Filled(values=_defaults(view, site_id))
    return await _planning(view, filled, forms.DEFAULT_TICKS, key=view.new_key())


@router.post("/surveys/new")
async def create(posted: Posted = Depends(posted_form)) -> Response:
    """Plan the campaign; or, with the 计算 button (no JavaScript), show the size first."""
    view, form = posted.view, posted.form
    require(view, *PLANNERS)
    ticked = forms.ticks(form)
    if text(form, "calculate"):
        return await _planning(view, Filled.of(form), ticked, key=text(form, "key"))
    body = forms.campaign_body(form, zone=zone_of(view.sites, text(form, "site_id")))
    try:
        made = await service.create(view.api, body, key=text(form, "key"))
    except Refused as refused:
        filled = Filled.of(form, refused, field_of=forms.campaign_field)
        status = refused.status
        return await _planning(view, filled, ticked, key=text(form, "key"), status=status)
    return RedirectResponse(f"/surveys/{made['id']}?done=created", status_code=303)


@router.get("/surveys/size")
async def size(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """The sample-size helper's answer for the form as it stands (an htmx fragment)."""
    require(view, *PLANNERS)
    query = request.query_params
    site_id = query.get("site_id", "")
    values = {k: query.get(k, "") for k in SIZE_FIELDS}
    helper = await _helper(view, site_id, values, [str(b) for b in query.getlist("buildings")])
    return render(view, "surveys/size.html", helper=helper)


@router.get("/surveys/{campaign_id}")
async def campaign(
    campaign_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    require(view, *READERS)
    return await _campaign(view, campaign_id, request.query_params.get("cursor"))


@router.post("/surveys/{campaign_id}/draw")
async def draw(campaign_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    return await _move(posted, campaign_id, service.draw, "drawn")


@router.post("/surveys/{campaign_id}/close")
async def close(campaign_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    return await _move(posted, campaign_id, service.close, "closed")


router.include_router(fieldwork.router)
router.include_router(results.router)


async def _move(posted: Posted, campaign_id: str, move: Any, done: str) -> Response:
    """Draw or close: refused, the campaign's page says why; done, it says what was done."""
    view, form = posted.view, posted.form
    require(view, *PLANNERS)
    try:
        await move(view.api, campaign_id, key=text(form, "key"))
    except Refused as refused:
        return await _campaign(view, campaign_id, None, filled=Filled.of(form, refused))
    if done == "closed":
        return RedirectResponse(f"/surveys/{campaign_id}/results?done=closed", status_code=303)
    return RedirectResponse(f"/surveys/{campaign_id}?done={done}", status_code=303)


async def _campaign(
    view: View, campaign_id: str, cursor: str | None, *, filled: Filled | None = None
) -> Response:
    found = await service.campaign(view.api, campaign_id)
    drawn = found["drawn_at"] is not None
    key, random, open_tasks, organisation = await asyncio.gather(
        service.sample(view.api, campaign_id, key=True, limit=service.MANY) if drawn else _none(),
        service.sample(view.api, campaign_id, key=False, cursor=cursor) if drawn else _none(),
        _open_tasks(view, found),
        view.organisations([found["site_id"]]),
    )
    return render(
        view,
        "surveys/campaign.html",
        status=filled.problem.status if filled and filled.problem else 200,
        campaign=found,
        key_sample=key,
        random_sample=random,
        open_tasks=open_tasks,
        organisation=organisation[found["site_id"]],
        done=view.request.query_params.get("done"),
        form=filled or Filled(),
        key=view.new_key(),
    )


def _defaults(view: View, site_id: str) -> dict[str, str]:
    """A fresh plan: this quarter's regular survey of every topic, open now for two weeks,
    sized for ±5 % at 95 %, targets of 90 %, one entry in ten re-checked."""
    opens = view.local_input(site_id=site_id)
    year, quarter = opens[:4], (int(opens[5:7]) - 1) // 3 + 1
    targets = {f"target.{t}": "90" for t in [*forms.TOPICS, forms.OVERALL]}
    return {
        "site_id": site_id,
        "kind": "regular",
        "title": view.t("surveys.default_title", year=year, quarter=_quarter(view, quarter)),
        "period": f"{year}-Q{quarter}",
        "language": "zh-CN",
        "mode": "precision",
        "confidence": "95",
        "margin": "5",
        "stratify": "1",
        "key_min_complaints": "3",
        "recheck_rate": "10",
        "opens_at": opens,
        "closes_at": view.local_input(hours=14 * 24, site_id=site_id),
        **targets,
    }


def _quarter(view: View, quarter: int) -> str:
    """第四季度 in Chinese, Q4 in English."""
    return "一二三四"[quarter - 1] if view.lang == "zh" else str(quarter)


async def _none() -> dict[str, Any]:
    return {"items": [], "next_cursor": None}


async def _open_tasks(view: View, found: dict[str, Any]) -> dict[str, Any]:
    """The open interviewer tasks, for the count (surveyors and their supervisors only)."""
    if found["status"] != "open" or not view.person or not view.person.has_any(*READERS):
        return await _none()
    return await service.tasks(view.api, found["id"], status="open", limit=service.MANY)


async def _planning(
    view: View, filled: Filled, ticked: dict[str, list[str]], *, key: str, status: int = 200
) -> Response:
    """The planning form as the person left it (`ticked`: the boxes of each group)."""
    site_id = filled.get("site_id") or next(iter(view.sites), "")
    buildings = await service.frame(view.api, site_id) if site_id in view.sites else {}
    chosen = [b for b in ticked.get("buildings", []) if b in buildings]
    values = {k: filled.get(k) for k in SIZE_FIELDS}
    helper = await _helper(view, site_id, values, chosen, buildings=buildings)
    return render(
        view,
        "surveys/new.html",
        status=status,
        form=filled,
        key=key,
        site_id=site_id,
        buildings=buildings,
        ticked={**ticked, "buildings": chosen},
        helper=helper,
        topics=forms.TOPICS,
        methods=forms.METHODS,
    )


async def _helper(
    view: View,
    site_id: str,
    values: dict[str, str],
    chosen: list[str],
    *,
    buildings: dict[str, int] | None = None,
) -> dict[str, Any] | None:
    """What the sample-size helper shows: the frame, the plan, and the sizes."""
    if site_id not in view.sites:
        return None
    if buildings is None:
        buildings = await service.frame(view.api, site_id)
    plan = forms.plan_of(values)
    population = forms.population(buildings, chosen)
    if not plan.valid or population == 0:
        return {"plan": plan, "population": population, "valid": False}
    precise = await service.sample_size(
        view.api, population=population, confidence=plan.confidence, margin=plan.margin
    )
    return {
        "plan": plan,
        "population": population,
        "valid": True,
        "precise": precise,
        "random": plan.random_size(population, precise),
    }
