"""Work queues (我的工作): mine, my department's, escalated to me, overdue, waiting on
the developer, and all of my sites'. A queue reloads itself when a case of the person's
sites changes (server-sent events), and every row's deadline counts down in the browser.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from console.queues import service
from console.queues.service import QUEUES, Row
from console.web.guard import CASE_ROLES, RECORDERS, may, require
from console.web.pages import View, render, signed_in_view

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home(view: View = Depends(signed_in_view)) -> Response:
    """Queues for case workers, the desk for the call-center, callbacks otherwise."""
    if may(view, *CASE_ROLES):
        return RedirectResponse("/queues", status_code=303)
    if may(view, *RECORDERS):
        return RedirectResponse("/desk", status_code=303)
    return RedirectResponse("/callbacks", status_code=303)


@router.get("/queues")
async def queues(request: Request, view: View = Depends(signed_in_view)) -> Response:
    require(view, *CASE_ROLES)
    return render(view, "queues/queues.html", **await _queue(request, view))


@router.get("/queues/rows")
async def rows(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """The queue's table alone, for the live reload."""
    require(view, *CASE_ROLES)
    return render(view, "queues/rows.html", **await _queue(request, view))


@router.get("/nav/counts")
async def counts(view: View = Depends(signed_in_view)) -> Response:
    """The queue counts of the navigation, for the live reload."""
    found = await service.counts(view.api) if may(view, *CASE_ROLES) else {}
    return render(view, "nav_counts.html", counts=found)


async def _queue(request: Request, view: View) -> dict[str, Any]:
    assert view.person is not None
    query = request.query_params
    queue = query.get("queue") or service.default_queue(view.person.roles)
    if queue not in QUEUES:
        queue = "all"
    filters = {k: query[k] for k in service.FILTERS if query.get(k)}
    found = await service.page(view.api, queue=queue, filters=filters, cursor=query.get("cursor"))
    cases = found["items"]
    # What the rows need besides the cases, asked of the services together.
    reporters, organisations, counts = await asyncio.gather(
        service.reporters(view.api, [c["complaint_id"] for c in cases]),
        view.organisations(c["site_id"] for c in cases),
        service.counts(view.api),
    )
    rows = [Row(c, reporters.get(c["complaint_id"]), organisations[c["site_id"]]) for c in cases]
    return {
        "queue": queue,
        "filters": filters,
        "rows": rows,
        "next_cursor": found.get("next_cursor"),
        "counts": counts,
        "query": urlencode([(k, v) for k, v in query.multi_items() if k != "cursor"]),
    }
