"""Rectification (整改) and corrective / preventive action (纠正措施 / 预防措施) pages.

A rectification is opened from a case or on a manager's own account with its measures,
completion time and plan (items per rectification team); each team reports on its item,
the last item done submits the work for acceptance, and a manager accepts it or rejects
it back. An action is planned, carried out and verified. Routing decides who may do what
and says so (`actions`, `reportable`); a refused form shows routing's words and keeps
what was typed; a done one redirects to the page saying what was done.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from console.backend.client import Refused
from console.backend.sites import zone_of
from console.cases.router import DOCUMENT_CSP
from console.improvement import forms, service
from console.improvement.service import ACTION_FILTERS, RECTIFICATION_FILTERS
from console.web.forms import Filled, text
from console.web.guard import CASE_ROLES, require
from console.web.pages import Posted, View, posted_form, render, signed_in_view

router = APIRouter(include_in_schema=False)

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
Position = Annotated[int, Path(ge=1, le=1000)]
MANAGERS = ("dept_head", "vp", "gm")
WEEK_HOURS = 7 * 24


@router.get("/rectifications")
async def rectifications(request: Request, view: View = Depends(signed_in_view)) -> Response:
    require(view, *CASE_ROLES)
    filters = service.wanted(request.query_params, RECTIFICATION_FILTERS)
    found = await service.rectifications(view.api, filters, request.query_params.get("cursor"))
    return await _list(view, "improvement/rectifications.html", filters, found)


@router.get("/rectifications/new")
async def new(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """The form opening a rectification, filled from the case when there is one."""
    require(view, *MANAGERS)
    case_id, site_id = (request.query_params.get(k) for k in ("case_id", "site_id"))
    case = await service.case(view.api, case_id) if case_id else None
    site_id = case["site_id"] if case else _one_of(view, site_id)
    due = view.local_input(hours=WEEK_HOURS, site_id=site_id)
    values = forms.from_case(case, due=due) if case else _blank(site_id, due)
    return await _new(view, Filled(values=values), case=case, key=view.new_key())


@router.post("/rectifications/new")
async def more_items(posted: Posted = Depends(posted_form)) -> Response:
    """The form again with one more item row, as typed (for "add an item" without JS)."""
    view, form = posted.view, posted.form
    require(view, *MANAGERS)
    filled = Filled.of(form)
    filled.values["rows"] = str(forms.row_count(form, more=1))
    case_id = filled.get("case_id")
    case = await service.case(view.api, case_id) if case_id else None
    return await _new(view, filled, case=case, key=text(form, "key") or view.new_key())


@router.get("/rectifications/new/item")
async def item_row(
    view: View = Depends(signed_in_view),
    n: Annotated[int, Query(ge=0, lt=forms.MAX_ITEMS)] = 0,
    site_id: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """One more empty item row (an htmx fragment), with the form's row count moved on."""
    require(view, *MANAGERS)
    site_id = _one_of(view, site_id)
    organisation = (await view.organisations([site_id]))[site_id]
    due = view.local_input(hours=WEEK_HOURS, site_id=site_id)
    return render(
        view,
        "improvement/item_row.html",
        n=n,
        rows=n + 1,
        max_items=forms.MAX_ITEMS,
        fragment=True,
        organisation=organisation,
        site_id=site_id,
        form=Filled(values={f"item-{n}-due_at": due}),
    )


