"""The callback page a resident opens from the reply's link: no login, the token is the key.

Public (outside /v1): reached only by an unguessable single-use token. A refused link gets
a clear page in the resident's language when a browser asks for HTML, and a problem+json
answer otherwise.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from notify.callbacks import links
from notify.callbacks.rules import MAX_COMMENT
from notify.pages import callback_html as views
from notify.sites.office import get_office
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.language import Tag, page_language
from shared.http.links import FORM_REFUSALS, LINK_REFUSALS, TOKEN, form_fields, html_page, refused
from shared.http.writing import writing

router = APIRouter(tags=["callback link"])

ANSWERS = {"yes": True, "no": False}


def _refused(request: Request, reason: links.Refusal, language: Tag) -> Response:
    def page() -> str:
        return views.notice(reason, language=language)

    detail, zh = views.TEXT["en"][reason], views.TEXT["zh-CN"][reason]
    return refused(request, reason, page=page, detail=detail, zh=zh, path="/c/…")


async def _form(db: DatabaseDep, token: str, language: Tag | None, **shown: Any) -> str:
    """The form for a usable link (LinkRefusedError otherwise)."""
    async with reading(db) as session:
        found = await links.open_link(session, token=token)
        office = await get_office(session, site_id=found.site_id)
    return views.form(
        office=office.name,
        reference=found.reference,
        reply=found.summary if found.origin == "case" else None,
        language=language or page_language(found.locale),
        action=f"/c/{token}",
        **shown,
    )


def _answered(satisfied: bool | None, chosen: dict[str, str]) -> bool:
    """The outcome is answered (a level, or the old form's yes or no) and every level given
    is one of the scale's."""
    known = all(level in views.LEVELS for level in chosen.values())
    return known and (satisfied is not None or "outcome_level" in chosen)


@router.get(
    "/c/{token}", summary="The callback question behind a single-use link", responses=LINK_REFUSALS
)
async def show(token: str, request: Request, db: DatabaseDep) -> Response:
    asked = request.query_params.get("lang")
    language = page_language(asked) if asked else None
    if not TOKEN.match(token):
        return _refused(request, "unknown", language or "zh-CN")
    try:
        return html_page(await _form(db, token, language))
    except links.LinkRefusedError as exc:
        return _refused(request, exc.reason, language or "zh-CN")


@router.post(
    "/c/{token}", summary="Answer the callback; the link is spent", responses=FORM_REFUSALS
)
async def submit(token: str, request: Request, db: DatabaseDep) -> Response:
    fields = await form_fields(request)
    if isinstance(fields, Response):
        return fields
    language = page_language(fields.get("lang"))
    if not TOKEN.match(token):
        return _refused(request, "unknown", language)
    comment = fields.get("comment", "")[:MAX_COMMENT].strip() or None
    satisfied = ANSWERS.get(fields.get("satisfied", ""))
    chosen = {name: fields[name] for name in views.QUESTIONS if fields.get(name)}
    if "outcome_level" in chosen:
        satisfied = None  # the level says it; the old form's yes or no cannot contradict it
    try:
        if not _answered(satisfied, chosen):
            again = await _form(
                db, token, language, error=True, chosen=chosen, comment=comment or ""
            )
            return html_page(again, 422)
        async with writing(db) as session:
            await links.answer(
                session, token=token, satisfied=satisfied, comment=comment, levels=chosen
            )
    except links.LinkRefusedError as exc:
        return _refused(request, exc.reason, language)
    return html_page(views.notice("thanks", language=language))
