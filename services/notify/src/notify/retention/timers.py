"""What the daily retention timer does when it is due."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify import metrics
from notify.retention import rules, service
from shared import retention
from shared.timers import Timer


async def on_retention_due(due: Timer, *, session: AsyncSession) -> None:
    """Anonymise what the site's retention period has run out for; set the next run."""
    await retention.run_due(
        session,
        due,
        kind=rules.TIMER_KIND,
        anonymise=service.anonymise_site,
        runs=metrics.retention_runs,
        anonymised=metrics.records_anonymised,
    )
