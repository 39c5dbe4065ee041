"""The questionnaire page a resident opens from the link: no login, the token is the key.

Public (outside /v1): reached only by an unguessable single-use token. A refused link gets
a clear page in the resident's language when a browser asks for HTML, and a problem+json
answer otherwise.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import Row
from starlette.responses import Response

from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.language import Tag, page_language
from shared.http.links import FORM_REFUSALS, LINK_REFUSALS, TOKEN, form_fields, html_page, refused
from shared.http.writing import writing
from surveys.campaigns.rules import scale_of
from surveys.responses import links
from surveys.responses import questionnaire_html as views
from surveys.responses.rules import MAX_COMMENT, AnswerError

router = APIRouter(tags=["questionnaire"])


def _refused(request: Request, reason: links.Refusal, language: Tag) -> Response:
    def page() -> str:
        return views.notice(reason, language=language)

    detail, zh = views.TEXT["en"][reason], views.TEXT["zh-CN"][reason]
    return refused(request, reason, page=page, detail=detail, zh=zh, path="/s/…")


@router.get(
    "/s/{token}", summary="The questionnaire behind a single-use link", responses=LINK_REFUSALS
)
async def show(token: str, request: Request, db: DatabaseDep) -> Response:
    language = page_language(request.query_params.get("lang"))
    if not TOKEN.match(token):
        return _refused(request, "unknown", language)
    async with reading(db) as session:
        try:
            found, row = await links.open_link(session, token=token)
        except links.LinkRefusedError as exc:
            return _refused(request, exc.reason, language)
    language = page_language(request.query_params.get("lang"), found.language)
    return html_page(_form(row, language, token))


def _form(row: Row[Any], language: Tag, token: str, **extra: Any) -> str:
    return views.questionnaire(
        title=row.title,
        topics=list(row.topics),
        scale=scale_of(row.scale),
        language=language,
        action=f"/s/{token}",
        **extra,
    )


def _answers(fields: dict[str, str]) -> dict[str, str | None]:
    return {
        k.removeprefix("topic."): v or None for k, v in fields.items() if k.startswith("topic.")
    }


@router.post(
    "/s/{token}", summary="Submit the questionnaire; the link is spent", responses=FORM_REFUSALS
)
async def submit(token: str, request: Request, db: DatabaseDep) -> Response:
    fields = await form_fields(request)
    if isinstance(fields, Response):
        return fields
    language = page_language(fields.get("lang"), request.query_params.get("lang"))
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
        error = exc.zh if language == "zh-CN" else exc.detail
        return await _again(request, db, token, language, error=error, given=given)
    return html_page(views.notice("thanks", language=language))


async def _again(
    request: Request, db: DatabaseDep, token: str, language: Tag, **shown: Any
) -> Response:
    """The form once more, with what was wrong and what the resident had chosen."""
    async with reading(db) as session:
        try:
            _found, row = await links.open_link(session, token=token)
        except links.LinkRefusedError as exc:
            return _refused(request, exc.reason, language)
    return html_page(_form(row, language, token, **shown), 422)
