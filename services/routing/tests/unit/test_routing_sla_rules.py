"""Routing rules and SLA deadlines, on the calendar and in working hours with holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from routing.rules.rules import (
    Policy,
    Route,
    SiteRules,
    SlaTerms,
    WorkingCalendar,
    add_working_time,
    choose_department,
    choose_terms,
    deadline,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NINE_TO_SIX = {day: (time(9), time(18)) for day in range(5)}  # Monday to Friday


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0, zone: ZoneInfo = SHANGHAI) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=zone)


def office(**changes: object) -> WorkingCalendar:
    values: dict[str, object] = {"timezone": "Asia/Shanghai", "week": NINE_TO_SIX}
    values.update(changes)
    return WorkingCalendar(**values)  # type: ignore[arg-type]


# --- routing rules ---------------------------------------------------------------------------


ROUTES = (
    Route(department="engineering", category="maintenance"),
    Route(department="security", category="maintenance", severity="safety"),
    Route(department="customer_service", category="maintenance", kind="suggestion"),
    Route(department="front_desk", category="maintenance", kind="inquiry", severity="urgent"),
    Route(department="duty_office"),  # the site's default
)


@pytest.mark.parametrize(
    ("category", "kind", "severity", "department"),
    [
        ("maintenance", "complaint", "normal", "engineering"),
        ("maintenance", "complaint", "safety", "security"),
        ("maintenance", "suggestion", "safety", "customer_service"),  # kind beats severity
        ("maintenance", "inquiry", "urgent", "front_desk"),  # all three beat two
        ("maintenance", "inquiry", "normal", "engineering"),
        ("cleaning", "complaint", "normal", "duty_office"),  # site default
    ],
)
def test_the_most_specific_route_wins(
    category: str, kind: str, severity: str, department: str
) -> None:
    assert choose_department(ROUTES, category=category, kind=kind, severity=severity) == department


@pytest.mark.parametrize(
    ("category", "department"),
    [
        ("maintenance", "engineering"),
        ("security", "security"),
        ("vehicles", "security"),
        ("cleaning", "cleaning"),
        ("greening", "greening"),
        ("housing_management", "housing_management"),
        ("fees", "finance"),
        ("community_activities", "customer_service"),
        ("other", "customer_service"),
    ],
)
def test_shipped_routes_apply_when_a_site_has_none(category: str, department: str) -> None:
    assert (
        choose_department((), category=category, kind="complaint", severity="normal") == department
    )


def test_a_site_default_beats_the_shipped_routes() -> None:
    routes = (Route(department="duty_office"),)
    assert (
        choose_department(routes, category="fees", kind="complaint", severity="normal")
        == "duty_office"
    )


# --- SLA policies ----------------------------------------------------------------------------


FAST = SlaTerms(timedelta(minutes=5), timedelta(hours=1))
CATEGORY = SlaTerms(timedelta(hours=2), timedelta(hours=8), "working_hours")
BOTH = SlaTerms(timedelta(minutes=1), timedelta(minutes=30))
POLICIES = (
    Policy(terms=FAST, severity="urgent"),
    Policy(terms=CATEGORY, category="maintenance"),
    Policy(terms=BOTH, category="maintenance", severity="safety"),
)


@pytest.mark.parametrize(
    ("category", "severity", "terms"),
    [
        ("cleaning", "urgent", FAST),
        ("maintenance", "urgent", CATEGORY),  # category beats severity
        ("maintenance", "safety", BOTH),
        ("maintenance", "normal", CATEGORY),
    ],
)
def test_the_most_specific_policy_wins(category: str, severity: str, terms: SlaTerms) -> None:
    assert choose_terms(POLICIES, category=category, severity=severity) == terms


@pytest.mark.parametrize(
    ("severity", "acknowledge", "resolve", "clock"),
    [
        ("normal", timedelta(hours=4), timedelta(hours=27), "working_hours"),
        ("urgent", timedelta(hours=1), timedelta(hours=24), "calendar"),
        ("safety", timedelta(minutes=15), timedelta(hours=4), "calendar"),
    ],
)
def test_shipped_terms_by_severity(
    severity: str, acknowledge: timedelta, resolve: timedelta, clock: str
) -> None:
    terms = choose_terms((), category="cleaning", severity=severity)
    assert (terms.acknowledge, terms.resolve, terms.clock) == (acknowledge, resolve, clock)


# --- calendar time ---------------------------------------------------------------------------


def test_calendar_time_ignores_nights_weekends_and_holidays() -> None:
    start = local(2026, 11, 27, 17, 0)  # a Friday
    calendar = office(holidays=frozenset({date(2026, 11, 28)}))
    assert deadline(
        start, timedelta(hours=24), clock="calendar", calendar=calendar
    ) == start + timedelta(hours=24)


# --- working hours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        # inside one working day
        (local(2026, 11, 26, 10), timedelta(hours=4), local(2026, 11, 26, 14)),
        # runs over the evening into the next morning
        (local(2026, 11, 26, 16), timedelta(hours=4), local(2026, 11, 27, 11)),
        # Friday afternoon to Monday: the weekend does not count
        (local(2026, 11, 27, 17), timedelta(hours=2), local(2026, 11, 30, 10)),
        # before opening: the clock starts at nine
        (local(2026, 11, 26, 6, 30), timedelta(hours=1), local(2026, 11, 26, 10)),
        # after closing: the clock starts next morning
        (local(2026, 11, 26, 20), timedelta(minutes=30), local(2026, 11, 27, 9, 30)),
        # on a Saturday: Monday morning
        (local(2026, 11, 28, 12), timedelta(hours=1), local(2026, 11, 30, 10)),
        # exactly one working day
        (local(2026, 11, 26, 9), timedelta(hours=9), local(2026, 11, 26, 18)),
        # three working days (27 h), the shipped term for ordinary complaints
        (local(2026, 11, 26, 9), timedelta(hours=27), local(2026, 11, 30, 18)),
        # nothing to add, outside hours: the next opening
        (local(2026, 11, 26, 19), timedelta(0), local(2026, 11, 27, 9)),
    ],
)
def test_working_hours(start: datetime, within: timedelta, expected: datetime) -> None:
    found = add_working_time(start, within, office())
    assert found == expected
    assert found.tzinfo is UTC


def test_a_holiday_is_skipped() -> None:
    calendar = office(holidays=frozenset({date(2026, 11, 27)}))
    start = local(2026, 11, 26, 17)  # Thursday; Friday is a holiday
    assert add_working_time(start, timedelta(hours=2), calendar) == local(2026, 11, 30, 10)


def test_a_make_up_working_day_counts_even_on_a_weekend() -> None:
    calendar = office(workdays=frozenset({date(2026, 11, 28)}))  # Saturday 调休
    start = local(2026, 11, 27, 17)
    assert add_working_time(start, timedelta(hours=2), calendar) == local(2026, 11, 28, 10)


def test_a_make_up_day_is_a_full_working_day_whatever_that_weekdays_hours() -> None:
    week = {**NINE_TO_SIX, 5: (time(9), time(12))}  # Saturday mornings
    calendar = office(week=week, workdays=frozenset({date(2026, 11, 28)}))
    assert calendar.hours_on(date(2026, 11, 28)) == (time(9), time(18))
    assert calendar.hours_on(date(2026, 12, 5)) == (time(9), time(12))  # an ordinary Saturday
    assert office(workdays=frozenset({date(2026, 11, 29)})).hours_on(date(2026, 11, 29)) == (
        time(9),
        time(18),
    )


def test_working_hours_follow_the_sites_time_zone_across_a_dst_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    calendar = WorkingCalendar(timezone="Europe/Berlin", week=NINE_TO_SIX)
    start = local(2026, 3, 27, 17, zone=berlin)  # Friday; clocks go forward on Sunday
    found = add_working_time(start, timedelta(hours=2), calendar)
    assert found.astimezone(berlin) == local(2026, 3, 30, 10, zone=berlin)
    assert found.astimezone(berlin).utcoffset() == timedelta(hours=2)


def test_a_calendar_without_working_time_is_refused() -> None:
    calendar = WorkingCalendar(timezone="Asia/Shanghai", week={})
    assert not calendar.has_working_time()
    with pytest.raises(ValueError, match="no working time"):
        add_working_time(local(2026, 11, 26, 9), timedelta(hours=1), calendar)


def test_site_rules_give_both_deadlines_from_one_policy() -> None:
    rules = SiteRules(policies=(Policy(terms=CATEGORY, category="maintenance"),), calendar=office())
    start = local(2026, 11, 27, 17)
    acknowledge, resolve = rules.deadlines(start, category="maintenance", severity="normal")
    assert acknowledge == local(2026, 11, 30, 10)
    assert resolve == local(2026, 11, 30, 16)
    assert rules.follow_up_after(start) == start + timedelta(days=1)
