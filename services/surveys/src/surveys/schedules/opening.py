"""A site's period comes: its regular campaign is planned, drawn and opened by itself.

The timer fires once (the scheduler claims and deletes it in the transaction that opens the
campaign), and the campaign's (site, period) is unique, so a campaign planned by hand for
the period is kept, never doubled. A period whose close has passed while the service was
down is skipped. Either way the schedule then waits for the following period.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import utcnow
from shared.db.engine import after_commit
from shared.logging import get_logger
from shared.timers import Timer
from surveys import metrics
from surveys.campaigns import service as campaigns
from surveys.campaigns.models import campaign
from surveys.campaigns.schemas import CampaignCreate
from surveys.lifecycle import drawing
from surveys.lifecycle.timers import open_when_due
from surveys.schedules import service as schedules
from surveys.schedules.rules import Period, still_open

log = get_logger(__name__)


async def on_schedule_due(due: Timer, *, session: AsyncSession) -> None:
    """The site's next period opens: open its campaign, then wait for the following one."""
    row = await schedules.get_row(session, site_id=due.key, lock=True)
    if row is None:
        return
    cadence = schedules.cadence_of(row)
    period = cadence.period(due.payload["year"], due.payload["index"])
    link_base = due.payload["link_base"]
    outcome = await _reach(session, row=row, period=period, link_base=link_base)
    log.info("scheduled period reached", period=period.name, outcome=outcome)
    after_commit(session, metrics.scheduled_openings.labels(outcome).inc)
    await schedules.plan_next(session, row=row, period=cadence.after(period), link_base=link_base)


async def _reach(session: AsyncSession, *, row: Row[Any], period: Period, link_base: str) -> str:
    if not still_open(period, utcnow()):
        return "missed"
    taken = await session.scalar(
        select(campaign.c.id).where(
            campaign.c.site_id == row.site_id, campaign.c.period == period.name
        )
    )
    if taken is not None:
        await schedules.reached(session, site_id=row.site_id, campaign_id=taken)
        return "planned"
    await _open(session, row=row, period=period, link_base=link_base)
    return "opened"


async def _open(session: AsyncSession, *, row: Row[Any], period: Period, link_base: str) -> None:
    data = CampaignCreate.model_validate(
        {
            **row.template,
            "site_id": row.site_id,
            "kind": "regular",
            "title": f"{row.title} {period.name}",
            "period": period.name,
            "opens_at": period.opens_at,
            "closes_at": period.closes_at,
        }
    )
    created = await campaigns.create_campaign(session, data=data, by=row.set_by)
    planned = await campaigns.get_row(session, campaign_id=created.id, lock=True)
    await drawing.draw(session, row=planned, by=row.set_by)
    await open_when_due(session, campaign_id=created.id, link_base=link_base)
    await schedules.reached(session, site_id=row.site_id, campaign_id=created.id)
