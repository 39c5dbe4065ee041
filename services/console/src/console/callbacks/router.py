"""Callbacks (回访) and phone tasks (电话任务): the work list of whom to call, made for a
phone in one hand. Each callback shows whom to call, the case and the reply they got,
and takes the outcome of the call in one form.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import RedirectResponse, Response

from console.backend.client import Refused
from console.callbacks import service
from console.callbacks.service import VIEWS
from console.web.forms import Filled, text
from console.web.guard import CALLERS, require
from console.web.pages import Posted, View, posted_form, render, signed_in_view
from shared.http.params import RowId

router = APIRouter(include_in_schema=False)

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]


@router.get("/callbacks")
async def callbacks(request: Request, view: View = Depends(signed_in_view)) -> Response:
    return await _list(request, view, "callbacks/callbacks.html")


@router.get("/callbacks/rows")
async def rows(request: Request, view: View = Depends(signed_in_view)) -> Response:
    """The list alone, for the live reload."""
    return await _list(request, view, "callbacks/rows.html")


@router.post("/callbacks/{callback_id}/attempts")
async def attempt(
    callback_id: Id, request: Request, posted: Posted = Depends(posted_form)
) -> Response:
    view, form = posted.view, posted.form
    require(view, *CALLERS)
    shown = text(form, "view") if text(form, "view") in VIEWS else "due"
    try:
        await service.record_attempt(
            view.api, callback_id, service.attempt_body(form), key=text(form, "key")
        )
    except Refused as refused:
        filled = Filled.of(form, refused)
        return await _list(request, view, "callbacks/callbacks.html", shown, filled, callback_id)
    return RedirectResponse(f"/callbacks?status={shown}&done={callback_id}", status_code=303)


@router.get("/phone-tasks")
async def phone_tasks(request: Request, view: View = Depends(signed_in_view)) -> Response:
    shown = "done" if request.query_params.get("status") == "done" else "open"
    found = await service.phone_tasks(
        view.api, status=shown, cursor=request.query_params.get("cursor")
    )
    return render(view, "callbacks/phone_tasks.html", shown=shown, page=found)


@router.post("/phone-tasks/{task_id}/done")
async def phone_task_done(task_id: RowId, posted: Posted = Depends(posted_form)) -> Response:
    view, form = posted.view, posted.form
    require(view, *CALLERS)
    await service.phone_task_done(view.api, str(task_id), form)
    return RedirectResponse("/phone-tasks", status_code=303)


async def _list(
    request: Request,
    view: View,
    template: str,
    shown: str | None = None,
    filled: Filled | None = None,
    failed: str | None = None,
) -> Response:
    shown = shown or request.query_params.get("status") or "due"
    shown = shown if shown in VIEWS else "due"
    found = await service.page(view.api, view=shown, cursor=request.query_params.get("cursor"))
    return render(
        view,
        template,
        status=filled.problem.status if filled and filled.problem else 200,
        shown=shown,
        page=found,
        done=request.query_params.get("done"),
        failed=failed,
        form=filled or Filled(),
        key=(filled.get("key") if filled else "") or view.new_key(),
    )
