"""The questionnaire page a resident opens from the link: no login, the token is the key.

Public (outside /v1): reached only by an unguessable single-use token. A refused link gets
a clear page in the resident's language when a browser asks for HTML, and a problem+json
answer otherwise.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from sqlalchemy import Row
from starlette.responses import HTMLResponse, Response

from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.errors import problem_response
from shared.http.writing import writing
from surveys.campaigns.rules import scale_of
from surveys.responses import links, views
from surveys.responses.rules import MAX_COMMENT, AnswerError

router = APIRouter(tags=["questionnaire"])

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_FORM_BYTES = 32_000
STATUS = {"unknown": 404, "used": 410, "expired": 410}
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}


def _language(request: Request, fallback: str) -> str:
    asked = request.query_params.get("lang")
    return asked if asked in views.LANGUAGES else fallback


def _html(body: str, status: int = 200) -> Response:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _refused(request: Request, reason: links.Refusal, language: str) -> Response:
    status = STATUS[reason]
    if "text/html" in request.headers.get("accept", ""):
        return _html(views.notice(reason, language=language), status)
    detail = views.TEXT["en"][reason]
    return problem_response(status, detail, instance="/s/…", reason=reason, headers=HEADERS)


@router.get("/s/{token}", summary="The questionnaire behind a single-use link")
async def show(token: str, request: Request, db: DatabaseDep) -> Response:
    language = _language(request, "zh-CN")
    if not TOKEN.match(token):
        return _refused(request, "unknown", language)
    async with reading(db) as session:
        try:
            found, row = await links.open_link(session, token=token)
        except links.LinkRefusedError as exc:
            return _refused(request, exc.reason, language)
    language = _language(request, found.language)
    return _html(_form(row, language, token))


def _form(row: Row[Any], language: str, token: str, **extra: Any) -> str:
    return views.questionnaire(
        title=row.title,
        topics=list(row.topics),
        scale=scale_of(row.scale),
        language=language,
        action=f"/s/{token}",
        **extra,
    )


async def _form_fields(request: Request) -> dict[str, str] | Response:
    """The posted form's fields (the last value of each), or the problem with the body."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        return problem_response(415, "Send the form as application/x-www-form-urlencoded")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return problem_response(413, f"The form is larger than {MAX_FORM_BYTES} bytes")
    try:
        parsed = parse_qs(body.decode(), keep_blank_values=True, max_num_fields=50)
    except (UnicodeDecodeError, ValueError):
        return problem_response(400, "The form is not valid UTF-8 form data")
    return {key: values[-1] for key, values in parsed.items()}


def _answers(fields: dict[str, str]) -> dict[str, str | None]:
    return {
        k.removeprefix("topic."): v or None for k, v in fields.items() if k.startswith("topic.")
    }


@router.post("/s/{token}", summary="Submit the questionnaire; the link is spent")
async def submit(token: str, request: Request, db: DatabaseDep) -> Response:
    fields = await _form_fields(request)
    if isinstance(fields, Response):
        return fields
    language = fields.get("lang", "")
    language = language if language in views.LANGUAGES else _language(request, "zh-CN")
    if not TOKEN.match(token):
        return _refused(request, "unknown", language)
    answers, comment = _answers(fields), fields.get("comment", "")[:MAX_COMMENT] or None
    try:
        async with writing(db) as session:
            await links.submit(
                session, token=token, answers=answers, comment=comment, language=language
            )
    except links.LinkRefusedError as exc:
        return _refused(request, exc.reason, language)
    except AnswerError as exc:
        given = {**answers, "comment": comment}
        return await _again(request, db, token, language, error=str(exc), given=given)
    return _html(views.notice("thanks", language=language))


async def _again(
    request: Request, db: DatabaseDep, token: str, language: str, **shown: Any
) -> Response:
    """The form once more, with what was wrong and what the resident had chosen."""
    async with reading(db) as session:
        try:
            _found, row = await links.open_link(session, token=token)
        except links.LinkRefusedError as exc:
            return _refused(request, exc.reason, language)
    return _html(_form(row, language, token, **shown), 422)
