"""Reading complaints: one, by reference, filtered lists, a household's open and recent ones.

Every read joins the directory, so that a household reporter reads with the household's
name and first phone number: one statement per read, never one per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.complaints import rules
from intake.complaints.models import complaint
from intake.complaints.schemas import ComplaintDetail, ComplaintRead, ComplaintSummary
from intake.complaints.views import links, to_read
from intake.directory.models import household, household_phone
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
    ids: tuple[str, ...] | None = None

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
        if self.ids is not None:
            clauses.append(complaint.c.id.in_(self.ids))
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


# Positions count from 0 for every household (directory.households.replace_phones).
_FIRST_PHONE = and_(
    household_phone.c.household_id == complaint.c.household_id, household_phone.c.position == 0
)
READ: Select[Any] = select(
    complaint,
    household.c.name.label("household_name"),
    household_phone.c.phone.label("household_phone"),
).select_from(
    complaint.outerjoin(household, household.c.id == complaint.c.household_id).outerjoin(
        household_phone, _FIRST_PHONE
    )
)
"""A complaint with its household reporter's name and first phone (None for others)."""


async def visible_row(session: AsyncSession, *, complaint_id: str, principal: Principal) -> Any:
    """The complaint's row if the principal may see it, else 404."""
    return await _visible(session, select(complaint), complaint_id, principal)


async def _visible(
    session: AsyncSession, query: Select[Any], complaint_id: str, principal: Principal
) -> Any:
    row = (await session.execute(query.where(complaint.c.id == complaint_id))).first()
    if row is None:
        raise NotFoundError("complaint", complaint_id)
    principal.visible("complaint", complaint_id, row.site_id)
    return row


async def get_complaint(
    session: AsyncSession, *, complaint_id: str, principal: Principal, lang: str
) -> ComplaintDetail:
    """A complaint with its timeline."""
    row = await _visible(session, READ, complaint_id, principal)
    entries = await timeline.entries(session, complaint_id=complaint_id, lang=lang)
    return ComplaintDetail(**to_read(row._mapping).model_dump(), timeline=entries)


async def first_filed(
    session: AsyncSession, *, principal: Principal, external_ref: str | None
) -> ComplaintSummary:
    """The complaint the principal already filed under its own `external_ref`."""
    row = (
        await session.execute(
            select(complaint).where(
                complaint.c.source == rules.source_of(principal.sub),
                complaint.c.external_ref == external_ref,
            )
        )
    ).one()
    return ComplaintSummary(
        id=row.id,
        reference=row.reference,
        status=row.status,
        version=row.version,
        links=links(row._mapping),
    )


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
    query = READ.where(principal.site_filter(complaint.c.site_id), *filters.where())
    query = newest_first(query, complaint.c.received_at, complaint.c.id, cursor)
    rows = (await session.execute(query.limit(limit + 1))).all()
    items = [to_read(r._mapping) for r in rows]
    return page_of(items, limit=limit, key=lambda c: (as_utc(c.received_at).isoformat(), c.id))


async def open_complaints(
    session: AsyncSession, *, principal: Principal, where: ColumnElement[bool]
) -> list[ComplaintRead]:
    """Unfinished complaints matching `where` in the principal's sites, newest first."""
    rows = await session.execute(
        READ.where(
            where,
            principal.site_filter(complaint.c.site_id),
            complaint.c.status.not_in(sorted(rules.FINISHED)),
        )
        .order_by(complaint.c.received_at.desc(), complaint.c.id.desc())
        .limit(100)
    )
    return [to_read(r._mapping) for r in rows]


async def recent_complaints(
    session: AsyncSession, *, principal: Principal, household_ids: list[str], per_household: int
) -> dict[str, list[ComplaintRead]]:
    """Each household's latest complaints of any status, newest first, in one statement."""
    if not household_ids:
        return {}
    newest = (complaint.c.received_at.desc(), complaint.c.id.desc())
    rank = func.row_number().over(partition_by=complaint.c.household_id, order_by=newest)
    ranked = READ.add_columns(rank.label("rank")).where(
        complaint.c.household_id.in_(household_ids), principal.site_filter(complaint.c.site_id)
    )
    latest = ranked.subquery()
    rows = await session.execute(
        select(latest)
        .where(latest.c.rank <= per_household)
        .order_by(latest.c.received_at.desc(), latest.c.id.desc())
    )
    found: dict[str, list[ComplaintRead]] = {}
    for row in rows:
        found.setdefault(row.household_id, []).append(to_read(row._mapping))
    return found
