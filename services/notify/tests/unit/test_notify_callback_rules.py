"""Callbacks' pure rules: working hours, due and overdue, attempts and who may answer."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from notify.callbacks import rules
from notify.callbacks.rules import AttemptError, Status, TransitionError
from notify.sites.office import WorkingHours

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = WorkingHours(zone=SHANGHAI, opens=time(9), closes=time(18))


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """2026-11-<day> at a Shanghai wall-clock time (the 27th is a Friday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("at", "expected", "why"),
    [
        (local(25, 10), local(25, 10), "Wednesday morning: open, unchanged"),
        (local(25, 9), local(25, 9), "opening time itself"),
        (local(25, 7, 30), local(25, 9), "early morning: opening time that day"),
        (local(25, 18), local(26, 9), "closing time: next morning"),
        (local(25, 22), local(26, 9), "evening: next morning"),
        (local(27, 19), local(30, 9), "Friday evening: Monday morning"),
        (local(28, 11), local(30, 9), "Saturday: Monday morning"),
        (local(29, 23, 59), local(30, 9), "Sunday night: Monday morning"),
    ],
)
def test_callbacks_fall_due_only_in_working_hours(
    at: datetime, expected: datetime, why: str
) -> None:
    moved = rules.into_working_hours(at.astimezone(UTC), OFFICE)
    assert moved == expected, why
    assert moved.tzinfo == UTC


def test_the_working_days_are_the_sites_own() -> None:
    every_day = WorkingHours(zone=SHANGHAI, days=frozenset(range(7)))
    assert rules.into_working_hours(local(28, 11), every_day) == local(28, 11)
    assert rules.into_working_hours(local(28, 20), every_day) == local(29, 9)


def test_hours_that_cannot_be_met_never_push_a_callback_away() -> None:
    closed = WorkingHours(zone=SHANGHAI, days=frozenset())
    assert rules.into_working_hours(local(28, 11), closed) == local(28, 11)
    backwards = WorkingHours(zone=SHANGHAI, opens=time(18), closes=time(9))
    assert rules.into_working_hours(local(28, 11), backwards) == local(28, 11)


def test_the_delay_counts_from_the_resolution_then_moves_into_working_hours() -> None:
    resolved = local(27, 16)  # Friday afternoon
    assert rules.due_at(resolved, delay=timedelta(hours=24), hours=OFFICE) == local(30, 9)
    assert rules.due_at(resolved, delay=timedelta(hours=1), hours=OFFICE) == local(27, 17)


def test_the_queue_shows_pending_due_overdue_and_the_finished_ones() -> None:
    due, overdue = local(25, 10), local(26, 10)
    assert rules.view("open", due=due, overdue=overdue, now=local(25, 9)) == "pending"
    assert rules.view("open", due=due, overdue=overdue, now=local(25, 10)) == "due"
    assert rules.view("open", due=due, overdue=overdue, now=local(26, 10)) == "overdue"
    assert rules.view("completed", due=due, overdue=overdue, now=local(30, 9)) == "completed"
    assert rules.view("unreachable", due=due, overdue=overdue, now=local(30, 9)) == "unreachable"


def test_an_attempt_says_whether_a_reached_resident_is_satisfied() -> None:
    rules.check_attempt(reached=True, satisfied=True)
    rules.check_attempt(reached=True, satisfied=False)
    rules.check_attempt(reached=False, satisfied=None)
    with pytest.raises(AttemptError, match="give satisfied"):
        rules.check_attempt(reached=True, satisfied=None)
    with pytest.raises(AttemptError, match="left out"):
        rules.check_attempt(reached=False, satisfied=True)


def test_misses_keep_the_callback_open_until_the_limit_makes_it_unreachable() -> None:
    assert rules.after_miss(1, max_attempts=3) is Status.OPEN
    assert rules.after_miss(2, max_attempts=3) is Status.OPEN
    assert rules.after_miss(3, max_attempts=3) is Status.UNREACHABLE
    assert rules.after_miss(1, max_attempts=1) is Status.UNREACHABLE


def test_staff_record_attempts_only_on_open_callbacks() -> None:
    rules.check_staff_may_record(Status.OPEN, answered_by_link=False)
    with pytest.raises(TransitionError, match="through the callback link"):
        rules.check_staff_may_record(Status.COMPLETED, answered_by_link=True)
    with pytest.raises(TransitionError, match="completed"):
        rules.check_staff_may_record(Status.COMPLETED, answered_by_link=False)
    with pytest.raises(TransitionError, match="unreachable"):
        rules.check_staff_may_record(Status.UNREACHABLE, answered_by_link=False)


def test_a_refused_attempt_says_why_in_chinese_too() -> None:
    with pytest.raises(TransitionError) as closed:
        rules.check_staff_may_record(Status.COMPLETED, answered_by_link=False)
    assert closed.value.zh == "回访状态为“已回访”，不再记录回访尝试"
    with pytest.raises(TransitionError) as cancelled:
        rules.check_staff_may_record(Status.CANCELLED, answered_by_link=False)
    assert cancelled.value.zh == "回访状态为“已取消”，不再记录回访尝试"
    with pytest.raises(AttemptError) as contradicts:
        rules.satisfied_of(satisfied=True, outcome_level="dissatisfied")
    assert contradicts.value.zh == "satisfied=true 与满意程度“不满意”（dissatisfied）相矛盾"


def test_the_resident_may_answer_until_someone_has() -> None:
    assert rules.link_usable(Status.OPEN)
    assert rules.link_usable(Status.UNREACHABLE)
    assert not rules.link_usable(Status.COMPLETED)


def test_outcomes_and_tokens() -> None:
    assert rules.outcome_of(satisfied=True) == "satisfied"
    assert rules.outcome_of(satisfied=False) == "unsatisfied"
    assert rules.hash_token("abc") != "abc"
    assert rules.hash_token("abc") == rules.hash_token("abc")
