"""Notices (通知单): the list by status, a new notice, a notice's page (its facts, its
change, its cancellation after a confirmation, its printable notice and warning sign,
and how its deliveries went).

notify decides who may publish, what a notice in its state may change and whom it
reaches; a refusal is shown with notify's words and the console's words beside the field,
and everything typed is kept. Every form carries an Idempotency-Key of its own.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from console.backend.client import Refused
from console.backend.sites import zone_of
from console.cases.router import DOCUMENT_CSP
from console.notices import charts, forms, service
from console.web.forms import Filled, text
from console.web.guard import CASE_ROLES, require
from console.web.pages import Posted, View, posted_form, render, signed_in_view

router = APIRouter(include_in_schema=False)

ROLES = CASE_ROLES
"""notify's publishers: handlers, department heads, the VP and the GM (and admin)."""
Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
FILTERS = ("site_id", "kind")
DONE = ("created", "updated", "unchanged", "cancelled")


@router.get("/notices")
async def index(request: Request, view: View = Depends(signed_in_view)) -> Response:
    require(view, *ROLES)
    query = request.query_params
    asked = query.get("status", "")
    status = asked if asked in forms.STATUSES else "scheduled"
    filters = {k: query[k] for k in FILTERS if _known_filter(view, k, query.get(k, ""))}
    found = await service.notices(
        view.api, status=status, filters=filters, cursor=query.get("cursor")
    )
    places = await service.places_of(view.api, _named_sites(found["items"]))
    shown = urlencode({"status": status, **filters})
    return render(
        view,
        "notices/list.html",
        status_shown=status,
        filters=filters,
        page=found,
        places=places,
        query=shown,
        **_punctuation(view),
    )


@router.get("/notices/new")
async def new(request: Request, view: View = Depends(signed_in_view)) -> Response:
    require(view, *ROLES)
    asked = request.query_params.get("site_id", "")
    site_id = asked if asked in view.sites else next(iter(view.sites), "")
    filled = Filled(values={"site_id": site_id, "kind": "water_outage"})
    return await _new_page(view, filled, {}, key=view.new_key())


