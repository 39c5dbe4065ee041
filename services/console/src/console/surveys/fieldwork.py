"""Fieldwork of a campaign: the interviewers' tasks and their entry form (made for a phone
in one hand: one topic per row, the scale as big buttons), and the supervisors' re-check
queue, where an entry is confirmed against its paper form or corrected from it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import RedirectResponse, Response

from console.backend.client import Refused
from console.surveys import figures, forms, service
from console.surveys.access import PLANNERS, READERS
from console.web.forms import Filled, text
from console.web.guard import may, require
from console.web.pages import Posted, View, posted_form, render, signed_in_view
from shared.http.errors import ProblemError

router = APIRouter(include_in_schema=False)

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]


@router.get("/surveys/{campaign_id}/tasks")
async def tasks(
    campaign_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    """Whom to visit, call or meet outdoors; what was just entered."""
    require(view, *READERS)
    query = request.query_params
    shown = "done" if query.get("status") == "done" else "open"
    found = await service.campaign(view.api, campaign_id)
    page = await service.tasks(view.api, campaign_id, status=shown, cursor=query.get("cursor"))
    done = query.get("done")
    entered = await service.member(view.api, campaign_id, done) if done else None
    return render(
        view, "surveys/tasks.html", campaign=found, page=page, shown=shown, entered=entered
    )


@router.get("/surveys/{campaign_id}/households/{household_id}")
async def entry(
    campaign_id: Id, household_id: Id, view: View = Depends(signed_in_view)
) -> Response:
    """The entry form of one household of the sample."""
    require(view, *READERS)
    return await _entry(view, campaign_id, household_id, Filled(), key=view.new_key())


@router.post("/surveys/{campaign_id}/households/{household_id}")
async def enter(
    campaign_id: Id, household_id: Id, posted: Posted = Depends(posted_form)
) -> Response:
    view, form = posted.view, posted.form
    require(view, *READERS)
    found = await service.campaign(view.api, campaign_id)
    body = forms.entry_body(form, topics=found["topics"], language=found["language"])
    body["household_id"] = household_id
    try:
        await service.enter(view.api, campaign_id, body, key=text(form, "key"))
    except Refused as refused:
        filled = Filled.of(form, refused, field_of=forms.entry_field)
        return await _entry(
            view, campaign_id, household_id, filled, key=text(form, "key"), found=found
        )
    return RedirectResponse(f"/surveys/{campaign_id}/tasks?done={household_id}", status_code=303)


@router.get("/surveys/{campaign_id}/rechecks")
async def rechecks(
    campaign_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    """The entries waiting for a supervisor to compare with their paper forms."""
    require(view, *PLANNERS)
    done = request.query_params.get("done")
    return await _rechecks(view, campaign_id, done=done, cursor=request.query_params.get("cursor"))


@router.post("/surveys/{campaign_id}/rechecks/{response_id}")
async def verify(
    campaign_id: Id, response_id: Id, posted: Posted = Depends(posted_form)
) -> Response:
    view, form = posted.view, posted.form
    require(view, *PLANNERS)
    found = await service.campaign(view.api, campaign_id)
    body = forms.recheck_body(form, topics=found["topics"])
    try:
        await service.verify(view.api, campaign_id, response_id, body, key=text(form, "key"))
    except Refused as refused:
        filled = Filled.of(form, refused, field_of=forms.entry_field)
        return await _rechecks(view, campaign_id, failed=response_id, filled=filled)
    outcome = body["outcome"]
    return RedirectResponse(f"/surveys/{campaign_id}/rechecks?done={outcome}", status_code=303)


async def _entry(
    view: View,
    campaign_id: str,
    household_id: str,
    filled: Filled,
    *,
    key: str,
    found: dict[str, Any] | None = None,
) -> Response:
    found = found or await service.campaign(view.api, campaign_id)
    member = await service.member(view.api, campaign_id, household_id)
    if member is None:
        raise ProblemError(404, "not_found")
    return render(
        view,
        "surveys/entry.html",
        status=filled.problem.status if filled.problem else 200,
        campaign=found,
        member=member,
        form=filled,
        key=key,
        methods=forms.INTERVIEWS,
        skip=forms.SKIP,
    )


async def _rechecks(
    view: View,
    campaign_id: str,
    *,
    done: str | None = None,
    cursor: str | None = None,
    failed: str | None = None,
    filled: Filled | None = None,
) -> Response:
    found = await service.campaign(view.api, campaign_id)
    page = await service.responses(view.api, campaign_id, recheck="pending", cursor=cursor)
    return render(
        view,
        "surveys/rechecks.html",
        status=filled.problem.status if filled and filled.problem else 200,
        campaign=found,
        page=page,
        done=done,
        failed=failed,
        form=filled or Filled(),
        may_correct=found["status"] != "closed" and may(view, *PLANNERS),
        levels=figures.level_names(found["scale"], view.lang),
        skip=forms.SKIP,
    )
