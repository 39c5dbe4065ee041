"""The rules page's forms become routing's RulesIn sections, one at a time; durations are
hours and minutes on the page and seconds to routing."""

from __future__ import annotations

import pytest
from starlette.datastructures import FormData

from console.admin import rules_forms

RULES = {
    "default_department": "customer_service",
    "routes": [{"category": "maintenance", "kind": None, "severity": None, "department": "eng"}],
    "sla_policies": [
        {"category": None, "severity": "urgent", "acknowledge_within": "PT1H30M",
         "resolve_within": "P1DT3H", "clock": "calendar"}
    ],
    "calendar": {
        "timezone": "Asia/Shanghai",
        "week": {"mon": {"start": "09:00:00", "end": "18:00:00"}},
        "holidays": [{"day": "2026-10-01", "name": "国庆节", "working": False}],
    },
}  # fmt: skip


@pytest.mark.parametrize(
    ("value", "parts"),
    [("PT4H", (4, 0)), ("P1DT3H", (27, 0)), ("PT1H30M", (1, 30)), (900, (0, 15)), ("x", (0, 0))],
)
def test_durations_read_as_hours_and_minutes(value: object, parts: tuple[int, int]) -> None:
    assert rules_forms.hours_minutes(value) == parts


@pytest.mark.parametrize(
    ("hours", "minutes", "sent"),
    [("4", "", 14400), ("", "15", 900), ("27", "30", 99000), ("", "", None), ("1.5", "", "1.5:")],
)
def test_hours_and_minutes_are_sent_as_seconds(
    hours: str, minutes: str, sent: int | str | None
) -> None:
    assert rules_forms.seconds(hours, minutes) == sent


def test_the_rules_in_force_are_rows_with_empty_rows_to_add() -> None:
    routes = rules_forms.route_rows(RULES)
    policies = rules_forms.policy_rows(RULES)
    week = rules_forms.week_rows(RULES)
    holidays = rules_forms.holiday_rows(RULES)
    assert routes[0] == {"category": "maintenance", "kind": "", "severity": "", "department": "eng"}
    assert len(routes) == 1 + rules_forms.BLANK_ROUTES
    assert policies[0]["acknowledge_hours"] == "1"
    assert policies[0]["acknowledge_minutes"] == "30"
    assert policies[0]["resolve_hours"] == "27"
    assert [d["open"] for d in week] == [True, False, False, False, False, False, False]
    assert week[0]["start"] == "09:00"
    assert holidays[0] == {"day": "2026-10-01", "name": "国庆节", "working": False}
    assert len(holidays) == 1 + rules_forms.BLANK_HOLIDAYS


def test_the_routing_form_sends_every_row_but_empty_and_removed_ones() -> None:
    form = FormData(
        [
            ("default_department", ""),
            ("route_rows", "4"),
            ("route-0-category", "maintenance"),
            ("route-0-department", "eng"),
            ("route-1-category", "cleaning"),
            ("route-1-department", "cs"),
            ("route-1-remove", "1"),
            ("route-2-category", ""),
            ("route-3-category", "security"),
            ("route-3-severity", "safety"),
            ("route-3-department", "security"),
        ]
    )
    section = rules_forms.routes_section(form)
    assert section.body == {
        "default_department": None,
        "routes": [
            {"category": "maintenance", "kind": None, "severity": None, "department": "eng"},
            {"category": "security", "kind": None, "severity": "safety", "department": "security"},
        ],
    }
    assert section.field_of("routes.1.department") == "route-3-department"
    assert section.field_of("routes") == "routes"


def test_the_deadlines_form_sends_seconds_and_the_follow_up() -> None:
    form = FormData(
        [
            ("sla_rows", "2"),
            ("sla-0-severity", "urgent"),
            ("sla-0-acknowledge_hours", "1"),
            ("sla-0-resolve_hours", "24"),
            ("sla-0-clock", "calendar"),
            ("sla-1-clock", "working_hours"),
            ("follow_up_hours", "48"),
        ]
    )
    section = rules_forms.sla_section(form)
    assert section.body == {
        "sla_policies": [
            {"category": None, "severity": "urgent", "acknowledge_within": 3600,
             "resolve_within": 86400, "clock": "calendar"}
        ],
        "developer_follow_up": 172800,
    }  # fmt: skip
    assert section.field_of("sla_policies.0") == "sla-0-row"


def test_the_calendar_form_sends_the_open_days_and_the_holidays() -> None:
    form = FormData(
        [
            ("timezone", "Asia/Shanghai"),
            ("week-mon-open", "1"),
            ("week-mon-start", "08:30"),
            ("week-mon-end", "17:30"),
            ("week-tue-start", "09:00"),
            ("week-tue-end", "18:00"),
            ("holiday_rows", "3"),
            ("holiday-0-day", "2026-10-01"),
            ("holiday-0-name", "国庆节"),
            ("holiday-1-day", ""),
            ("holiday-2-day", "2026-10-11"),
            ("holiday-2-name", "国庆调休"),
            ("holiday-2-working", "1"),
        ]
    )
    section = rules_forms.calendar_section(form)
    assert section.body == {
        "calendar": {
            "timezone": "Asia/Shanghai",
            "week": {"mon": {"start": "08:30", "end": "17:30"}},
            "holidays": [
                {"day": "2026-10-01", "name": "国庆节", "working": False},
                {"day": "2026-10-11", "name": "国庆调休", "working": True},
            ],
        }
    }
    assert section.field_of("calendar.holidays.1.day") == "holiday-2-day"
    assert section.field_of("calendar.week.mon") == "week-mon"
    assert section.field_of("calendar") == "calendar"


def test_a_refused_form_shows_its_rows_as_typed() -> None:
    form = FormData([("route_rows", "1"), ("route-0-category", "fees"), ("route-0-remove", "1")])
    assert rules_forms.typed_routes(form) == [
        {"category": "fees", "kind": "", "severity": "", "department": "", "remove": True}
    ]
