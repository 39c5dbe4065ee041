"""A notice's pages filled in from the notice, its site's office and its households."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts.models import household_contact
from notify.notices import rules
from notify.notices import service as notices
from notify.pages.notice_html import Sheet, render_notice, render_sign
from notify.sites.office import get_office
from shared.http.auth import Principal
from shared.http.errors import ProblemError
from shared.http.language import Tag
from shared.words import value

NAMED_PLACES = 50  # past this many, a bulletin board lists places, not ids


async def _places(session: AsyncSession, row: Row[Any]) -> tuple[str, ...]:
    """The buildings or units in scope by the names residents know them by."""
    ids = list(row.scope_ids or [])[:NAMED_PLACES]
    if row.scope == "site" or not ids:
        return ()
    c = household_contact.c
    if row.scope == "buildings":
        query = select(c.building_id, c.building).where(c.building_id.in_(ids))
    else:
        query = select(c.unit_id, c.building + "-" + c.unit).where(c.unit_id.in_(ids))
    names = {ident: name for ident, name in (await session.execute(query.distinct())).all()}
    return tuple(str(names.get(ident) or ident) for ident in ids)


async def sheet(session: AsyncSession, *, notice_id: str, principal: Principal, lang: Tag) -> Sheet:
    """What both pages of a notice show."""
    row = await notices.get_row(session, notice_id=notice_id, principal=principal)
    office = await get_office(session, site_id=row.site_id)
    return Sheet(
        lang=lang,
        kind=row.kind,
        title=row.title,
        body=row.body,
        office=office.name,
        phone=office.phone,
        starts=office.local(row.starts_at),
        ends=office.local(row.ends_at),
        published=office.local(row.published_at or row.publish_at),
        scope=row.scope,
        scope_ids=await _places(session, row),
        revision=row.revision,
        cancelled=row.status == rules.Status.CANCELLED,
    )


async def notice_page(
    session: AsyncSession, *, notice_id: str, principal: Principal, lang: Tag
) -> str:
    """The printable notice (通知单)."""
    return render_notice(await sheet(session, notice_id=notice_id, principal=principal, lang=lang))


async def sign_page(
    session: AsyncSession, *, notice_id: str, principal: Principal, lang: Tag
) -> str:
    """The warning sign (警示标识), for the kinds that disturb safety or daily life."""
    filled = await sheet(session, notice_id=notice_id, principal=principal, lang=lang)
    if not rules.has_sign(filled.kind):
        raise ProblemError(
            404,
            f"A {filled.kind} notice has no warning sign; print the notice itself instead",
            zh=f"“{value('notice_kind', filled.kind, 'zh')}”通知单没有警示标识；请打印通知单本身",
        )
    return render_sign(filled)
