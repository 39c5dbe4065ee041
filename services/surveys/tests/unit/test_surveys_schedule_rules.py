"""When a schedule's next period opens and closes, and when a reminder is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from surveys.campaigns.rules import reminder_due
from surveys.schedules.rules import Cadence, Every

MONTHLY = Cadence("month", day=1, hour=9, timezone="Asia/Shanghai", days_open=10)


def test_a_period_opens_on_its_day_and_hour_of_the_sites_wall_clock() -> None:
    period = MONTHLY.period(2026, 12)

    assert period.name == "2026-12"
    assert period.opens_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    assert period.closes_at == period.opens_at + timedelta(days=10)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 12, 1, 0, 59, tzinfo=UTC), "2026-12"),  # before this month's opening
        (datetime(2026, 12, 1, 1, 1, tzinfo=UTC), "2027-01"),  # just after it: the next one
        (datetime(2026, 11, 30, 16, 30, tzinfo=UTC), "2026-12"),  # already 1 Dec in Shanghai
    ],
)
def test_the_next_opening_is_the_first_not_before_now(now: datetime, expected: str) -> None:
    assert MONTHLY.next_opening(now).name == expected


@pytest.mark.parametrize(
    ("every", "after", "names"),
    [
        ("quarter", (2026, 4), ["2027-Q1", "2027-Q2"]),
        ("half_year", (2026, 2), ["2027-H1", "2027-H2"]),
        ("year", (2026, 1), ["2027", "2028"]),
        ("month", (2026, 12), ["2027-01", "2027-02"]),
    ],
)
def test_periods_follow_each_other_across_the_year(
    every: Every, after: tuple[int, int], names: list[str]
) -> None:
    cadence = Cadence(every, day=15, hour=0, timezone="Asia/Shanghai", days_open=7)
    following = cadence.after(cadence.period(*after))

    assert [following.name, cadence.after(following).name] == names
    assert following.opens_at.astimezone(UTC).day in (14, 15)


def test_a_reminder_is_due_days_before_the_close_and_only_after_the_opening() -> None:
    opened = datetime(2026, 12, 1, tzinfo=UTC)
    closes = opened + timedelta(days=14)

    assert reminder_due(opened_at=opened, closes_at=closes, days=3) == closes - timedelta(days=3)
    assert reminder_due(opened_at=opened, closes_at=closes, days=0) is None
    assert reminder_due(opened_at=opened, closes_at=closes, days=14) is None
