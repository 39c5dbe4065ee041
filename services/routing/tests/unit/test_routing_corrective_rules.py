"""The corrective/preventive action state machine, exhaustively, and the recurring rule.

The expected table is written out here by hand, from issue 5 and DESIGN.md §1 rules 9 and
13, not derived from the code's own table.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from routing.corrective.rules import (
    UNVERIFIED,
    Action,
    IllegalTransition,
    RecurringPolicy,
    Status,
    available,
    effective_by_complaints,
    is_overdue,
    is_recurring,
    may_complete,
    next_status,
    verification,
)

OP, P, C, V = Status.OPEN, Status.PLANNED, Status.COMPLETED, Status.VERIFIED

EXPECTED: dict[str, dict[Status, Status]] = {
    "plan": {OP: P, P: P},
    "complete": {P: C},
    "verify_effective": {C: V},
    "verify_ineffective": {C: P},
}
CELLS = list(itertools.product(sorted(EXPECTED), list(Status)))


def test_the_table_names_every_action() -> None:
    assert set(EXPECTED) == {a.value for a in Action}


@pytest.mark.parametrize(("action", "status"), CELLS)
def test_every_action_from_every_state(action: str, status: Status) -> None:
    expected = EXPECTED[action].get(status)
    if expected is None:
        with pytest.raises(IllegalTransition):
            next_status(Action(action), status)
    else:
        assert next_status(Action(action), status) is expected


def test_verification_picks_its_step() -> None:
    assert verification(True) is Action.VERIFY_EFFECTIVE
    assert verification(False) is Action.VERIFY_INEFFECTIVE


def test_only_verified_actions_are_closed() -> None:
    assert {OP, P, C} == UNVERIFIED


@pytest.mark.parametrize(
    ("count", "threshold", "recurs"),
    [(0, 1, False), (1, 1, True), (4, 5, False), (5, 5, True), (6, 5, True), (2, 3, False)],
)
def test_a_category_recurs_when_its_valid_complaints_reach_the_threshold(
    count: int, threshold: int, recurs: bool
) -> None:
    assert is_recurring(count, RecurringPolicy(threshold=threshold, window_days=30)) is recurs


@pytest.mark.parametrize(
    ("before", "after", "effective"),
    [
        (5, 0, True),
        (5, 4, True),
        (5, 5, False),
        (5, 7, False),
        (9, 5, False),  # fewer, but still a recurring problem by itself
        (0, 0, False),  # nothing to improve on: not shown effective by the count
    ],
)
def test_an_action_is_effective_when_fewer_came_after_and_too_few_to_recur(
    before: int, after: int, effective: bool
) -> None:
    policy = RecurringPolicy(threshold=5, window_days=30)
    assert effective_by_complaints(before=before, after=after, policy=policy) is effective


@pytest.mark.parametrize(
    ("status", "manager", "completes", "steps"),
    [
        (OP, True, True, ["plan"]),
        (P, True, True, ["plan", "complete"]),
        (P, False, True, ["complete"]),
        (P, False, False, []),
        (C, True, True, ["verify"]),
        (C, False, True, []),
        (V, True, True, []),
    ],
)
def test_the_steps_a_reader_may_take_follow_the_state_and_their_standing(
    status: Status, manager: bool, completes: bool, steps: list[str]
) -> None:
    assert available(status, manager=manager, completes=completes) == steps


def test_the_owner_or_a_manager_completes() -> None:
    assert may_complete(owner=True, manager=False)
    assert may_complete(owner=False, manager=True)
    assert not may_complete(owner=False, manager=False)


NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        (OP, None, False),
        (OP, NOW - timedelta(minutes=1), True),
        (P, NOW - timedelta(minutes=1), True),
        (P, NOW + timedelta(minutes=1), False),
        (C, NOW - timedelta(days=1), False),
        (V, NOW - timedelta(days=1), False),
    ],
)
def test_overdue_while_not_carried_out_past_its_due_time(
    status: Status, due: datetime | None, overdue: bool
) -> None:
    assert is_overdue(status, due, NOW) is overdue
