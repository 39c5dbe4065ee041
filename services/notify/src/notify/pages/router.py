"""A notice's printable pages as HTML, in Chinese (default) or English."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import HTMLResponse

from notify.access import Reader
from notify.notices.router import NoticeId
from notify.pages import service
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.language import Tag

router = APIRouter(prefix="/notices/{notice_id}", tags=["notice pages"])


@router.get(
    "/document",
    response_class=HTMLResponse,
    summary="The notice for the bulletin board (通知单), A4, ready to print",
)
async def notice_document(
    notice_id: NoticeId, principal: Reader, db: DatabaseDep, lang: Tag = "zh-CN"
) -> HTMLResponse:
    async with reading(db) as session:
        page = await service.notice_page(
            session, notice_id=notice_id, principal=principal, lang=lang
        )
    return HTMLResponse(page)


@router.get(
    "/sign",
    response_class=HTMLResponse,
    summary="The warning sign (警示标识) for outages, lifts, water tanks and safety, A4",
)
async def warning_sign(
    notice_id: NoticeId, principal: Reader, db: DatabaseDep, lang: Tag = "zh-CN"
) -> HTMLResponse:
    async with reading(db) as session:
        page = await service.sign_page(session, notice_id=notice_id, principal=principal, lang=lang)
    return HTMLResponse(page)
