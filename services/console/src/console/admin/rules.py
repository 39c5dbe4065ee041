"""A site's rules (分派与时限): which department a complaint goes to (category, and kind
or severity when they matter), how long it may take to acknowledge and to resolve (in
working hours or on the calendar), and the calendar those hours count in: the working
week, the holidays and the make-up working days (调休).

The page shows the rules in force and what ships with the system where the site says
nothing. Each of its three forms sends routing one section whole (routing replaces that
section and keeps the others), so a refused form shows again with every row as typed.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from console.admin import chain, rules_forms, service
from console.admin.common import Id, after, done, page, require_admin
from console.admin.rules_forms import SECTIONS
from console.admin.sites import ZONES
from console.backend.client import Refused
from console.web.forms import Filled
from console.web.pages import Posted, View, posted_form, signed_in_view

router = APIRouter(include_in_schema=False)

SectionName = Literal["routing", "deadlines", "calendar"]


@router.get("/admin/sites/{site_id}/rules")
async def rules(site_id: Id, request: Request, view: View = Depends(signed_in_view)) -> Response:
    require_admin(view)
    return await _page(view, site_id, done=done(request))


@router.post("/admin/sites/{site_id}/rules/{section}")
async def put_section(
    site_id: Id, section: SectionName, posted: Posted = Depends(posted_form)
) -> Response:
    """Replace one section of the site's rules with the form's rows."""
    view, form = posted.view, posted.form
    require_admin(view)
    made = SECTIONS[section](form)
    try:
        await service.put_rules(view.api, site_id, made.body)
    except Refused as refused:
        filled = Filled.of(form, refused, field_of=made.field_of)
        return await _page(
            view, site_id, failed=section, filled=filled, typed=form, status=refused.status
        )
    return after(f"/admin/sites/{site_id}/rules", section)


def _rows(found: dict[str, Any], failed: str, typed: FormData | None) -> dict[str, Any]:
    """Each section's rows: as typed in the refused form, else as in force."""

    def pick(section: str, from_form: Any, in_force: Any) -> Any:
        return from_form(typed) if typed is not None and failed == section else in_force(found)

    return {
        "routes": pick("routing", rules_forms.typed_routes, rules_forms.route_rows),
        "policies": pick("deadlines", rules_forms.typed_policies, rules_forms.policy_rows),
        "week": pick("calendar", rules_forms.typed_week, rules_forms.week_rows),
        "holidays": pick("calendar", rules_forms.typed_holidays, rules_forms.holiday_rows),
    }


async def _page(
    view: View,
    site_id: str,
    *,
    failed: str = "",
    filled: Filled | None = None,
    typed: FormData | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response:
    site, found, people = await asyncio.gather(
        service.site(view.api, site_id),
        service.rules(view.api, site_id),
        service.organisation(view.api, site_id),
    )
    departments = {d["code"]: chain.department_name(d, view.lang) for d in people["departments"]}
    shipped = [
        {**p, "acknowledge": rules_forms.hours_minutes(p["acknowledge_within"]),
         "resolve": rules_forms.hours_minutes(p["resolve_within"])}
        for p in found["shipped_sla_policies"]
    ]  # fmt: skip
    return page(
        view,
        "admin/rules.html",
        status=status,
        site=site,
        tab="rules",
        rules=found,
        rows=_rows(found, failed, typed),
        departments=departments,
        shipped_policies=shipped,
        follow_up=rules_forms.hours_minutes(found["developer_follow_up"]),
        failed=failed,
        filled=filled or Filled(),
        blank=Filled(),
        done=done,
        categories=rules_forms.CATEGORIES,
        kinds=rules_forms.KINDS,
        severities=rules_forms.SEVERITIES,
        clocks=rules_forms.CLOCKS,
        zones=ZONES,
    )
