"""Retention, the same in every service: when a record's time is up, when the next run is,
and what personal data is replaced with.

One policy per site, set in intake and announced by `site.retention_set`: every service
anonymises the personal data of its finished records `retention_years` after they
finished, in a daily run at 03:00 site time (DESIGN.md §7). What reports count stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case

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
