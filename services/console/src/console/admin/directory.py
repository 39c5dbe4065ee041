"""A site's residents (业户资料): finding a household by name, unit or phone, the buildings,
their units and the households in each, with forms to add, change and remove them.

A search is posted, never put in the address: it is often a phone number, and addresses
end up in the browser's history. Removing is in removal.py.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from console.admin import forms, service
from console.admin.common import Id, after, done, page, require_admin
from console.backend.client import Refused
from console.web.forms import Filled, optional, text
from console.web.pages import Posted, View, posted_form, signed_in_view

router = APIRouter(include_in_schema=False)

BASE = "/admin/sites/{site_id}"


@router.get(BASE + "/directory")
async def directory(
    site_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    """The site's households (all, a page at a time) and its buildings."""
    require_admin(view)
    query = request.query_params
    return await _directory(view, site_id, q="", cursor=query.get("cursor"), done=done(request))


@router.post(BASE + "/directory")
async def search(site_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    """The households a search finds (a page at a time: the cursor is posted too)."""
    view, form = posted.view, posted.form
    require_admin(view)
    return await _directory(view, site_id, q=text(form, "q"), cursor=optional(form, "cursor"))


@router.post(BASE + "/buildings")
async def add_building(site_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require_admin(view)
    try:
        made = await service.create_place(view.api, site_id, "buildings", forms.building_body(form))
    except Refused as refused:
        filled = Filled.of(form, refused)
        return await _directory(view, site_id, q="", filled=filled, status=refused.status)
    return after(f"/admin/sites/{site_id}/buildings/{made['id']}", "building_created")


@router.get(BASE + "/buildings/{building_id}")
async def building(
    site_id: Id, building_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    """A building: its code and name, and its units."""
    require_admin(view)
    query = request.query_params
    return await _building(
        view, site_id, building_id, cursor=query.get("cursor"), done=done(request)
    )


@router.post(BASE + "/buildings/{building_id}")
async def change_building(
    site_id: Id, building_id: Id, posted: Posted = Depends(posted_form)
) -> Response:
    view, form = posted.view, posted.form
    require_admin(view)
    body = forms.building_body(form)
    try:
        await service.update_place(view.api, site_id, "buildings", building_id, body)
    except Refused as refused:
        filled = Filled.of(form, refused)
        return await _building(view, site_id, building_id, filled=filled, status=refused.status)
    return after(f"/admin/sites/{site_id}/buildings/{building_id}", "building_changed")


@router.post(BASE + "/buildings/{building_id}/units")
async def add_unit(site_id: Id, building_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require_admin(view)
    body = forms.unit_body(form, building_id=building_id)
    try:
        await service.create_place(view.api, site_id, "units", body)
    except Refused as refused:
        filled = Filled.of(form, refused)
        return await _building(view, site_id, building_id, adding=filled, status=refused.status)
    return after(f"/admin/sites/{site_id}/buildings/{building_id}", "unit_created")


@router.get(BASE + "/units/{unit_id}")
async def unit(
    site_id: Id, unit_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    """A unit: its number and floor, the households living in it, and adding one."""
    require_admin(view)
    return await _unit(view, site_id, unit_id, done=done(request))


@router.post(BASE + "/units/{unit_id}")
async def change_unit(site_id: Id, unit_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require_admin(view)
    try:
        await service.update_place(view.api, site_id, "units", unit_id, forms.unit_body(form))
    except Refused as refused:
        return await _unit(
            view, site_id, unit_id, filled=Filled.of(form, refused), status=refused.status
        )
    return after(f"/admin/sites/{site_id}/units/{unit_id}", "unit_changed")


@router.post(BASE + "/units/{unit_id}/households")
async def add_household(
    site_id: Id, unit_id: Id, posted: Posted = Depends(posted_form)
) -> Response:
    view, form = posted.view, posted.form
    require_admin(view)
    body = forms.household_body(form, unit_id=unit_id)
    try:
        await service.create_household(view.api, site_id, body, key=text(form, "key"))
    except Refused as refused:
        filled = Filled.of(form, refused, field_of=forms.household_field)
        return await _unit(view, site_id, unit_id, adding=filled, status=refused.status)
    return after(f"/admin/sites/{site_id}/units/{unit_id}", "household_created")


@router.get(BASE + "/households/{household_id}")
async def household(
    site_id: Id, household_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    """A household's details, to change."""
    require_admin(view)
    return await _household(view, site_id, household_id, done=done(request))


@router.post(BASE + "/households/{household_id}")
async def change_household(
    site_id: Id, household_id: Id, posted: Posted = Depends(posted_form)
) -> Response:
    view, form = posted.view, posted.form
    require_admin(view)
    body = forms.household_body(form)
    try:
        await service.update_place(view.api, site_id, "households", household_id, body)
    except Refused as refused:
        filled = Filled.of(form, refused, field_of=forms.household_field)
        return await _household(view, site_id, household_id, filled=filled, status=refused.status)
    return after(f"/admin/sites/{site_id}/households/{household_id}", "household_changed")


async def _directory(
    view: View,
    site_id: str,
    *,
    q: str,
    cursor: str | None = None,
    filled: Filled | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response:
    site, found, places = await asyncio.gather(
        service.site(view.api, site_id),
        service.households(view.api, site_id, q=q or None, cursor=cursor),
        service.buildings(view.api, site_id),
    )
    return page(
        view,
        "admin/directory.html",
        status=status,
        site=site,
        tab="directory",
        q=q,
        households=found,
        buildings=places,
        form=filled or Filled(),
        done=done,
    )


async def _building(
    view: View,
    site_id: str,
    building_id: str,
    *,
    cursor: str | None = None,
    filled: Filled | None = None,
    adding: Filled | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response:
    site, found, units = await asyncio.gather(
        service.site(view.api, site_id),
        service.building(view.api, site_id, building_id),
        service.units(view.api, site_id, building_id, cursor=cursor),
    )
    return page(
        view,
        "admin/building.html",
        status=status,
        site=site,
        tab="directory",
        building=found,
        units=units,
        form=filled or Filled(),
        adding=adding or Filled(),
        done=done,
    )


async def _unit(
    view: View,
    site_id: str,
    unit_id: str,
    *,
    filled: Filled | None = None,
    adding: Filled | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response:
    site, found, living = await asyncio.gather(
        service.site(view.api, site_id),
        service.unit(view.api, site_id, unit_id),
        service.households(view.api, site_id, unit_id=unit_id),
    )
    return page(
        view,
        "admin/unit.html",
        status=status,
        site=site,
        tab="directory",
        unit=found,
        households=living["items"],
        changing=filled or Filled(),
        adding=adding or Filled(),
        key=(adding.get("key") if adding else "") or view.new_key(),
        done=done,
    )


async def _household(
    view: View,
    site_id: str,
    household_id: str,
    *,
    filled: Filled | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response:
    site, found = await asyncio.gather(
        service.site(view.api, site_id), service.household(view.api, site_id, household_id)
    )
    return page(
        view,
        "admin/household.html",
        status=status,
        site=site,
        tab="directory",
        household=found,
        form=filled or Filled(),
        done=done,
    )