@router.post("/notices")
async def create(posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require(view, *ROLES)
    body = forms.notice_body(form, zone_of(view.sites, text(form, "site_id")))
    try:
        created = await service.create(view.api, body, key=text(form, "key"))
    except Refused as refused:
        filled = forms.refused_form(form, refused, view.t)
        return await _new_page(
            view, filled, forms.picked(form), key=text(form, "key"), status=refused.status
        )
    return RedirectResponse(f"/notices/{created['id']}?done=created", status_code=303)


@router.get("/notices/{notice_id}")
async def notice(notice_id: Id, request: Request, view: View = Depends(signed_in_view)) -> Response:
    require(view, *ROLES)
    done = request.query_params.get("done")
    found = await service.notice(view.api, notice_id)
    return await _notice_page(view, found, done=done if done in DONE else None)


@router.post("/notices/{notice_id}")
async def update(notice_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require(view, *ROLES)
    found = await service.notice(view.api, notice_id)
    body = forms.update_body(form, found, zone_of(view.sites, found["site_id"]))
    if not body:
        return RedirectResponse(f"/notices/{notice_id}?done=unchanged", status_code=303)
    try:
        await service.update(view.api, notice_id, body, key=text(form, "key"))
    except Refused as refused:
        filled = forms.refused_form(form, refused, view.t)
        return await _notice_page(view, found, filled=(filled, form), status=refused.status)
    return RedirectResponse(f"/notices/{notice_id}?done=updated", status_code=303)


@router.get("/notices/{notice_id}/cancel")
async def confirm_cancel(notice_id: Id, view: View = Depends(signed_in_view)) -> Response:
    """The confirmation step: what cancelling does now, and why (told to the households)."""
    require(view, *ROLES)
    found = await service.notice(view.api, notice_id)
    return await _cancel_page(view, found, Filled(), key=view.new_key())


@router.post("/notices/{notice_id}/cancel")
async def cancel(notice_id: Id, posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require(view, *ROLES)
    try:
        await service.cancel(view.api, notice_id, forms.cancel_body(form), key=text(form, "key"))
    except Refused as refused:
        found = await service.notice(view.api, notice_id)
        filled = forms.refused_form(form, refused, view.t)
        return await _cancel_page(view, found, filled, key=text(form, "key"), status=refused.status)
    return RedirectResponse(f"/notices/{notice_id}?done=cancelled", status_code=303)


@router.get("/notices/{notice_id}/deliveries")
async def deliveries(
    notice_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    """The deliveries panel alone, for the page to look again while some are under way;
    the whole page again once the notice is no longer in the state the page shows."""
    require(view, *ROLES)
    found = await service.notice(view.api, notice_id)
    if request.query_params.get("shown", found["status"]) != found["status"]:
        return Response(status_code=204, headers={"HX-Refresh": "true"})
    sent = await service.deliveries(view.api, notice_id)
    return render(view, "notices/deliveries.html", notice=found, sent=sent, **_words(view))


@router.get("/notices/{notice_id}/document")
async def document(notice_id: Id, view: View = Depends(signed_in_view)) -> Response:
    """The printable notice (通知单), as notify renders it, opened under the session."""
    return await _document(view, notice_id, "notice")


@router.get("/notices/{notice_id}/sign")
async def sign(notice_id: Id, view: View = Depends(signed_in_view)) -> Response:
    """The warning sign (警示标识) of an outage, maintenance or safety notice."""
    return await _document(view, notice_id, "sign")


async def _document(view: View, notice_id: str, which: str) -> Response:
    require(view, *ROLES)
    page = await service.document(view.api, notice_id, which, view.lang)
    return HTMLResponse(page, headers={"Content-Security-Policy": DOCUMENT_CSP})


def _known_filter(view: View, name: str, value: str) -> bool:
    """Only a site of the person's and a kind notify knows narrow the list."""
    return value in view.sites if name == "site_id" else value in forms.KINDS


def _named_sites(notices: list[dict[str, Any]]) -> set[str]:
    """The sites whose places the listed notices name."""
    return {n["site_id"] for n in notices if n["scope"] != "site"}


async def _new_page(
    view: View, filled: Filled, ticked: dict[str, list[str]], *, key: str, status: int = 200
) -> Response:
    site_id = filled.get("site_id") or next(iter(view.sites), "")
    places = await service.places(view.api, site_id) if site_id in view.sites else service.Places()
    return render(
        view,
        "notices/new.html",
        status=status,
        form=filled,
        ticked=ticked,
        key=key,
        site_id=site_id,
        places=places,
        **_words(view),
    )


async def _notice_page(
    view: View,
    found: dict[str, Any],
    *,
    done: str | None = None,
    filled: tuple[Filled, FormData] | None = None,
    status: int = 200,
) -> Response:
    zone = zone_of(view.sites, found["site_id"])
    form = filled[0] if filled else Filled(values=forms.shown_values(found, zone))
    ticked = forms.picked(filled[1]) if filled else forms.shown_picks(found)
    site_id = str(found["site_id"])
    places, sent, complaints, organisations = await asyncio.gather(
        service.places(view.api, site_id),
        service.deliveries(view.api, found["id"]),
        service.complaints_during(view.api, found, view.now),
        view.organisations([site_id]),
    )
    closed = forms.closed_because(found, view.now)
    return render(
        view,
        "notices/notice.html",
        status=status,
        notice=found,
        done=done,
        form=form,
        ticked=ticked,
        key=(filled[0].get("key") if filled else "") or view.new_key(),
        places=places,
        sent=sent,
        complaints=complaints,
        organisation=organisations[site_id],
        closed=closed,
        editable=() if closed else forms.editable(found["status"]),
        in_scope=service.in_scope,
        **_words(view),
    )


async def _cancel_page(
    view: View, found: dict[str, Any], filled: Filled, *, key: str, status: int = 200
) -> Response:
    places = await service.places(view.api, found["site_id"])
    return render(
        view,
        "notices/cancel.html",
        status=status,
        notice=found,
        form=filled,
        key=key,
        places=places,
        **_words(view),
    )


def _words(view: View) -> dict[str, Any]:
    """What the notices templates use beside the usual: notify's rules in words, the kinds
    with a warning sign, and the deliveries chart in the page's language."""
    return {
        **_punctuation(view),
        "rule_of": forms.rule_of,
        "signed": forms.SIGNED,
        "delivery_chart": lambda tally: charts.deliveries(tally, view.t),
    }


def _punctuation(view: View) -> dict[str, Any]:
    """How the page's language lists names and introduces them."""
    return {"sep": "、", "colon": "："} if view.lang == "zh" else {"sep": ", ", "colon": ": "}
