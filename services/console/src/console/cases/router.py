"""The case page (案件): the complaint, its deadlines, the whole history, the documents,
and a form for every action the person may take now. A refused action shows routing's
words in the page and keeps what was typed; a done one offers the next case.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from console.backend.client import Refused
from console.backend.sites import zone_of
from console.cases import documents, service
from console.cases.actions import ACTIONS
from console.web.forms import Filled, text
from console.web.guard import CASE_ROLES, require
from console.web.pages import Posted, View, posted_form, render, signed_in_view

router = APIRouter(include_in_schema=False)

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
Number = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")]
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
)


@router.get("/cases/{case_id}")
async def case_page(
    case_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    done, queue = request.query_params.get("done"), request.query_params.get("queue")
    found = await service.case(view.api, case_id)
    following = await service.next_in_queue(view.api, queue, case_id) if done and queue else None
    return await _page(view, found, done=done, queue=queue, following=following)


@router.post("/cases/{case_id}/{action}")
async def act(case_id: Id, action: str, posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require(view, *CASE_ROLES)
    chosen = ACTIONS.get(action)
    if chosen is None:
        return RedirectResponse(f"/cases/{case_id}", status_code=303)
    found = await service.case(view.api, case_id)
    body = chosen.body(form, zone_of(view.sites, found["site_id"]))
    try:
        await service.act(view.api, case_id, chosen, body, key=text(form, "key"))
    except Refused as refused:
        filled = Filled.of(form, refused)
        return await _page(view, found, failed=action, filled=filled, status=refused.status)
    queue = text(form, "queue")
    suffix = f"&queue={queue}" if queue else ""
    return RedirectResponse(f"/cases/{case_id}?done={action}{suffix}", status_code=303)


@router.get("/cases/{case_id}/changed")
async def changed(case_id: Id, request: Request, view: View = Depends(signed_in_view)) -> Response:
    """Says who changed the case since the page showed `version` (for the live hint)."""
    assert view.person is not None
    found = await service.case(view.api, case_id)
    shown = int(request.query_params.get("version") or 0)
    newer = [e for e in found["history"] if e["version"] > shown and e["actor"] != view.person.sub]
    organisation = (await view.organisations([found["site_id"]]))[found["site_id"]]
    return render(view, "cases/changed.html", case=found, newer=newer, organisation=organisation)


@router.get("/cases/{case_id}/documents/complaint-record")
async def complaint_record(case_id: Id, view: View = Depends(signed_in_view)) -> Response:
    return await _document(view, case_id, "complaint-record", None)


@router.get("/cases/{case_id}/slips/{number}")
async def slip(case_id: Id, number: Number, view: View = Depends(signed_in_view)) -> Response:
    return await _document(view, case_id, "slip", number)


@router.get("/cases/{case_id}/notices/{number}")
async def notice(case_id: Id, number: Number, view: View = Depends(signed_in_view)) -> Response:
    return await _document(view, case_id, "notice", number)


@router.get("/complaints/{complaint_id}/record")
async def record_of_complaint(complaint_id: Id, view: View = Depends(signed_in_view)) -> Response:
    """The complaint record of a complaint just filed, once routing has opened its case."""
    found = await service.case_of_complaint(view.api, complaint_id)
    if found is None:
        return render(view, "cases/not_yet.html", complaint_id=complaint_id)
    return RedirectResponse(f"/cases/{found['id']}/documents/complaint-record", status_code=303)


async def _document(view: View, case_id: str, kind: str, number: str | None) -> Response:
    page = await documents.document(view.api, case_id, kind, number, view.lang)
    return HTMLResponse(page, headers={"Content-Security-Policy": DOCUMENT_CSP})


async def _page(
    view: View,
    found: dict[str, Any],
    *,
    done: str | None = None,
    queue: str | None = None,
    following: dict[str, Any] | None = None,
    failed: str | None = None,
    filled: Filled | None = None,
    status: int = 200,
) -> Response:
    site_id = str(found["site_id"])
    organisation = (await view.organisations([site_id]))[site_id]
    case_file = await service.case_file(view.api, found, organisation)
    return render(
        view,
        "cases/case.html",
        status=status,
        file=case_file,
        case=found,
        done=done,
        queue=queue or (filled.get("queue") if filled else None),
        following=following,
        failed=failed,
        form=filled or Filled(),
        key=(filled.get("key") if filled else "") or view.new_key(),
    )
