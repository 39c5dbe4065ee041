"""The report's figures and the notice kinds that routing, notify and the console share."""

from __future__ import annotations

from shared.contracts import notify, reports


def test_a_disruption_and_a_safety_warning_are_the_signed_notices() -> None:
    assert notify.DISRUPTIONS == (
        "water_outage",
        "power_outage",
        "lift_maintenance",
        "water_tank_cleaning",
    )
    assert (*notify.DISRUPTIONS, "safety_warning") == notify.SIGNED
    assert set(notify.SIGNED) < set(notify.NOTICE_KINDS)


def test_durations_are_seconds_and_rates_are_rates() -> None:
    assert all(name.endswith("_seconds") for name in reports.DURATIONS)
    assert all(name.endswith("_rate") for name in reports.RATES)
    assert len(reports.DURATIONS) == 4
    assert len(reports.RATES) == 3


def test_the_cases_now_are_drillable_but_no_duration_or_rate_is() -> None:
    assert set(reports.NOW) == {"open", "overdue"}
    assert set(reports.NOW) < set(reports.DRILLABLE)
    assert not set(reports.DRILLABLE) & (reports.DURATIONS | reports.RATES)
