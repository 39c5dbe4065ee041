"""Thin HTTP routes of rectifications: the list, one in full, each action, the report.

Every write takes an `Idempotency-Key`: a retried request returns the first answer.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import HTMLResponse, Response

from routing.access import Manager, Reader, Worker
from routing.documents.labels import Lang
from routing.inputs import ID_PATTERN
from routing.rectifications import actions, report, service
from routing.rectifications.rules import Status
from routing.rectifications.schemas import (
    AcceptIn,
    RectificationCreate,
    RectificationDetail,
    RectificationRead,
    RejectIn,
    ReportIn,
)
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.idempotency import IdempotencyKey, respond_once
from shared.http.pagination import Cursor, Limit, Page

router = APIRouter(prefix="/rectifications", tags=["rectifications"])

RectificationId = Annotated[str, Path(pattern=ID_PATTERN, description="a rectification id")]
Position = Annotated[int, Path(ge=1, le=1000, description="the item's position in the plan")]
Origin = Literal["case", "finding", "manager"]


@router.get("", summary="Rectifications on your sites, oldest first")
async def list_rectifications(
    principal: Reader,
    db: DatabaseDep,
    site_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    status: Status | None = None,
    origin: Origin | None = None,
    case_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    overdue: Annotated[
        bool | None, Query(description="true: only those past a due time; false: the others")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[RectificationRead]:
    filters = service.Filters(site_id, status, origin, case_id, overdue)
    async with reading(db) as session:
        return await service.list_rectifications(
            session, principal=principal, filters=filters, limit=limit, cursor=cursor
        )


@router.post(
    "",
    status_code=201,
    response_model=RectificationRead,
    summary="Open a rectification (整改) from a case, a staff finding, or on your own account",
)
async def open_rectification(
    body: RectificationCreate, principal: Manager, db: DatabaseDep, key: IdempotencyKey = None
) -> Response:
    async def work(s: AsyncSession) -> RectificationRead:
        rect = await actions.open_rectification(s, principal=principal, body=body)
        return await service.to_read(s, rect)

    site = body.case_id or body.site_id
    return await respond_once(
        db,
        principal=principal,
        scope=f"rectify:{site}",
        key=key,
        request=body,
        work=work,
        status=201,
    )


@router.get("/{rectification_id}", summary="One rectification with its plan and history")
async def get_rectification(
    rectification_id: RectificationId, principal: Reader, db: DatabaseDep
) -> RectificationDetail:
    async with reading(db) as session:
        return await service.get_detail(session, rect_id=rectification_id, principal=principal)


@router.post(
    "/{rectification_id}/items/{position}/reports",
    response_model=RectificationRead,
    summary="A rectification team reports on its item (done: true when finished)",
)
async def report_item(
    rectification_id: RectificationId,
    position: Position,
    body: ReportIn,
    principal: Worker,
    db: DatabaseDep,
    key: IdempotencyKey = None,
) -> Response:
    async def work(s: AsyncSession) -> RectificationRead:
        rect = await actions.report_item(
            s, rect_id=rectification_id, position=position, principal=principal, body=body
        )
        return await service.to_read(s, rect)

    scope = f"rectification-report:{rectification_id}:{position}"
    return await respond_once(
        db,
        principal=principal,
        scope=scope,
        key=key,
        request=body,
        work=work,
        status=200,
    )


@router.post(
    "/{rectification_id}/acceptance",
    response_model=RectificationRead,
    summary="Accept the rectification's work (验收): every department hears of it",
)
async def accept(
    rectification_id: RectificationId,
    body: AcceptIn,
    principal: Manager,
    db: DatabaseDep,
    key: IdempotencyKey = None,
) -> Response:
    async def work(s: AsyncSession) -> RectificationRead:
        rect = await actions.accept_rectification(
            s, rect_id=rectification_id, principal=principal, body=body
        )
        return await service.to_read(s, rect)

    scope = f"rectification-accept:{rectification_id}"
    return await respond_once(
        db,
        principal=principal,
        scope=scope,
        key=key,
        request=body,
        work=work,
        status=200,
    )


@router.post(
    "/{rectification_id}/rejection",
    response_model=RectificationRead,
    summary="Reject the work at acceptance: items go back to their teams with the reasons",
)
async def reject(
    rectification_id: RectificationId,
    body: RejectIn,
    principal: Manager,
    db: DatabaseDep,
    key: IdempotencyKey = None,
) -> Response:
    async def work(s: AsyncSession) -> RectificationRead:
        rect = await actions.reject_rectification(
            s, rect_id=rectification_id, principal=principal, body=body
        )
        return await service.to_read(s, rect)

    scope = f"rectification-reject:{rectification_id}"
    return await respond_once(
        db,
        principal=principal,
        scope=scope,
        key=key,
        request=body,
        work=work,
        status=200,
    )


@router.get(
    "/{rectification_id}/report",
    response_class=HTMLResponse,
    summary="The rectification report (整改报告), ready to print",
)
async def rectification_report(
    rectification_id: RectificationId, principal: Reader, db: DatabaseDep, lang: Lang = "zh"
) -> HTMLResponse:
    async with reading(db) as session:
        page = await report.rectification_report(
            session, rect_id=rectification_id, principal=principal, lang=lang
        )
    return HTMLResponse(page)
