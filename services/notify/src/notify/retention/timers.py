"""What the daily retention timer does when it is due."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify import metrics
from notify.retention import rules, service
from shared import retention
from shared.clock import utcnow
from shared.db.engine import after_commit
from shared.logging import get_logger
from shared.timers import Timer

log = get_logger(__name__)


async def on_retention_due(due: Timer, *, session: AsyncSession) -> None:
    """Anonymise what the site's retention period has run out for; set the next run."""
    # One instant for the run: the cutoff and the next run are both reckoned from it, so a
    # clock that moves on while the run works cannot push the next run past what is due.
    now = utcnow()
    policy = await retention.schedule_next_run(session, kind=rules.TIMER_KIND, due=due, after=now)
    cutoff = retention.cutoff(now, years=policy.retention_years)
    done = await service.anonymise_site(session, site_id=due.key, cutoff=cutoff)
    log.info(
        "retention run finished",
        site_id=due.key,
        cutoff=cutoff.isoformat(),
        messages_anonymised=done.messages,
        phone_tasks_anonymised=done.phone_tasks,
        callbacks_anonymised=done.callbacks,
        contacts_anonymised=done.contacts,
        visitors_anonymised=done.visitors,
    )
    after_commit(session, lambda: _count(done))


def _count(done: service.Anonymised) -> None:
    metrics.retention_runs.labels("completed").inc()
    metrics.records_anonymised.labels("message").inc(done.messages)
    metrics.records_anonymised.labels("phone_task").inc(done.phone_tasks)
    metrics.records_anonymised.labels("callback").inc(done.callbacks)
    metrics.records_anonymised.labels("contact").inc(done.contacts)
    metrics.records_anonymised.labels("visitor").inc(done.visitors)
