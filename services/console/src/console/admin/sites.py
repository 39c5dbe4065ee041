"""Sites (管理处): the list, adding one, and a site's page with its details and what of it
is set up (its residents, organisation, rules and office), each a click away."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from console.admin import forms, service
from console.admin.common import Id, after, done, forget_sites, page, require_admin
from console.backend.client import Refused
from console.web.forms import Filled
from console.web.pages import Posted, View, posted_form, signed_in_view

router = APIRouter(include_in_schema=False)

ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Macau",
    "Asia/Taipei",
    "Asia/Urumqi",
    "Asia/Singapore",
    "Asia/Kuala_Lumpur",
    "Asia/Tokyo",
    "Europe/London",
)
"""Offered in the time zone fields (any IANA name may be typed)."""


@router.get("/admin")
async def sites(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """Every site the administrator may see, and a form to add one."""
    require_admin(view)
    return await _sites(view, request.query_params.get("cursor"), Filled())


@router.post("/admin/sites")
async def create(posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require_admin(view)
    try:
        created = await service.create_site(view.api, forms.site_body(form, creating=True))
    except Refused as refused:
        return await _sites(view, None, Filled.of(form, refused), status=refused.status)
    forget_sites(view)
    return after(f"/admin/sites/{created['id']}", "site_created")


@router.get("/admin/sites/{site_id}")
async def site(site_id: Id, request: Request, view: View = Depends(signed_in_view)) -> Response:
    """A site's details, and how far each of its settings has come."""
    require_admin(view)
    found = await service.site(view.api, site_id)
    return await _site(view, found, Filled(), done=done(request))


@router.post("/admin/sites/{site_id}")
async def change(site_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require_admin(view)
    found = await service.site(view.api, site_id)
    try:
        await service.update_site(view.api, site_id, forms.site_body(form, creating=False))
    except Refused as refused:
        return await _site(view, found, Filled.of(form, refused), status=refused.status)
    forget_sites(view)
    return after(f"/admin/sites/{site_id}", "site_changed")


async def _sites(view: View, cursor: str | None, filled: Filled, *, status: int = 200) -> Response:
    found = await service.sites(view.api, cursor=cursor)
    return page(view, "admin/sites.html", status=status, page=found, form=filled, zones=ZONES)


async def _site(
    view: View, found: dict[str, Any], filled: Filled, *, status: int = 200, done: str | None = None
) -> Response:
    site_id = found["id"]
    places, people, rules, office = await asyncio.gather(
        service.buildings(view.api, site_id),
        service.organisation(view.api, site_id),
        service.rules(view.api, site_id),
        view.api.get("notify", f"/v1/sites/{site_id}/settings"),
    )
    return page(
        view,
        "admin/site.html",
        status=status,
        site=found,
        form=filled,
        done=done,
        zones=ZONES,
        buildings=places,
        organisation=people,
        rules=rules,
        office=office,
        tab="site",
    )
