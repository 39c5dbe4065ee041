"""Removing a building, a unit or a household: a page that asks first (the second step,
no script needed), then intake's answer. Intake refuses to remove a building that has
units, or a unit that has households or complaints; a removed household stays on record,
marked removed, until its retention ends.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Depends
from starlette.responses import Response

from console.admin import service
from console.admin.common import Id, after, page, require_admin
from console.backend.client import Refused
from console.web.forms import Filled
from console.web.pages import Posted, View, posted_form, signed_in_view

router = APIRouter(include_in_schema=False)

Removable = Literal["buildings", "units", "households"]
BASE = "/admin/sites/{site_id}"


@router.get(BASE + "/{what}/{ident}/remove")
async def confirm_removal(
    site_id: Id, what: Removable, ident: Id, view: View = Depends(signed_in_view)
) -> Response:
    """The second step of removing: what it is, and one button to remove it."""
    require_admin(view)
    return await _confirm(view, site_id, what, ident)


@router.post(BASE + "/{what}/{ident}/remove")
async def remove(
    site_id: Id, what: Removable, ident: Id, posted: Posted = Depends(posted_form)
) -> Response:
    view = posted.view
    require_admin(view)
    thing = await _thing(view, site_id, what, ident)
    try:
        await service.remove_place(view.api, site_id, what, ident)
    except Refused as refused:
        return await _confirm(view, site_id, what, ident, Filled.of(posted.form, refused))
    return after(_back_from(site_id, what, thing, removed=True), f"{what[:-1]}_removed")


async def _thing(view: View, site_id: str, what: Removable, ident: str) -> dict[str, Any]:
    if what == "buildings":
        return await service.building(view.api, site_id, ident)
    if what == "units":
        return await service.unit(view.api, site_id, ident)
    return await service.household(view.api, site_id, ident)


def _back_from(site_id: str, what: Removable, thing: dict[str, Any], *, removed: bool) -> str:
    """Where to go from the confirmation: the thing itself (cancelled), or the page that
    listed it (removed)."""
    base = f"/admin/sites/{site_id}"
    if not removed:
        return f"{base}/{what}/{thing['id']}"
    if what == "units":
        return f"{base}/buildings/{thing['building_id']}"
    if what == "households":
        return f"{base}/units/{thing['unit_id']}"
    return f"{base}/directory"


async def _confirm(
    view: View, site_id: str, what: Removable, ident: str, filled: Filled | None = None
) -> Response:
    site, thing = await asyncio.gather(
        service.site(view.api, site_id), _thing(view, site_id, what, ident)
    )
    return page(
        view,
        "admin/confirm.html",
        status=filled.problem.status if filled and filled.problem else 200,
        site=site,
        tab="directory",
        what=what,
        thing=thing,
        back=_back_from(site_id, what, thing, removed=False),
        form=filled or Filled(),
    )
