"""Pure decisions of retention: when a record's time is up, and when the next run is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

MARKER = "[anonymised]"
"""What personal data is replaced with."""
TIMER_KIND = "intake.retention"
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
