"""Reading the frame and the registry for the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.engine import as_utc
from shared.http.pagination import Page, after_key, page_of
from surveys.frame.models import complaint_mark, frame_household
from surveys.frame.schemas import ComplainantRead, FrameRead
from surveys.frame.service import frame_filter


async def frame_summary(session: AsyncSession, *, site_id: str) -> FrameRead:
    """How many households the site's frame holds, per building."""
    query = (
        select(frame_household.c.building, func.count())
        .where(frame_filter(site_id, None))
        .group_by(frame_household.c.building)
        .order_by(frame_household.c.building)
    )
    buildings = {str(b): int(n) for b, n in (await session.execute(query)).all()}
    return FrameRead(site_id=site_id, households=sum(buildings.values()), buildings=buildings)


def _count(kind: str) -> Any:
    return func.sum(case((complaint_mark.c.kind == kind, 1), else_=0))


def _when(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _complainant(row: Any) -> ComplainantRead:
    household, complaints, grievances, last, reopens, reopened = row
    return ComplainantRead(
        household_id=household,
        complaints=int(complaints or 0),
        grievances=int(grievances or 0),
        last_received_at=_when(last),
        reopens=int(reopens or 0),
        last_reopened_at=_when(reopened),
    )


async def list_complainants(
    session: AsyncSession, *, site_id: str, limit: int, cursor: str | None
) -> Page[ComplainantRead]:
    """Households that complained or grumbled, with how often and when, by household id."""
    household = complaint_mark.c.household_id
    query = (
        select(
            household,
            _count("complaint"),
            _count("grievance"),
            func.max(complaint_mark.c.received_at),
            func.sum(complaint_mark.c.reopens),
            func.max(complaint_mark.c.reopened_at),
        )
        .where(complaint_mark.c.site_id == site_id, household.is_not(None))
        .group_by(household)
    )
    query = after_key(query, [household], cursor).limit(limit + 1)
    items = [_complainant(row) for row in (await session.execute(query)).all()]
    return page_of(items, limit=limit, key=lambda c: (c.household_id,))
