"""Mainland China's public holidays and make-up working days (调休) in working-hours deadlines.

The dates are the State Council's 2026 arrangement as `chinesecalendar` lists them: the
Spring Festival off from Sunday 15 to Monday 23 February, worked on Saturdays 14 and 28
February; National Day (with its week) off from Thursday 1 to Wednesday 7 October, worked
on Sunday 20 September and Saturday 10 October.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from routing.rules.public import MAINLAND_CHINA, calendar_of, choice_for
from routing.rules.rules import WorkingCalendar, add_working_time, ordinary_hours

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEK = {day: (time(9), time(18)) for day in range(5)} | {5: (time(9), time(12))}
FOUR, TWENTY_SEVEN = timedelta(hours=4), timedelta(hours=27)


def at(m: int, d: int, hh: int, mm: int = 0, y: int = 2026) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def site(**changes: object) -> WorkingCalendar:
    values: dict[str, object] = {"week": WEEK, "public": MAINLAND_CHINA}
    values.update(changes)
    return WorkingCalendar(**values)  # type: ignore[arg-type]


def test_the_library_knows_the_2026_arrangement() -> None:
    assert (MAINLAND_CHINA.last_year or 0) >= 2026
    assert days(date(2026, 2, 15), date(2026, 2, 23)) <= MAINLAND_CHINA.holidays
    assert days(date(2026, 10, 1), date(2026, 10, 7)) <= MAINLAND_CHINA.holidays
    make_up = {date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10)}
    assert make_up <= MAINLAND_CHINA.workdays
    assert {date(2026, 2, 13), date(2026, 2, 24), date(2026, 9, 30), date(2026, 10, 8)}.isdisjoint(
        MAINLAND_CHINA.holidays | MAINLAND_CHINA.workdays
    )


@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        # Friday before the festival; Saturday 14th is worked in full, not its usual morning
        (at(2, 13, 17, 30), FOUR, at(2, 14, 12, 30)),
        # three working days: half an hour, Saturday 14th, then nothing until Tuesday 24th
        (at(2, 13, 17, 30), TWENTY_SEVEN, at(2, 25, 17, 30)),
        # received on the first day of the festival: the clock starts on Tuesday 24th
        (at(2, 15, 10), FOUR, at(2, 24, 13)),
        # Saturday 28th is a make-up day too: a full day
        (at(2, 27, 17, 30), FOUR, at(2, 28, 12, 30)),
    ],
)
def test_deadlines_across_the_spring_festival(
    start: datetime, within: timedelta, expected: datetime
) -> None:
    assert add_working_time(start, within, site()) == expected


@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        # Saturday morning, then Sunday 20th worked like a weekday
        (at(9, 19, 11), FOUR, at(9, 20, 12)),
        (at(9, 19, 11), TWENTY_SEVEN, at(9, 22, 17)),
        # the eve of National Day: nothing from the 1st to the 7th, Saturday 10th worked
        (at(9, 30, 17), FOUR, at(10, 8, 12)),
        (at(9, 30, 17), TWENTY_SEVEN, at(10, 10, 17)),
        # Saturday 10th is a full make-up day
        (at(10, 9, 17, 30), FOUR, at(10, 10, 12, 30)),
    ],
)
def test_deadlines_across_the_national_day_week(
    start: datetime, within: timedelta, expected: datetime
) -> None:
    assert add_working_time(start, within, site()) == expected


def test_the_sites_own_days_come_on_top() -> None:
    calendar = site(
        holidays=frozenset({date(2026, 2, 24), date(2026, 2, 28)}),  # closed on a make-up day
        workdays=frozenset({date(2026, 10, 7)}),  # on duty on a public holiday
    )
    assert calendar.hours_on(date(2026, 2, 24)) is None
    assert calendar.hours_on(date(2026, 2, 28)) is None
    assert calendar.hours_on(date(2026, 10, 7)) == (time(9), time(18))
    assert add_working_time(at(2, 13, 17, 30), TWENTY_SEVEN, calendar) == at(2, 26, 17, 30)
    assert add_working_time(at(9, 30, 17), FOUR, calendar) == at(10, 7, 12)


def test_a_make_up_day_keeps_the_hours_most_weekdays_keep() -> None:
    week = {0: (time(8), time(17)), 1: (time(8), time(17)), 2: (time(8), time(17))}
    week |= {3: (time(8), time(17)), 4: (time(8), time(15)), 6: (time(10), time(16))}
    assert ordinary_hours(week) == (time(8), time(17))
    assert site(week=week).hours_on(date(2026, 9, 20)) == (time(8), time(17))  # a Sunday
    assert ordinary_hours({5: (time(9), time(12)), 6: (time(10), time(16))}) == (time(9), time(12))
    assert ordinary_hours({}) is None


def test_a_year_the_library_does_not_know_is_an_ordinary_year_plus_the_sites_days() -> None:
    unknown = date((MAINLAND_CHINA.last_year or 2026) + 1, 1, 1)
    assert unknown not in MAINLAND_CHINA.holidays
    calendar = site(holidays=frozenset({unknown}))
    assert calendar.hours_on(unknown) is None
    assert site().hours_on(unknown) == site().week.get(unknown.weekday())


@pytest.mark.parametrize(
    ("setting", "timezone", "choice"),
    [
        (None, "Asia/Shanghai", "cn"),
        (None, "Asia/Urumqi", "cn"),
        (None, "Asia/Hong_Kong", "none"),
        (None, "Europe/Berlin", "none"),
        ("none", "Asia/Shanghai", "none"),
        ("cn", "Europe/Berlin", "cn"),
    ],
)
def test_a_site_follows_its_setting_else_its_time_zone(
    setting: str | None, timezone: str, choice: str
) -> None:
    assert choice_for(setting, timezone=timezone) == choice
    assert (calendar_of(choice_for(setting, timezone=timezone)) is MAINLAND_CHINA) == (
        choice == "cn"
    )
