"""Pure decisions: which department a complaint goes to, and when its deadlines fall.

No I/O: the service loads a site's rules into these values and asks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from routing.rules import defaults
from routing.rules.defaults import (
    DEFAULT_DEPARTMENT,
    DEFAULT_ROUTES,
    DEFAULT_TIMEZONE,
    DEFAULT_WEEK,
)

Clock = Literal["calendar", "working_hours"]

# A deadline is looked for at most this far ahead; a calendar with no working time at all
# is refused when it is saved, so this only guards against a loop that never ends.
MAX_DAYS_AHEAD = 3660


@dataclass(frozen=True)
class Route:
    """category (and optionally kind and severity) -> department; no category: site default."""

    department: str
    category: str | None = None
    kind: str | None = None
    severity: str | None = None

    def matches(self, *, category: str, kind: str, severity: str) -> bool:
        """True when every condition the route names holds."""
        return all(
            want is None or want == got
            for want, got in (
                (self.category, category),
                (self.kind, kind),
                (self.severity, severity),
            )
        )

    @property
    def specificity(self) -> int:
        """Category outweighs kind, which outweighs severity."""
        return 4 * bool(self.category) + 2 * bool(self.kind) + bool(self.severity)


@dataclass(frozen=True)
class SlaTerms:
    """Time to acknowledge and to resolve, counted on the calendar or in working hours."""

    acknowledge: timedelta
    resolve: timedelta
    clock: Clock = "calendar"
    warn_percent: int = defaults.DEFAULT_WARN_PERCENT


DEFAULT_TERMS: dict[str, SlaTerms] = {
    severity: SlaTerms(ack, resolve, "working_hours" if clock == "working_hours" else "calendar")
    for severity, (ack, resolve, clock) in defaults.DEFAULT_TERMS.items()
}


@dataclass(frozen=True)
class Policy:
    """SLA terms for a category and/or severity (neither: the site's default)."""

    terms: SlaTerms
    category: str | None = None
    severity: str | None = None

    def matches(self, *, category: str, severity: str) -> bool:
        """True when every condition the policy names holds."""
        return self.category in (None, category) and self.severity in (None, severity)

    @property
    def specificity(self) -> int:
        """Category outweighs severity."""
        return 2 * bool(self.category) + bool(self.severity)


def choose_department(routes: Sequence[Route], *, category: str, kind: str, severity: str) -> str:
    """The most specific matching route's department; else the shipped default."""
    found = [r for r in routes if r.matches(category=category, kind=kind, severity=severity)]
    if found:
        return max(found, key=lambda r: r.specificity).department
    return DEFAULT_ROUTES.get(category, DEFAULT_DEPARTMENT)


def choose_terms(policies: Sequence[Policy], *, category: str, severity: str) -> SlaTerms:
    """The most specific matching policy's terms; else the shipped default for the severity."""
    found = [p for p in policies if p.matches(category=category, severity=severity)]
    if found:
        return max(found, key=lambda p: p.specificity).terms
    return DEFAULT_TERMS.get(severity, DEFAULT_TERMS["normal"])


@dataclass(frozen=True)
class PublicCalendar:
    """A country's public holidays and make-up working days (调休), for the years it knows."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    last_year: int | None = None


@dataclass(frozen=True)
class WorkingCalendar:
    """A site's working hours: a weekly pattern, the public calendar it follows, and the
    site's own holidays and make-up working days on top of both."""

    timezone: str = DEFAULT_TIMEZONE
    week: Mapping[int, tuple[time, time]] = field(default_factory=lambda: dict(DEFAULT_WEEK))
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    public: PublicCalendar | None = None

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """The opening hours of `day`, or None when the office is closed.

        A make-up working day is an ordinary full working day, whatever that weekday's
        hours usually are: a Saturday or Sunday 调休 is worked like a Monday.
        """
        if day in self.workdays:
            return ordinary_hours(self.week)
        if day in self.holidays:
            return None
        if self.public is not None and day in self.public.workdays:
            return ordinary_hours(self.week)
        if self.public is not None and day in self.public.holidays:
            return None
        return self.week.get(day.weekday())

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working window of `day` in UTC, or None."""
        hours = self.hours_on(day)
        if hours is None:
            return None
        zone = ZoneInfo(self.timezone)
        start, end = (datetime.combine(day, t, zone).astimezone(UTC) for t in hours)
        return (start, end) if start < end else None

    def has_working_time(self) -> bool:
        """True when some weekday is open."""
        return any(start < end for start, end in self.week.values())


def ordinary_hours(week: Mapping[int, tuple[time, time]]) -> tuple[time, time] | None:
    """The hours most weekdays (Monday to Friday) keep; with none open, most open days."""
    found = Counter(week[d] for d in range(5) if d in week) or Counter(week.values())
    return found.most_common(1)[0][0] if found else None


def deadline(
    start: datetime, within: timedelta, *, clock: Clock, calendar: WorkingCalendar
) -> datetime:
    """When `within` has passed after `start`, on the calendar or in working hours."""
    if clock == "calendar":
        return start + within
    return add_working_time(start, within, calendar)


def add_working_time(start: datetime, within: timedelta, calendar: WorkingCalendar) -> datetime:
    """`start` plus `within` of the calendar's working time (UTC)."""
    start = start.astimezone(UTC)
    remaining = within
    day = start.astimezone(ZoneInfo(calendar.timezone)).date()
    for _ in range(MAX_DAYS_AHEAD):
        window = calendar.window(day)
        if window is not None and start < window[1]:
            begin = max(window[0], start)
            if remaining <= window[1] - begin:
                return begin + remaining
            remaining -= window[1] - begin
        day += timedelta(days=1)
    raise ValueError("the calendar has no working time in the next ten years")


@dataclass(frozen=True)
class SiteRules:
    """Everything a site decides about a new case: department, SLA terms, calendar."""

    routes: tuple[Route, ...] = ()
    policies: tuple[Policy, ...] = ()
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    follow_up: timedelta = defaults.DEFAULT_FOLLOW_UP

    def department_for(self, *, category: str, kind: str, severity: str) -> str:
        """The responsible department of a complaint."""
        return choose_department(self.routes, category=category, kind=kind, severity=severity)

    def deadlines(
        self, start: datetime, *, category: str, severity: str
    ) -> tuple[datetime, datetime]:
        """When a case opened at `start` must be acknowledged and resolved."""
        terms = choose_terms(self.policies, category=category, severity=severity)
        return (
            deadline(start, terms.acknowledge, clock=terms.clock, calendar=self.calendar),
            deadline(start, terms.resolve, clock=terms.clock, calendar=self.calendar),
        )

    def warnings(
        self, start: datetime, *, category: str, severity: str
    ) -> tuple[int, datetime, datetime]:
        """The policy's warning share, and when a case opened at `start` is that share of
        the way to its acknowledge and its resolve deadline (on the same clock)."""
        terms = choose_terms(self.policies, category=category, severity=severity)
        share = terms.warn_percent / 100
        return (
            terms.warn_percent,
            deadline(start, terms.acknowledge * share, clock=terms.clock, calendar=self.calendar),
            deadline(start, terms.resolve * share, clock=terms.clock, calendar=self.calendar),
        )

    def resolve_deadline(self, start: datetime, *, category: str, severity: str) -> datetime:
        """A fresh resolve deadline counted from `start` (after a reopen or an answer)."""
        return self.deadlines(start, category=category, severity=severity)[1]

    def follow_up_after(self, start: datetime) -> datetime:
        """When the handler is next reminded to chase the developer."""
        return start + self.follow_up
