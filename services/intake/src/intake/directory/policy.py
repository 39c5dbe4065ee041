"""A site's retention policy: its daily retention run (a timer intake's retention module
takes) and the policy announced to routing, notify and surveys, so all four keep the same."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shared import timers
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.intake import SiteRetentionSet
from shared.retention import next_run_at

TIMER_KIND = "intake.retention"


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
