"""Thin HTTP routes of templates: what kinds exist, and a preview of one with a sample."""

from __future__ import annotations

from fastapi import APIRouter

from notify.access import Reader
from notify.sites import service as sites
from notify.templates import loader
from notify.templates.schemas import PreviewIn, PreviewRead, TemplateRead
from shared.db.engine import reading
from shared.http.app import DatabaseDep
from shared.http.errors import ProblemError

router = APIRouter(prefix="/templates", tags=["templates"])


@router.get("", summary="Every message kind, its locales and variables")
async def list_templates(principal: Reader) -> list[TemplateRead]:
    return [
        TemplateRead(
            kind=kind,
            locales=loader.locales_of(kind),
            variables=sorted(
                set().union(*(loader.variables(kind, x) for x in loader.locales_of(kind)))
            ),
        )
        for kind in loader.kinds()
    ]


@router.post("/{kind}/preview", summary="Render a kind with a sample context")
async def preview_template(
    kind: str, body: PreviewIn, principal: Reader, db: DatabaseDep
) -> PreviewRead:
    context = dict(body.context)
    if body.site_id is not None:
        principal.visible("Site", body.site_id, body.site_id)
        async with reading(db) as session:
            context.setdefault("site", await sites.template_site(session, site_id=body.site_id))
    try:
        rendered = loader.render(kind, body.locale, context)
    except loader.UnknownTemplateError:
        raise ProblemError(
            404,
            f"There is no template {kind!r} in {body.locale}",
            zh=f"模板 {kind!r} 没有 {body.locale} 版本",
        ) from None
    except loader.MissingVariablesError as exc:
        names = ", ".join(exc.names)
        raise ProblemError(
            422,
            f"The sample lacks variables: {names}",
            zh=f"示例缺少变量：{names}",
            missing=exc.names,
        ) from None
    return PreviewRead(kind=kind, locale=body.locale, subject=rendered.subject, body=rendered.body)
