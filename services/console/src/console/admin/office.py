"""A site's office in notify (通知设置): the name and service phone residents' messages
give, when callbacks fall due, the office's working hours, time zone and language; and the
staff's addresses (e-mail, phone), which notify uses to tell people of their cases.

Notify replaces both whole. The staff are routing's: the directory sent to notify names
each member of staff with the role and department routing gives them, so the two agree.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from console.admin import chain, forms, service
from console.admin.common import Id, after, done, page, require_admin
from console.admin.sites import ZONES
from console.backend.client import Refused
from console.web.forms import Filled
from console.web.pages import Posted, View, posted_form, signed_in_view

router = APIRouter(include_in_schema=False)


@router.get("/admin/sites/{site_id}/office")
async def office(site_id: Id, request: Request, view: View = Depends(signed_in_view)) -> Response:
    require_admin(view)
    return await _page(view, site_id, done=done(request))


@router.post("/admin/sites/{site_id}/office/settings")
async def put_settings(site_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require_admin(view)
    try:
        await service.put_settings(view.api, site_id, forms.settings_body(form))
    except Refused as refused:
        filled = Filled.of(form, refused)
        return await _page(view, site_id, failed="settings", filled=filled, status=refused.status)
    return after(f"/admin/sites/{site_id}/office", "settings")


@router.post("/admin/sites/{site_id}/office/contacts")
async def put_contacts(site_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require_admin(view)
    found = await service.office(view.api, site_id)
    rows = forms.contact_rows(found.organisation, found.contacts)
    body, kept = forms.contacts_body(form, rows)
    try:
        await service.put_contacts(view.api, site_id, body)
    except Refused as refused:
        where = forms.row_field({"staff": ("contact", kept)})
        filled = Filled.of(form, refused, field_of=where)
        return await _page(view, site_id, failed="contacts", filled=filled, status=refused.status)
    return after(f"/admin/sites/{site_id}/office", "contacts")


async def _page(
    view: View,
    site_id: str,
    *,
    failed: str = "",
    filled: Filled | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response:
    site, found = await asyncio.gather(
        service.site(view.api, site_id), service.office(view.api, site_id)
    )
    people = found.organisation
    return page(
        view,
        "admin/office.html",
        status=status,
        site=site,
        tab="office",
        settings=found.settings,
        configured=found.settings.get("name") not in ("", site_id),
        contacts=forms.contact_rows(people, found.contacts),
        departments={d["code"]: chain.department_name(d, view.lang) for d in people["departments"]},
        failed=failed,
        filled=filled or Filled(),
        blank=Filled(),
        done=done,
        zones=ZONES,
        locales=forms.LOCALES,
    )
