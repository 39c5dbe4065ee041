"""Printable documents of a case as HTML pages, in Chinese (default) or English."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import HTMLResponse

from routing.access import Reader
from routing.documents import service
from routing.documents.labels import Lang
from routing.inputs import CaseId, Number
from shared.db.engine import reading
from shared.http.app import DatabaseDep

router = APIRouter(prefix="/cases/{case_id}", tags=["documents"])


@router.get(
    "/documents/complaint-record",
    response_class=HTMLResponse,
    summary="The complaint record (顾客投诉处理记录表), ready to print",
)
async def complaint_record(
    case_id: CaseId, principal: Reader, db: DatabaseDep, lang: Lang = "zh"
) -> HTMLResponse:
    async with reading(db) as session:
        page = await service.complaint_record(
            session, case_id=case_id, principal=principal, lang=lang
        )
    return HTMLResponse(page)


@router.get(
    "/slips/{number}/document",
    response_class=HTMLResponse,
    summary="A work transmittal slip (工作传签单), ready to print",
)
async def transmittal_slip(
    case_id: CaseId, number: Number, principal: Reader, db: DatabaseDep, lang: Lang = "zh"
) -> HTMLResponse:
    async with reading(db) as session:
        page = await service.transmittal_slip(
            session, case_id=case_id, number=number, principal=principal, lang=lang
        )
    return HTMLResponse(page)


@router.get(
    "/notices/{number}/document",
    response_class=HTMLResponse,
    summary="A work assignment notice (工作安排通知单), ready to print",
)
async def assignment_notice(
    case_id: CaseId, number: Number, principal: Reader, db: DatabaseDep, lang: Lang = "zh"
) -> HTMLResponse:
    async with reading(db) as session:
        page = await service.assignment_notice(
            session, case_id=case_id, number=number, principal=principal, lang=lang
        )
    return HTMLResponse(page)
