"""Retention: personal data of finished records is replaced by a marker; counts remain.

A complaint is finished when it is closed or withdrawn (`closed_at`); a household when it
was removed from the directory. What stays: ids, site, channel, kind, category, severity,
status and times, so reports still count every complaint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intake.complaints.models import complaint
from intake.directory.models import household, household_phone
from intake.timeline.models import timeline_entry
from shared.db.typed import rowcount
from shared.retention import MARKER, masked


@dataclass(frozen=True)
class Anonymised:
    complaints: int
    households: int


async def anonymise_site(
    session: AsyncSession, *, site_id: str, cutoff: datetime, now: datetime
) -> Anonymised:
    """Anonymise the site's complaints and households finished before `cutoff`, at `now`."""
    return Anonymised(
        complaints=await _anonymise_complaints(session, site_id, cutoff, now),
        households=await _anonymise_households(session, site_id, cutoff, now),
    )


def _expired_complaints(site_id: str, cutoff: datetime) -> ColumnElement[bool]:
    return and_(
        complaint.c.site_id == site_id,
        complaint.c.closed_at < cutoff,
        complaint.c.anonymised_at.is_(None),
    )


async def _anonymise_complaints(
    session: AsyncSession, site_id: str, cutoff: datetime, now: datetime
) -> int:
    expired = select(complaint.c.id).where(_expired_complaints(site_id, cutoff))
    await session.execute(
        update(timeline_entry)
        .where(timeline_entry.c.complaint_id.in_(expired.scalar_subquery()))
        .values(actor=masked(timeline_entry.c.actor), detail=masked(timeline_entry.c.detail))
    )
    result = await session.execute(
        update(complaint)
        .where(_expired_complaints(site_id, cutoff))
        .values(
            description=MARKER,
            reporter_name=masked(complaint.c.reporter_name),
            reporter_phone=masked(complaint.c.reporter_phone),
            reporter_email=masked(complaint.c.reporter_email),
            staff_member=masked(complaint.c.staff_member),
            common_area=masked(complaint.c.common_area),
            location=case((complaint.c.common_area.is_(None), complaint.c.location), else_=MARKER),
            reply_text=masked(complaint.c.reply_text),
            anonymised_at=now,
        )
    )
    return rowcount(result)


async def _anonymise_households(
    session: AsyncSession, site_id: str, cutoff: datetime, now: datetime
) -> int:
    expired = and_(
        household.c.site_id == site_id,
        household.c.removed_at < cutoff,
        household.c.anonymised_at.is_(None),
    )
    ids = select(household.c.id).where(expired).scalar_subquery()
    await session.execute(delete(household_phone).where(household_phone.c.household_id.in_(ids)))
    result = await session.execute(
        update(household)
        .where(expired)
        .values(name=MARKER, email=masked(household.c.email), anonymised_at=now)
    )
    return rowcount(result)
