"""A site's organisation (组织架构): the escalation chain it makes for each department
(handler -> department head -> VP in charge -> general manager), the departments and the
staff, with forms to add and change them and to name the leadership.

Routing checks that the whole holds together (a head is a department head of that
department, the VP and the GM hold those roles) and refuses a change that would break it,
in its words, which the page shows beside what was typed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from console.admin import chain, forms, service
from console.admin.common import Code, Id, StaffId, after, done, forget_sites, page, require_admin
from console.backend.client import Refused
from console.web.forms import Filled
from console.web.pages import Posted, View, posted_form, signed_in_view

router = APIRouter(include_in_schema=False)

BASE = "/admin/sites/{site_id}/organisation"
Change = tuple[str, str, Callable[[FormData], dict[str, Any]], str]
"""(method, path below the site, the form's body, what the page then says was done)."""


@router.get(BASE)
async def organisation(
    site_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    require_admin(view)
    return await _page(view, site_id, done=done(request))


@router.post(BASE + "/leadership")
async def leadership(site_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    change = ("PUT", "leadership", forms.leadership_body, "leadership")
    return await _change(posted, site_id, "leadership", change)


@router.post(BASE + "/departments")
async def add_department(site_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    body = partial(forms.department_body, creating=True)
    change = ("POST", "departments", body, "department_created")
    return await _change(posted, site_id, "department-new", change)


@router.post(BASE + "/departments/{code}")
async def change_department(
    site_id: Id, code: Code, posted: Posted = Depends(posted_form)
) -> Response:
    body = partial(forms.department_body, creating=False)
    change = ("PATCH", f"departments/{code}", body, "department_changed")
    return await _change(posted, site_id, f"department-{code}", change)


@router.post(BASE + "/staff")
async def add_staff(site_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    body = partial(forms.staff_body, creating=True)
    return await _change(posted, site_id, "staff-new", ("POST", "staff", body, "staff_created"))


@router.post(BASE + "/staff/{staff_id}")
async def change_staff(
    site_id: Id, staff_id: StaffId, posted: Posted = Depends(posted_form)
) -> Response:
    body = partial(forms.staff_body, creating=False)
    change = ("PATCH", f"staff/{staff_id}", body, "staff_changed")
    return await _change(posted, site_id, f"staff-{staff_id}", change)


async def _change(posted: Posted, site_id: str, form_id: str, change: Change) -> Response:
    """Send one form's change to routing; the page again with routing's words if refused."""
    view, form = posted.view, posted.form
    require_admin(view)
    method, path, body, what = change
    try:
        await service.change_organisation(view.api, site_id, method, path, body(form))
    except Refused as refused:
        filled = Filled.of(form, refused)
        return await _page(view, site_id, failed=form_id, filled=filled, status=refused.status)
    forget_sites(view)  # the names pages show come from the organisation
    return after(f"/admin/sites/{site_id}/organisation", what)


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
        service.site(view.api, site_id), service.organisation(view.api, site_id)
    )
    return page(
        view,
        "admin/organisation.html",
        status=status,
        site=site,
        tab="organisation",
        organisation=found,
        staff=chain.ordered_staff(found),
        chains=chain.chains(found, view.lang),
        holders=lambda role, department=None: chain.holders(found, role, department),
        departments={d["code"]: chain.department_name(d, view.lang) for d in found["departments"]},
        failed=failed,
        filled=filled or Filled(),
        blank=Filled(),
        done=done,
        roles=forms.STAFF_ROLES,
    )
