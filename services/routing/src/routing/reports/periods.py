"""Report periods: whole days in the report's time zone, and the period before each one.

Pure. A period runs from the start of its first day to the end of its last day, in the
zone; a period of whole calendar months is compared with as many months before it, any
other period with the same number of days just before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_DAYS = 3 * 366


class PeriodError(ValueError):
    """The requested period makes no sense; the message says why (`zh`: in Chinese)."""

    def __init__(self, detail: str, zh: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh


@dataclass(frozen=True)
class Period:
    """Days `first` to `last` (both included) in `zone`."""

    first: date
    last: date
    zone: str

    @property
    def start(self) -> datetime:
        """The first instant of the period, in UTC."""
        return _midnight(self.first, self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the period, in UTC (exclusive)."""
        return _midnight(self.last + timedelta(days=1), self.zone)

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.last - self.first).days + 1

    @property
    def months(self) -> int | None:
        """How many whole calendar months the period is, or None when it is not whole months."""
        if self.first.day != 1 or (self.last + timedelta(days=1)).day != 1:
            return None
        return _month_index(self.last) - _month_index(self.first) + 1

    @property
    def label(self) -> str:
        """`2026-10` for one month, `2026-10..2026-12` for months, else the two dates."""
        months = self.months
        if months == 1:
            return f"{self.first:%Y-%m}"
        if months:
            return f"{self.first:%Y-%m}..{self.last:%Y-%m}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


def period_of(first: date, last: date, zone: str) -> Period:
    """The period from `first` to `last`; PeriodError when it runs backwards or is too long."""
    if last < first:
        raise PeriodError(
            f"The period ends ({last}) before it begins ({first})",
            f"统计期的结束日期（{last}）早于开始日期（{first}）",
        )
    period = Period(first, last, zone)
    if period.days > MAX_DAYS:
        raise PeriodError(
            f"A report covers at most {MAX_DAYS} days; this one has {period.days}",
            f"一份报告最多统计 {MAX_DAYS} 天，本次为 {period.days} 天",
        )
    return period


def month_before(now: datetime, zone: str) -> Period:
    """The last whole calendar month before `now`, in `zone`."""
    today = now.astimezone(ZoneInfo(zone)).date()
    last = today.replace(day=1) - timedelta(days=1)
    return Period(last.replace(day=1), last, zone)


def previous(period: Period) -> Period:
    """The period just before `period`, of the same length (in months when it is months)."""
    months = period.months
    if months:
        first = _add_months(period.first, -months)
        return Period(first, period.first - timedelta(days=1), period.zone)
    last = period.first - timedelta(days=1)
    return Period(last - timedelta(days=period.days - 1), last, period.zone)


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _add_months(day: date, months: int) -> date:
    index = _month_index(day) + months
    return date(index // 12, index % 12 + 1, 1)
