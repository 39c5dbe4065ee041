"""Retention rules every service shares: when a record's time is up, when the daily run is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared import retention as rules


def test_cutoff_is_the_same_moment_years_before() -> None:
    now = datetime(2026, 5, 17, 3, 0, tzinfo=UTC)
    assert rules.cutoff(now, years=2) == datetime(2024, 5, 17, 3, 0, tzinfo=UTC)


def test_cutoff_from_29_february_falls_on_28_february() -> None:
    now = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert rules.cutoff(now, years=1) == datetime(2027, 2, 28, 12, 0, tzinfo=UTC)
    assert rules.cutoff(now, years=4) == datetime(2024, 2, 29, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "timezone", "due"),
    [
        # 18:00 UTC is 02:00 in Shanghai: the run is an hour away.
        (
            datetime(2026, 3, 1, 18, 0, tzinfo=UTC),
            "Asia/Shanghai",
            datetime(2026, 3, 1, 19, 0, tzinfo=UTC),
        ),
        # 19:00 UTC is exactly 03:00 there: that run is now, so the next is tomorrow.
        (
            datetime(2026, 3, 1, 19, 0, tzinfo=UTC),
            "Asia/Shanghai",
            datetime(2026, 3, 2, 19, 0, tzinfo=UTC),
        ),
        # New York springs forward on 8 March 2026: 03:00 EDT is 07:00 UTC.
        (
            datetime(2026, 3, 8, 6, 0, tzinfo=UTC),
            "America/New_York",
            datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 3, 7, 6, 0, tzinfo=UTC),
            "America/New_York",
            datetime(2026, 3, 7, 8, 0, tzinfo=UTC),
        ),
    ],
)
def test_next_run_is_the_next_three_oclock_at_the_site(
    now: datetime, timezone: str, due: datetime
) -> None:
    assert rules.next_run_at(now, timezone=timezone) == due


def test_masked_fields_replace_only_the_personal_values_that_hold_something() -> None:
    data = {"note": "Call Li on 139", "reason": None, "level": "vp", "text": ""}
    assert rules.masked_fields(data, ["note", "reason", "text"]) == {
        "note": rules.MARKER,
        "reason": None,
        "level": "vp",
        "text": "",
    }
