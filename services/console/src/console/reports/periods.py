"""The period a report covers: a preset (this month, last month, this quarter) or two
dates typed in the site's zone. Pure: today's date in, the first and last day out.

"This month" and "this quarter" run to their last day, not to today, so that routing
compares them with the whole month (quarter) before: the days still to come hold no
complaints yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

PRESETS = ("this_month", "last_month", "this_quarter")
MAX_DAYS = 3 * 366
"""Routing's limit on one report (`routing.reports.periods.MAX_DAYS`)."""


@dataclass(frozen=True)
class Period:
    """Days `first` to `last`, both included; `preset` when it is one of the presets."""

    first: date
    last: date
    preset: str | None = None

    def query(self) -> dict[str, str]:
        """The period as the report's query parameters."""
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


@dataclass(frozen=True)
class Asked:
    """The period a page was asked for, or why it could not be (`error`: a phrase key)."""

    period: Period
    error: str | None = None
    field: str | None = None


def today_in(zone: str, now: datetime) -> date:
    """Today's date in `zone`."""
    return now.astimezone(ZoneInfo(zone)).date()


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def preset(name: str, today: date) -> Period:
    """The days of a preset period around `today`."""
    if name == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last, name)
    if name == "this_quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(first, month_end(date(first.year, first.month + 2, 1)), name)
    return Period(today.replace(day=1), month_end(today), "this_month")


def asked(params: dict[str, str], today: date, *, default: str = "this_month") -> Asked:
    """The period of a page's query: typed dates win over a preset; bad dates say why."""
    first_text, last_text = params.get("from", "").strip(), params.get("to", "").strip()
    fallback = preset(params.get("preset") or default, today)
    if not first_text and not last_text:
        return Asked(fallback)
    first, last = _date(first_text), _date(last_text or first_text)
    if first is None:
        return Asked(fallback, "reports.period.bad_date", "from")
    if last is None:
        return Asked(fallback, "reports.period.bad_date", "to")
    if last < first:
        return Asked(fallback, "reports.period.backwards", "to")
    if (last - first).days + 1 > MAX_DAYS:
        return Asked(fallback, "reports.period.too_long", "to")
    return Asked(_named(Period(first, last), today))


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _named(period: Period, today: date) -> Period:
    """The period, with the preset's name when the dates are exactly a preset's."""
    for name in PRESETS:
        found = preset(name, today)
        if (found.first, found.last) == (period.first, period.last):
            return found
    return period
