"""Retention, the same in every service: when a record's time is up, when the next run is,
and what personal data is replaced with.

One policy per site, set in intake and announced by `site.retention_set`: every service
anonymises the personal data of its finished records `retention_years` after they
finished, in a daily run at 03:00 site time (DESIGN.md §7). What reports count stays.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from prometheus_client import Counter
from sqlalchemy import case
from sqlalchemy.ext.asyncio import AsyncSession

from shared import timers
from shared.clock import utcnow
from shared.contracts.intake import SiteRetentionSet
from shared.db.engine import after_commit
from shared.logging import get_logger

log = get_logger(__name__)

MARKER = "[anonymised]"
"""What personal data is replaced with."""
RUN_HOUR = 3
"""Runs at 03:00 site-local time, when nobody is filing complaints."""


def cutoff(now: datetime, *, years: int) -> datetime:
    """The moment `years` years before `now`; records finished before it are anonymised."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February, in a year that has none
        return now.replace(year=now.year - years, day=28)


def next_run_at(now: datetime, *, timezone: str) -> datetime:
    """The next 03:00 in the site's time zone after `now`, in UTC."""
    local = now.astimezone(ZoneInfo(timezone))
    run = local.replace(hour=RUN_HOUR, minute=0, second=0, microsecond=0)
    if run <= local:
        run += timedelta(days=1)
    return run.astimezone(UTC)


def masked(column: Any) -> Any:
    """SQL: the marker where the column holds something, null where it holds nothing."""
    return case((column.is_(None), None), else_=MARKER)


def masked_fields(data: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """`data` with the values of `keys` that hold something replaced by the marker."""
    personal = frozenset(keys)
    return {k: MARKER if k in personal and v not in (None, "", []) else v for k, v in data.items()}


@dataclass(frozen=True)
class Policy:
    """A site's retention policy as a service keeps it: on the payload of its daily run."""

    retention_years: int
    timezone: str
    set_at: datetime

    @classmethod
    def of(cls, payload: Mapping[str, Any]) -> Policy:
        """The policy a run's timer carries."""
        return cls(
            int(payload["retention_years"]),
            str(payload["timezone"]),
            datetime.fromisoformat(payload["set_at"]),
        )

    def payload(self) -> dict[str, Any]:
        """What the run's timer carries."""
        return {
            "retention_years": self.retention_years,
            "timezone": self.timezone,
            "set_at": self.set_at.isoformat(),
        }


async def keep_policy(session: AsyncSession, *, kind: str, event: SiteRetentionSet) -> bool:
    """Run the site's retention daily under the announced policy; False if a later one holds.

    The policy rides on the run's timer row, so it survives restarts and needs no table of
    its own; a run already set keeps its time unless the site's time zone changed.
    """
    policy = Policy(event.retention_years, event.timezone, event.set_at)
    held = await timers.pending(session, kind=kind, key=event.site_id)
    held_policy = Policy.of(held.payload) if held is not None and held.payload else None
    if held_policy is not None and held_policy.set_at >= policy.set_at:
        return False
    due = next_run_at(utcnow(), timezone=policy.timezone)
    if held is not None and held_policy is not None and held_policy.timezone == policy.timezone:
        due = held.due_at
    await _schedule(session, kind=kind, site_id=event.site_id, policy=policy, due_at=due)
    return True


async def schedule_next_run(
    session: AsyncSession, *, kind: str, due: timers.Timer, after: datetime
) -> Policy:
    """Set the site's next run after `after`, under the policy the due run carried."""
    policy = Policy.of(due.payload)
    next_at = next_run_at(after, timezone=policy.timezone)
    await _schedule(session, kind=kind, site_id=due.key, policy=policy, due_at=next_at)
    return policy


async def _schedule(
    session: AsyncSession, *, kind: str, site_id: str, policy: Policy, due_at: datetime
) -> None:
    await timers.schedule(
        session, kind=kind, key=site_id, due_at=due_at, payload=policy.payload(), site_id=site_id
    )


class RunCounters(Protocol):
    """Where a service counts its retention runs: its metrics module holds these two."""

    @property
    def retention_runs(self) -> Counter:
        """Runs, by outcome."""

    @property
    def records_anonymised(self) -> Counter:
        """Records anonymised, by record kind."""


def daily_run(
    kind: str, anonymise: Callable[..., Awaitable[Any]], counters: RunCounters
) -> timers.TimerHandler:
    """The handler of a service's daily retention timer: `run_due` with the service's timer
    kind, its `anonymise(session, site_id=, cutoff=)` and the counters of its metrics module."""

    async def on_retention_due(due: timers.Timer, *, session: AsyncSession) -> None:
        """Anonymise what the site's retention period has run out for; set the next run."""
        await run_due(
            session,
            due,
            kind=kind,
            anonymise=anonymise,
            runs=counters.retention_runs,
            anonymised=counters.records_anonymised,
        )

    return on_retention_due


async def run_due(
    session: AsyncSession,
    due: timers.Timer,
    *,
    kind: str,
    anonymise: Callable[..., Awaitable[Any]],
    runs: Counter,
    anonymised: Counter,
) -> None:
    """A service's daily run under the policy its timer carries: anonymise what the site's
    retention period has run out for (`anonymise(session, site_id=, cutoff=)`), set the
    next run, and say and count what was done.

    One instant for the run: the cutoff and the next run are both reckoned from it, so a
    clock that moves on while the run works cannot push the next run past what is due.
    """
    now = utcnow()
    policy = await schedule_next_run(session, kind=kind, due=due, after=now)
    cut = cutoff(now, years=policy.retention_years)
    done = await anonymise(session, site_id=due.key, cutoff=cut)
    report_run(session, site_id=due.key, cutoff=cut, done=done, runs=runs, anonymised=anonymised)


def report_run(
    session: AsyncSession,
    *,
    site_id: str,
    cutoff: datetime,
    done: Any,
    runs: Counter,
    anonymised: Counter,
) -> None:
    """The run's log line and, once committed, its counts: one label of `anonymised` per
    field of `done`, a dataclass of counts named in the plural (`cases` counts `case`)."""
    counts = {f.name: int(getattr(done, f.name)) for f in fields(done)}
    said = {f"{name}_anonymised": value for name, value in counts.items()}
    log.info("retention run finished", site_id=site_id, cutoff=cutoff.isoformat(), **said)

    def count() -> None:
        runs.labels("completed").inc()
        for name, value in counts.items():
            anonymised.labels(name.removesuffix("s")).inc(value)

    after_commit(session, count)
