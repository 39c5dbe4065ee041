"""Reading complaints: one, by reference, filtered lists, a household's open ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.complaints import rules
from intake.complaints.models import complaint
from intake.complaints.schemas import ComplaintDetail, ComplaintRead
from intake.complaints.views import to_read
from intake.timeline import service as timeline
from shared.db.engine import as_utc
from shared.http.auth import Principal
from shared.http.errors import NotFoundError
from shared.http.pagination import Page, newest_first, page_of


@dataclass(frozen=True)
class Filters:
    """What a complaint list may be narrowed by; None means any."""

    site_id: str | None = None
    status: str | None = None
    category: str | None = None
    channel: str | None = None
    kind: str | None = None
    severity: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    text: str | None = None

    def where(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses these filters stand for."""
        clauses = [
            complaint.c[name] == getattr(self, name)
            for name in ("site_id", "status", "category", "channel", "kind", "severity")
            if getattr(self, name) is not None
        ]
        if self.received_from is not None:
            clauses.append(complaint.c.received_at >= self.received_from)
        if self.received_to is not None:
            clauses.append(complaint.c.received_at < self.received_to)
        if self.text is not None:
            clauses.append(_matches(self.text))
        return clauses


def _matches(text: str) -> ColumnElement[bool]:
    # LIKE's own wildcards in the search text are meant literally.
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(
        complaint.c.description.ilike(pattern, escape="\\"),
        complaint.c.reference.ilike(pattern, escape="\\"),
        complaint.c.external_ref.ilike(pattern, escape="\\"),
    )


async def visible_row(session: AsyncSession, *, complaint_id: str, principal: Principal) -> Any:
    """The complaint's row if the principal may see it, else 404."""
    row = (await session.execute(select(complaint).where(complaint.c.id == complaint_id))).first()
    if row is None:
        raise NotFoundError("complaint", complaint_id)
    principal.visible("complaint", complaint_id, row.site_id)
    return row


async def get_complaint(
    session: AsyncSession, *, complaint_id: str, principal: Principal, lang: str
) -> ComplaintDetail:
    """A complaint with its timeline."""
    row = await visible_row(session, complaint_id=complaint_id, principal=principal)
    entries = await timeline.entries(session, complaint_id=complaint_id, lang=lang)
    return ComplaintDetail(**to_read(row._mapping).model_dump(), timeline=entries)


async def get_by_reference(
    session: AsyncSession, *, reference: str, principal: Principal, lang: str
) -> ComplaintDetail:
    """A complaint found by its human reference, with its timeline."""
    found = await session.scalar(
        select(complaint.c.id).where(
            complaint.c.reference == reference, principal.site_filter(complaint.c.site_id)
        )
    )
    if found is None:
        raise NotFoundError("complaint", reference)
    return await get_complaint(session, complaint_id=found, principal=principal, lang=lang)


async def list_complaints(
    session: AsyncSession,
    *,
    principal: Principal,
    filters: Filters,
    limit: int,
    cursor: str | None,
) -> Page[ComplaintRead]:
    """Complaints of the principal's sites, newest first."""
    query = select(complaint).where(principal.site_filter(complaint.c.site_id), *filters.where())
    query = newest_first(query, complaint.c.received_at, complaint.c.id, cursor)
    rows = (await session.execute(query.limit(limit + 1))).all()
    items = [to_read(r._mapping) for r in rows]
    return page_of(items, limit=limit, key=lambda c: (as_utc(c.received_at).isoformat(), c.id))


async def open_complaints(
    session: AsyncSession, *, principal: Principal, where: ColumnElement[bool]
) -> list[ComplaintRead]:
    """Unfinished complaints matching `where` in the principal's sites, newest first."""
    rows = await session.execute(
        select(complaint)
        .where(
            where,
            principal.site_filter(complaint.c.site_id),
            complaint.c.status.not_in(sorted(rules.FINISHED)),
        )
        .order_by(complaint.c.received_at.desc(), complaint.c.id.desc())
        .limit(100)
    )
    return [to_read(r._mapping) for r in rows]
