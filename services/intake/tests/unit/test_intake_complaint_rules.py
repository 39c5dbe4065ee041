"""Complaint rules: references, reporters per channel, future times, locations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from intake.complaints import rules


def test_reference_is_code_date_and_a_four_digit_daily_sequence() -> None:
    assert rules.reference("GH", date(2026, 11, 26), 42) == "GH-20261126-0042"
    assert rules.reference("GH", date(2026, 11, 26), 12345) == "GH-20261126-12345"


@pytest.mark.parametrize(
    ("at", "timezone", "day"),
    [
        (datetime(2026, 11, 26, 16, 30, tzinfo=UTC), "Asia/Shanghai", date(2026, 11, 27)),
        (datetime(2026, 11, 26, 15, 59, tzinfo=UTC), "Asia/Shanghai", date(2026, 11, 26)),
        (datetime(2026, 11, 27, 3, 0, tzinfo=UTC), "America/New_York", date(2026, 11, 26)),
    ],
)
def test_the_day_of_a_reference_is_the_sites_local_day(
    at: datetime, timezone: str, day: date
) -> None:
    assert rules.local_day(at, timezone=timezone) == day


@pytest.mark.parametrize(
    ("channel", "reporter", "fits"),
    [
        ("staff_finding", "staff", True),
        ("staff_finding", "household", False),
        ("staff_finding", "visitor", False),
        ("call_center", "staff", False),
        ("call_center", "household", True),
        ("suggestion_box", "visitor", True),
    ],
)
def test_staff_findings_come_from_staff_and_only_from_them(
    channel: str, reporter: str, fits: bool
) -> None:
    assert (rules.reporter_problem(channel, reporter) is None) is fits


def test_a_little_ahead_of_our_clock_is_not_the_future() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert not rules.in_the_future(None, now=now)
    assert not rules.in_the_future(now + timedelta(minutes=4), now=now)
    assert rules.in_the_future(now + timedelta(minutes=6), now=now)


@pytest.mark.parametrize(
    ("building", "unit", "area", "text"),
    [
        ("B3", "1202", None, "B3-1202"),
        ("B3", None, "lobby", "B3 · lobby"),
        (None, None, "north gate", "north gate"),
        ("B3", "1202", "balcony", "B3-1202 · balcony"),
        (None, None, None, None),
    ],
)
def test_location_reads_in_the_sites_own_labels(
    building: str | None, unit: str | None, area: str | None, text: str | None
) -> None:
    assert rules.location_text(building, unit, area) == text


@pytest.mark.parametrize("status", rules.STATUSES)
def test_only_finished_complaints_refuse_follow_ups(status: str) -> None:
    assert rules.open_to_follow_up(status) is (status not in ("closed", "withdrawn"))
