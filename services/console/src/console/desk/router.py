"""The desk (前台接待): find the caller by number, record a complaint, print its record.

Typing a number pops the caller up (households, their open and earlier complaints);
choosing a household fills the form. A form carries an Idempotency-Key of its own, so a
double click or a resubmitted form records one complaint. Phone numbers travel only in
posted forms, never in an address: addresses end up in the browser's history and storage.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from console.backend.client import Refused
from console.backend.sites import zone_of
from console.desk import forms, service
from console.web.forms import Filled, text
from console.web.guard import RECORDERS, require
from console.web.pages import Posted, View, posted_form, render, signed_in_view

router = APIRouter(include_in_schema=False)


@router.get("/desk")
async def desk(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """The desk, empty or with the household chosen from the pop-up."""
    require(view, *RECORDERS)
    query = request.query_params
    filled = Filled(values={k: query[k] for k in ("site_id", "household_id") if query.get(k)})
    chosen = None
    if filled.get("site_id") and filled.get("household_id"):
        chosen = await service.household(
            view.api, filled.get("site_id"), filled.get("household_id")
        )
    return await _page(view, filled, key=view.new_key(), chosen=chosen)


@router.post("/desk")
async def look_up(posted: Posted = Depends(posted_form)) -> Response:
    """The desk with the caller of a typed number popped up (without JavaScript too)."""
    view, form = posted.view, posted.form
    require(view, *RECORDERS)
    filled = Filled(values={k: text(form, k) for k in ("phone", "reporter_type") if text(form, k)})
    return await _page(view, filled, key=view.new_key())


@router.post("/desk/caller")
async def caller(posted: Posted = Depends(posted_form)) -> Response:
    """The caller pop-up for a typed number (an htmx fragment)."""
    view = posted.view
    require(view, *RECORDERS)
    phone = text(posted.form, "phone")
    found, problem = await _look_up(view, phone)
    return render(view, "desk/caller.html", phone=phone, caller=found, problem=problem)


@router.post("/desk/places")
async def places(posted: Posted = Depends(posted_form)) -> Response:
    """The location part of the form for another site (an htmx fragment)."""
    view = posted.view
    require(view, *RECORDERS)
    site_id = text(posted.form, "site_id")
    found = await service.buildings(view.api, site_id) if site_id in view.sites else []
    return render(
        view, "desk/location.html", form=Filled(), buildings=found, building="", units=[], unit=""
    )


@router.get("/desk/units")
async def units(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """The units of a building, as the form's unit choice (an htmx fragment)."""
    require(view, *RECORDERS)
    site_id, building_id = (request.query_params.get(k, "") for k in ("site_id", "building_id"))
    found = await service.units(view.api, site_id, building_id) if site_id and building_id else []
    return render(view, "desk/units.html", units=found, chosen="")


@router.post("/desk/complaints")
async def record(posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require(view, *RECORDERS)
    assert view.person is not None
    zone = zone_of(view.sites, text(form, "site_id"))
    body = forms.complaint_body(form, zone=zone, replied_by=view.person.name)
    try:
        recorded = await service.record(view.api, body, key=text(form, "key"))
    except Refused as refused:
        filled = Filled.of(form, refused, field_of=forms.form_field)
        return await _page(view, filled, key=text(form, "key"), status=refused.status)
    return RedirectResponse(f"/desk/complaints/{recorded['id']}", status_code=303)


@router.get("/desk/complaints/{complaint_id}")
async def recorded(complaint_id: str, view: View = Depends(signed_in_view)) -> Response:
    """What was recorded: the reference to tell the caller, and the record to print."""
    require(view, *RECORDERS)
    found = await service.complaint(view.api, complaint_id)
    return render(view, "desk/recorded.html", complaint=found)


async def _look_up(view: View, phone: str) -> tuple[dict[str, Any] | None, Refused | None]:
    if not phone:
        return None, None
    try:
        return await service.caller(view.api, phone), None
    except Refused as refused:
        return None, refused


async def _page(
    view: View,
    filled: Filled,
    *,
    key: str,
    status: int = 200,
    chosen: dict[str, Any] | None = None,
) -> Response:
    phones = (chosen or {}).get("phones") or [""]
    phone = filled.get("phone") or filled.get("visitor_phone") or phones[0]
    found, problem = await _look_up(view, phone)
    chosen = chosen or _chosen(found, filled.get("household_id") or _only(found, filled))
    site_id = filled.get("site_id") or (chosen or {}).get("site_id") or next(iter(view.sites), "")
    places = await service.buildings(view.api, site_id) if site_id else []
    building = filled.get("building_id") or (chosen or {}).get("building_id", "")
    units_of = await service.units(view.api, site_id, building) if building else []
    return render(
        view,
        "desk/desk.html",
        status=status,
        form=filled,
        key=key,
        site_id=site_id,
        phone=phone,
        caller=found,
        problem=problem,
        chosen=chosen,
        buildings=places,
        building=building,
        units=units_of,
        unit=filled.get("unit_id") or (chosen or {}).get("unit_id", ""),
    )


def _only(found: dict[str, Any] | None, filled: Filled) -> str:
    """The caller's household when the number belongs to exactly one and no other
    reporter was chosen: the desk's commonest case takes no click."""
    households = (found or {}).get("households", [])
    if len(households) == 1 and filled.get("reporter_type", "household") == "household":
        return str(households[0]["id"])
    return ""


def _chosen(found: dict[str, Any] | None, household_id: str) -> dict[str, Any] | None:
    """The household picked from the pop-up, if it is one of the caller's."""
    for household in (found or {}).get("households", []):
        if household["id"] == household_id:
            return dict(household)
    return None
