"""The callback page a resident opens from the reply's link: no login, the token is the key.

Public (outside /v1): reached only by an unguessable single-use token. A refused link gets
a clear page in the resident's language when a browser asks for HTML, and a problem+json
answer otherwise.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from notify.callbacks import links
from notify.callbacks.rules import MAX_COMMENT
from notify.notices.office import get_office
from notify.pages import callback as views
from notify.pages.labels import Lang
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.errors import problem_response
from shared.http.writing import writing

router = APIRouter(tags=["callback link"])

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_FORM_BYTES = 32_000
STATUS = {"unknown": 404, "used": 410, "expired": 410}
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}
ANSWERS = {"yes": True, "no": False}


def _language(asked: str | None, fallback: str) -> Lang:
    for chosen in (asked, fallback):
        if chosen == "en":
            return "en"
        if chosen == "zh-CN":
            return "zh-CN"
    return "zh-CN"


def _html(body: str, status: int = 200) -> Response:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _refused(request: Request, reason: links.Refusal, language: Lang) -> Response:
    status = STATUS[reason]
    if "text/html" in request.headers.get("accept", ""):
        return _html(views.notice(reason, language=language), status)
    detail = views.TEXT["en"][reason]
    return problem_response(status, detail, instance="/c/…", reason=reason, headers=HEADERS)


async def _form(db: DatabaseDep, token: str, language: Lang | None, **shown: Any) -> str:
    """The form for a usable link (LinkRefusedError otherwise)."""
    async with reading(db) as session:
        found = await links.open_link(session, token=token)
        office = await get_office(session, site_id=found.site_id)
    return views.form(
        office=office.name,
        reference=found.reference,
        reply=found.summary if found.origin == "case" else None,
        language=language or _language(found.locale, "zh-CN"),
        action=f"/c/{token}",
        **shown,
    )


@router.get("/c/{token}", summary="The callback question behind a single-use link")
async def show(token: str, request: Request, db: DatabaseDep) -> Response:
    asked = request.query_params.get("lang")
    language = _language(asked, "zh-CN") if asked else None
    if not TOKEN.match(token):
        return _refused(request, "unknown", language or "zh-CN")
    try:
        return _html(await _form(db, token, language))
    except links.LinkRefusedError as exc:
        return _refused(request, exc.reason, language or "zh-CN")


async def _fields(request: Request) -> dict[str, str] | Response:
    """The posted form's fields (the last value of each), or the problem with the body."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        return problem_response(415, "Send the form as application/x-www-form-urlencoded")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return problem_response(413, f"The form is larger than {MAX_FORM_BYTES} bytes")
    try:
        parsed = parse_qs(body.decode(), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        return problem_response(400, "The form is not valid UTF-8 form data")
    return {key: values[-1] for key, values in parsed.items()}


@router.post("/c/{token}", summary="Answer the callback; the link is spent")
async def submit(token: str, request: Request, db: DatabaseDep) -> Response:
    fields = await _fields(request)
    if isinstance(fields, Response):
        return fields
    language = _language(fields.get("lang"), "zh-CN")
    if not TOKEN.match(token):
        return _refused(request, "unknown", language)
    comment = fields.get("comment", "")[:MAX_COMMENT].strip() or None
    satisfied = ANSWERS.get(fields.get("satisfied", ""))
    try:
        if satisfied is None:
            again = await _form(db, token, language, error=True, comment=comment or "")
            return _html(again, 422)
        async with writing(db) as session:
            await links.answer(session, token=token, satisfied=satisfied, comment=comment)
    except links.LinkRefusedError as exc:
        return _refused(request, exc.reason, language)
    return _html(views.notice("thanks", language=language))
