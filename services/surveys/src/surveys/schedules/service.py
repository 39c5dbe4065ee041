"""Use cases of schedules: set, read and remove a site's, and plan its next opening.

The next opening is a timer (kind SCHEDULE_TIMER, key the site), so it survives restarts
and fires once however many replicas run (DESIGN.md §5). Services never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared import timers
from shared.clock import utcnow
from shared.db.engine import dialect_insert
from shared.http.errors import NotFoundError
from surveys.campaigns import service as campaigns
from surveys.schedules.models import campaign_schedule
from surveys.schedules.rules import Cadence, Period
from surveys.schedules.schemas import ScheduleIn, ScheduleRead

SCHEDULE_TIMER = "survey.schedule_open"


def cadence_of(row: Any) -> Cadence:
    """The cadence of a schedule row or of a ScheduleIn."""
    return Cadence(row.every, row.day, row.hour, row.timezone, row.days_open)


async def put_schedule(
    session: AsyncSession, *, site_id: str, data: ScheduleIn, by: str, link_base: str
) -> ScheduleRead:
    """Set (or replace) the site's schedule; its next period opens by itself."""
    campaigns.checked_scale(data.campaign)
    upcoming = cadence_of(data).next_opening(utcnow())
    values = {
        **data.model_dump(exclude={"campaign"}),
        "template": data.campaign.model_dump(mode="json"),
        "next_period": upcoming.name,
        "next_opens_at": upcoming.opens_at,
        "set_at": utcnow(),
        "set_by": by,
    }
    statement = dialect_insert(session)(campaign_schedule).values(site_id=site_id, **values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=[campaign_schedule.c.site_id], set_=values)
    )
    await _plan(session, site_id=site_id, period=upcoming, link_base=link_base)
    return to_read(await get_or_404(session, site_id=site_id))


async def plan_next(
    session: AsyncSession, *, row: Row[Any], period: Period, link_base: str
) -> None:
    """After a period was reached: the schedule waits for `period`."""
    await session.execute(
        update(campaign_schedule)
        .where(campaign_schedule.c.site_id == row.site_id)
        .values(next_period=period.name, next_opens_at=period.opens_at)
    )
    await _plan(session, site_id=row.site_id, period=period, link_base=link_base)


async def _plan(session: AsyncSession, *, site_id: str, period: Period, link_base: str) -> None:
    await timers.schedule(
        session,
        kind=SCHEDULE_TIMER,
        key=site_id,
        due_at=period.opens_at,
        payload={"year": period.year, "index": period.index, "link_base": link_base},
        site_id=site_id,
    )


async def get_row(session: AsyncSession, *, site_id: str, lock: bool = False) -> Row[Any] | None:
    """The site's schedule row, or None."""
    query = select(campaign_schedule).where(campaign_schedule.c.site_id == site_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def get_or_404(session: AsyncSession, *, site_id: str) -> Row[Any]:
    """The site's schedule row, or 404."""
    row = await get_row(session, site_id=site_id)
    if row is None:
        raise NotFoundError("Campaign schedule of site", site_id)
    return row


async def delete_schedule(session: AsyncSession, *, site_id: str) -> None:
    """Stop opening the site's campaigns; campaigns opened already go on."""
    await get_or_404(session, site_id=site_id)
    await session.execute(delete(campaign_schedule).where(campaign_schedule.c.site_id == site_id))
    await timers.cancel(session, kind=SCHEDULE_TIMER, key=site_id)


async def reached(session: AsyncSession, *, site_id: str, campaign_id: str) -> None:
    """Remember the campaign of the period just reached."""
    await session.execute(
        update(campaign_schedule)
        .where(campaign_schedule.c.site_id == site_id)
        .values(last_campaign_id=campaign_id)
    )


def to_read(row: Row[Any]) -> ScheduleRead:
    """The API view of a schedule row."""
    closes = row.next_opens_at + cadence_of(row).span
    fields = {k: v for k, v in row._mapping.items() if k != "template"}
    return ScheduleRead(**fields, campaign=row.template, next_closes_at=closes)
