"""Notices' pure rules: essential kinds, valid times and scopes, and allowed changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from notify.notices import rules
from notify.notices.rules import NoticeError, Status, Timing, TransitionError

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "essential"),
    [
        ("safety_warning", True),
        ("water_outage", True),
        ("power_outage", True),
        ("lift_maintenance", True),
        ("water_tank_cleaning", True),
        ("general", False),
        ("regulation", False),
    ],
)
def test_safety_and_disruptions_are_essential_and_the_rest_respects_the_opt_out(
    kind: str, essential: bool
) -> None:
    assert rules.is_essential(kind) is essential
    assert rules.has_sign(kind) is essential


def test_a_disruption_runs_from_its_start_to_its_end_and_is_announced_before_the_end() -> None:
    rules.check_timing("water_outage", Timing(T0, T0 + timedelta(hours=4), T0 - timedelta(days=1)))
    rules.check_timing("general", Timing(None, None, T0))
    rules.check_timing("regulation", Timing(T0, None, T0))


@pytest.mark.parametrize(
    ("kind", "timing", "says"),
    [
        ("water_outage", Timing(None, None, T0), "needs the disruption's"),
        ("power_outage", Timing(T0, None, T0), "needs the disruption's"),
        ("general", Timing(None, T0, T0 - timedelta(hours=1)), "ends_at needs starts_at"),
        ("lift_maintenance", Timing(T0, T0 - timedelta(hours=1), T0), "after starts_at"),
        ("lift_maintenance", Timing(T0, T0, T0 - timedelta(hours=1)), "after starts_at"),
        (
            "water_tank_cleaning",
            Timing(T0, T0 + timedelta(hours=2), T0 + timedelta(hours=2)),
            "publish_at must be before",
        ),
        (
            "safety_warning",
            Timing(T0, T0 + timedelta(hours=2), T0 + timedelta(days=1)),
            "publish_at must be before",
        ),
    ],
)
def test_times_that_make_no_sense_are_refused_with_what_to_change(
    kind: str, timing: Timing, says: str
) -> None:
    with pytest.raises(NoticeError, match=says):
        rules.check_timing(kind, timing)


def test_buildings_and_units_need_ids_and_the_whole_site_takes_none() -> None:
    rules.check_scope("site", [])
    rules.check_scope("buildings", ["b1"])
    rules.check_scope("units", ["u1", "u2"])
    with pytest.raises(NoticeError, match="needs at least one id"):
        rules.check_scope("units", [])
    with pytest.raises(NoticeError, match="needs at least one id"):
        rules.check_scope("buildings", [])
    with pytest.raises(NoticeError, match="takes no ids"):
        rules.check_scope("site", ["b1"])
    with pytest.raises(NoticeError) as refused:
        rules.check_scope("units", [])
    assert refused.value.zh == "范围“指定单元”（units）至少要有一个编号"


def test_a_scheduled_notice_may_change_anything() -> None:
    rules.check_update(Status.SCHEDULED, ["kind", "scope", "channels", "publish_at", "title"])


def test_a_published_notice_changes_its_text_and_times_but_not_whom_it_reached() -> None:
    rules.check_update(Status.PUBLISHED, ["title", "body", "starts_at", "ends_at"])
    for fixed in ("scope", "channels", "publish_at", "kind"):
        with pytest.raises(TransitionError, match=fixed):
            rules.check_update(Status.PUBLISHED, ["title", fixed])


def test_a_cancelled_notice_changes_no_more_and_is_cancelled_once() -> None:
    with pytest.raises(TransitionError, match="cancelled"):
        rules.check_update(Status.CANCELLED, ["title"])
    with pytest.raises(TransitionError, match="cancelled already"):
        rules.check_cancel(Status.CANCELLED)
    rules.check_cancel(Status.SCHEDULED)
    rules.check_cancel(Status.PUBLISHED)


def test_once_the_disruption_is_over_a_published_notice_is_history() -> None:
    assert rules.has_ended(T0, T0)
    assert not rules.has_ended(T0 + timedelta(seconds=1), T0)
    assert not rules.has_ended(None, T0)
    with pytest.raises(TransitionError, match="disruption is over"):
        rules.check_update(Status.PUBLISHED, ["title"], ended=True)
    with pytest.raises(TransitionError, match="disruption is over"):
        rules.check_cancel(Status.PUBLISHED, ended=True)
    rules.check_update(Status.SCHEDULED, ["title"], ended=True)
    rules.check_cancel(Status.SCHEDULED, ended=True)


def test_each_send_has_its_template_and_its_own_delivery_source() -> None:
    assert rules.message_kind(Status.SCHEDULED, cancelling=False) == "notice"
    assert rules.message_kind(Status.PUBLISHED, cancelling=False) == "notice_updated"
    assert rules.message_kind(Status.PUBLISHED, cancelling=True) == "notice_cancelled"
    assert rules.source_id("n1", 1) != rules.source_id("n1", 2)
    assert rules.source_id("n1", 2) == "notice:n1:2"


def test_a_notices_deliveries_are_those_of_every_revision_so_far() -> None:
    assert rules.source_ids("n1", 3) == ["notice:n1:1", "notice:n1:2", "notice:n1:3"]
    assert rules.source_ids("n1", 1) == [rules.source_id("n1", 1)]
