"""What the daily retention timer does when it is due."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake import metrics
from intake.directory import policy
from intake.directory.models import site
from intake.retention import service
from shared.clock import utcnow
from shared.db.engine import as_utc
from shared.logging import get_logger
from shared.retention import cutoff as cutoff_of
from shared.retention import report_run
from shared.timers import Timer

log = get_logger(__name__)


async def on_retention_due(due: Timer, *, session: AsyncSession) -> None:
    """Anonymise what the site's retention period has run out for; set the next run."""
    found = (
        await session.execute(
            select(site.c.retention_years, site.c.timezone, site.c.updated_at).where(
                site.c.id == due.key
            )
        )
    ).first()
    if found is None:
        log.info("retention run skipped: the site is gone", site_id=due.key)
        return
    # One instant for the run: the cutoff, the marks and the next run are all reckoned from it, so a
    # clock that moves on while the run works cannot push the next run past what is due.
    now = utcnow()
    cutoff = cutoff_of(now, years=found.retention_years)
    done = await service.anonymise_site(session, site_id=due.key, cutoff=cutoff, now=now)
    await policy.schedule_run(session, site_id=due.key, timezone=found.timezone, after=now)
    # Said again each day, so that a service that has not heard it (a site older than the
    # announcement, a queue restored from backup) runs under the same policy from tomorrow;
    # a service that holds it already keeps its run as it is.
    await policy.announce_policy(
        session,
        site_id=due.key,
        retention_years=found.retention_years,
        timezone=found.timezone,
        set_at=as_utc(found.updated_at),
    )
    report_run(
        session,
        site_id=due.key,
        cutoff=cutoff,
        done=done,
        runs=metrics.retention_runs,
        anonymised=metrics.records_anonymised,
    )
