"""The directory import (导入业户资料): a CSV or JSON file of units and households, sent to
intake whole. Intake applies all rows or none: when any row is bad it refuses the file and
names every bad row by its line, which this page lists in words, to be corrected and sent
again. What was done is said by counts (created, updated, unchanged).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from console.admin import service, words
from console.admin.common import Id, done, page, require_admin
from console.admin.upload import UploadProblem, chosen_file, posted_upload
from console.backend.client import Refused
from console.web.forms import Filled
from console.web.pages import Posted, View, signed_in_view

router = APIRouter(include_in_schema=False)

COUNTS = (
    "rows",
    "buildings_created",
    "units_created",
    "households_created",
    "households_updated",
    "households_unchanged",
)
TEMPLATE = (
    "building,unit,floor,name,phones,email,occupancy,moved_in_on\r\n"
    "3栋,1201,12,李女士,13800138000;0755-88886666,li@example.com,owner,2021-06-01\r\n"
    "3栋,1202,12,王先生,13900139000,,tenant,\r\n"
)


@router.get("/admin/sites/{site_id}/import")
async def import_page(
    site_id: Id, request: Request, view: View = Depends(signed_in_view)
) -> Response:
    """How the file looks, the upload, and what the last import did."""
    require_admin(view)
    query = request.query_params
    result = {k: int(query[k]) for k in COUNTS if query.get(k, "").isdigit()}
    return await _page(view, site_id, result=result if done(request) else None)


@router.get("/admin/sites/{site_id}/import/template.csv")
async def template(site_id: Id, view: View = Depends(signed_in_view)) -> Response:
    """An example file with the columns intake reads (with a byte-order mark, so that a
    spreadsheet opens its Chinese as Chinese)."""
    require_admin(view)
    return Response(
        ("\ufeff" + TEMPLATE).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="directory-template.csv"'},
    )


@router.post("/admin/sites/{site_id}/import")
async def upload(site_id: Id, posted: Posted = Depends(posted_upload)) -> Response:
    view = posted.view
    require_admin(view)
    try:
        chosen = await chosen_file(posted.form)
    except UploadProblem as problem:
        return await _page(view, site_id, unreadable=problem.reason, status=422)
    try:
        result = await service.import_directory(view.api, site_id, chosen.content, chosen.media)
    except Refused as refused:
        bad = words.bad_rows(refused.errors, view.lang)
        return await _page(
            view,
            site_id,
            filled=Filled(problem=refused),
            bad=bad,
            file=chosen.name,
            status=refused.status,
        )
    counts = "&".join(f"{k}={int(result.get(k, 0))}" for k in COUNTS)
    return RedirectResponse(f"/admin/sites/{site_id}/import?done=imported&{counts}", 303)


async def _page(
    view: View,
    site_id: str,
    *,
    result: dict[str, int] | None = None,
    filled: Filled | None = None,
    bad: list[words.BadRow] | None = None,
    file: str = "",
    unreadable: str = "",
    status: int = 200,
) -> Response:
    site = await service.site(view.api, site_id)
    return page(
        view,
        "admin/import.html",
        status=status,
        site=site,
        tab="import",
        result=result,
        form=filled or Filled(),
        bad=bad or [],
        file=file,
        unreadable=unreadable,
        columns=words.COLUMNS,
    )
