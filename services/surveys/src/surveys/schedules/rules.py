"""Pure decisions of schedules: which period comes next, and when it opens and closes.

A period opens on `day` of its first month at `hour` in the schedule's time zone (the
site's wall clock), and stays open `days_open` days. Period names are the campaigns'
(2026-11, 2026-Q4, 2026-H2, 2026).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Every = Literal["month", "quarter", "half_year", "year"]
MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


@dataclass(frozen=True)
class Period:
    """One period of a schedule: its name and its campaign's opening and close."""

    year: int
    index: int
    name: str
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class Cadence:
    """How often a site's regular campaign opens, on which day and hour, for how long."""

    every: Every
    day: int
    hour: int
    timezone: str
    days_open: int

    def period(self, year: int, index: int) -> Period:
        """The `index`-th period (from 1) of `year`."""
        month = (index - 1) * MONTHS[self.every] + 1
        local = datetime(year, month, self.day, self.hour, tzinfo=ZoneInfo(self.timezone))
        opens = local.astimezone(ZoneInfo("UTC"))
        return Period(year, index, name_of(self.every, year, index), opens, opens + self.span)

    @property
    def span(self) -> timedelta:
        return timedelta(days=self.days_open)

    def containing(self, when: datetime) -> Period:
        """The period `when` (in the site's time zone) falls in."""
        local = when.astimezone(ZoneInfo(self.timezone))
        return self.period(local.year, (local.month - 1) // MONTHS[self.every] + 1)

    def after(self, period: Period) -> Period:
        """The period that follows `period`."""
        if period.index * MONTHS[self.every] >= 12:
            return self.period(period.year + 1, 1)
        return self.period(period.year, period.index + 1)

    def next_opening(self, now: datetime) -> Period:
        """The first period whose opening is not before `now`."""
        current = self.containing(now)
        return current if current.opens_at >= now else self.after(current)


def name_of(every: str, year: int, index: int) -> str:
    """The campaign period's name: 2026-11, 2026-Q4, 2026-H2 or 2026."""
    if every == "month":
        return f"{year}-{index:02}"
    if every == "quarter":
        return f"{year}-Q{index}"
    if every == "half_year":
        return f"{year}-H{index}"
    return str(year)


def still_open(period: Period, now: datetime) -> bool:
    """A period whose close has passed is skipped (the service was down all along)."""
    return period.closes_at > now
