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
from intake.retention.rules import TIMER_KIND
from intake.timeline.models import timeline_entry
from shared import timers
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.intake import SiteRetentionSet
from shared.retention import MARKER, masked, next_run_at


@dataclass(frozen=True)
class Anonymised:
    complaints: int
    households: int


async def schedule_run(
    session: AsyncSession, *, site_id: str, timezone: str, after: datetime | None = None
) -> None:
    """Set the site's next daily retention run, the first after `after` (now by default)."""
    due = next_run_at(after or utcnow(), timezone=timezone)
    await timers.schedule(session, kind=TIMER_KIND, key=site_id, due_at=due, site_id=site_id)


async def announce_policy(
    session: AsyncSession, *, site_id: str, retention_years: int, timezone: str, set_at: datetime
) -> None:
    """Tell routing, notify and surveys the site's policy, so all four keep the same one."""
    event = SiteRetentionSet(
        site_id=site_id, retention_years=retention_years, timezone=timezone, set_at=set_at
    )
    await outbox.add(session, event, site_id=site_id, aggregate_id=site_id)


async def cancel_run(session: AsyncSession, *, site_id: str) -> None:
    """Stop the site's retention runs (the site is gone)."""
    await timers.cancel(session, kind=TIMER_KIND, key=site_id)


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
    return int(result.rowcount)  # type: ignore[attr-defined]


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
    return int(result.rowcount)  # type: ignore[attr-defined]