@router.post("/rectifications")
async def open_rectification(posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require(view, *MANAGERS)
    case_id = text(form, "case_id")
    case = await service.case(view.api, case_id) if case_id else None
    site_id = case["site_id"] if case else text(form, "site_id")
    plan = forms.rectification_body(form, zone_of(view.sites, site_id))
    try:
        opened = await service.open_rectification(view.api, plan.body, key=text(form, "key"))
    except Refused as refused:
        filled = Filled.of(form, refused, field_of=plan.field_of)
        return await _new(view, filled, case=case, key=text(form, "key"), status=refused.status)
    return RedirectResponse(f"/rectifications/{opened['id']}?done=opened", status_code=303)


@router.get("/rectifications/{rect_id}")
async def rectification(
    rect_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    require(view, *CASE_ROLES)
    found = await service.rectification(view.api, rect_id)
    return await _rectification(view, found, done=request.query_params.get("done"))


@router.post("/rectifications/{rect_id}/items/{position}/reports")
async def report(
    rect_id: Id, position: Position, posted: Posted = Depends(posted_form)
) -> Response:
    view, form = posted.view, posted.form
    require(view, *CASE_ROLES)
    body = forms.report_body(form)
    try:
        done = await service.report(view.api, rect_id, position, body, key=text(form, "key"))
    except Refused as refused:
        found = await service.rectification(view.api, rect_id)
        filled = Filled.of(form, refused)
        return await _rectification(
            view, found, failed=f"report-{position}", filled=filled, status=refused.status
        )
    said = "submitted" if done["status"] == "in_acceptance" else "reported"
    return RedirectResponse(f"/rectifications/{rect_id}?done={said}", status_code=303)


@router.post("/rectifications/{rect_id}/{decision}")
async def decide(rect_id: Id, decision: str, posted: Posted = Depends(posted_form)) -> Response:
    """Accept the work, or reject it back to the teams (with the inspection's words)."""
    view, form = posted.view, posted.form
    require(view, *MANAGERS)
    if decision not in service.DECISIONS:
        return RedirectResponse(f"/rectifications/{rect_id}", status_code=303)
    found = await service.rectification(view.api, rect_id)
    zone = zone_of(view.sites, found["site_id"])
    body = forms.accept_body(form) if decision == "accept" else forms.reject_body(form, zone)
    try:
        await service.decide(view.api, rect_id, decision, body, key=text(form, "key"))
    except Refused as refused:
        filled = Filled.of(form, refused)
        filled.values["items"] = ",".join(str(p) for p in form.getlist("items"))
        return await _rectification(
            view, found, failed=decision, filled=filled, status=refused.status
        )
    return RedirectResponse(f"/rectifications/{rect_id}?done={decision}", status_code=303)


@router.get("/rectifications/{rect_id}/report")
async def report_document(rect_id: Id, view: View = Depends(signed_in_view)) -> Response:
    """The printable rectification report (整改报告), under the person's session."""
    page = await service.report_document(view.api, rect_id, view.lang)
    return HTMLResponse(page, headers={"Content-Security-Policy": DOCUMENT_CSP})


@router.get("/actions")
async def actions(request: Request, view: View = Depends(signed_in_view)) -> Response:
    require(view, *CASE_ROLES)
    filters = service.wanted(request.query_params, ACTION_FILTERS)
    found = await service.actions(view.api, filters, request.query_params.get("cursor"))
    return await _list(view, "improvement/actions.html", filters, found)


@router.get("/actions/{action_id}")
async def action(action_id: Id, request: Request, view: View = Depends(signed_in_view)) -> Response:
    require(view, *CASE_ROLES)
    found = await service.action(view.api, action_id)
    return await _action(view, found, done=request.query_params.get("done"))


@router.post("/actions/{action_id}/{step}")
async def take_step(action_id: Id, step: str, posted: Posted = Depends(posted_form)) -> Response:
    """Plan, complete or verify an action."""
    view, form = posted.view, posted.form
    require(view, *CASE_ROLES)
    if step not in service.STEPS:
        return RedirectResponse(f"/actions/{action_id}", status_code=303)
    found = await service.action(view.api, action_id)
    zone = zone_of(view.sites, found["site_id"])
    bodies = {
        "plan": lambda: forms.plan_body(form, zone),
        "complete": lambda: forms.complete_body(form),
        "verify": lambda: forms.verify_body(form),
    }
    try:
        await service.step(view.api, action_id, step, bodies[step](), key=text(form, "key"))
    except Refused as refused:
        filled = Filled.of(form, refused)
        return await _action(view, found, failed=step, filled=filled, status=refused.status)
    return RedirectResponse(f"/actions/{action_id}?done={step}", status_code=303)


def _one_of(view: View, site_id: str | None) -> str:
    """The site asked for when it is one of the person's, else their first."""
    return site_id if site_id and site_id in view.sites else next(iter(view.sites), "")


def _blank(site_id: str, due: str) -> dict[str, str]:
    return {
        "site_id": site_id,
        "due_at": due,
        **{f"item-{n}-due_at": due for n in range(forms.FIRST_ROWS)},
    }


async def _list(
    view: View, template: str, filters: dict[str, str], found: dict[str, Any]
) -> Response:
    organisations = await view.organisations(r["site_id"] for r in found["items"])
    return render(
        view,
        template,
        filters=filters,
        rows=found["items"],
        next_cursor=found.get("next_cursor"),
        organisations=organisations,
        query=urlencode(filters),
    )


async def _new(
    view: View,
    filled: Filled,
    *,
    case: dict[str, Any] | None,
    key: str,
    status: int = 200,
) -> Response:
    site_id = case["site_id"] if case else _one_of(view, filled.get("site_id"))
    organisation = (await view.organisations([site_id]))[site_id] if site_id else None
    return render(
        view,
        "improvement/new.html",
        status=status,
        form=filled,
        case=case,
        site_id=site_id,
        organisation=organisation,
        rows=forms.row_count(filled.values),
        max_items=forms.MAX_ITEMS,
        key=key,
    )


async def _rectification(
    view: View,
    found: dict[str, Any],
    *,
    done: str | None = None,
    failed: str | None = None,
    filled: Filled | None = None,
    status: int = 200,
) -> Response:
    site_id = str(found["site_id"])
    organisation = (await view.organisations([site_id]))[site_id]
    return render(
        view,
        "improvement/rectification.html",
        status=status,
        file=service.RectificationFile(found, organisation),
        rect=found,
        progress=service.progress(found),
        done=done,
        failed=failed,
        form=filled or Filled(),
        key=(filled.get("key") if filled else "") or view.new_key(),
    )


async def _action(
    view: View,
    found: dict[str, Any],
    *,
    done: str | None = None,
    failed: str | None = None,
    filled: Filled | None = None,
    status: int = 200,
) -> Response:
    site_id = str(found["site_id"])
    organisation = (await view.organisations([site_id]))[site_id]
    campaign = await service.campaign(view.api, found.get("campaign_id"))
    return render(
        view,
        "improvement/action.html",
        status=status,
        act=found,
        organisation=organisation,
        campaign=campaign,
        done=done,
        failed=failed,
        form=filled or Filled(),
        key=(filled.get("key") if filled else "") or view.new_key(),
    )
