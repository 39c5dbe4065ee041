"""The rectification state machine, exhaustively: every action from every state and item state.

The expected table is written out here by hand, from issue 5 and DESIGN.md §1 rule 8, and
not derived from the code's own table: a change to either shows up as a failing cell.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from routing.rectifications import rules
from routing.rectifications.rules import (
    Action,
    IllegalTransition,
    ItemStatus,
    Reporter,
    Status,
    after_report,
    may_report,
    next_status,
    overdue_level,
)

P, Q, A = Status.IN_PROGRESS, Status.IN_ACCEPTANCE, Status.ACCEPTED
OPEN, DONE = ItemStatus.OPEN, ItemStatus.DONE

# action -> {(rectification status, item status or None): next status}; missing: 409.
EXPECTED: dict[str, dict[tuple[Status, ItemStatus | None], Status]] = {
    "report": {(P, OPEN): P},
    "complete_item": {(P, OPEN): P},
    "item_overdue": {(P, OPEN): P},
    "submit": {(P, None): Q, (P, OPEN): Q, (P, DONE): Q},
    "accept": {(Q, None): A, (Q, OPEN): A, (Q, DONE): A},
    "reject": {(Q, None): P, (Q, OPEN): P, (Q, DONE): P},
}
CELLS = list(itertools.product(sorted(EXPECTED), list(Status), [None, OPEN, DONE]))


def test_the_table_names_every_action() -> None:
    assert set(EXPECTED) == {a.value for a in Action}


@pytest.mark.parametrize(("action", "status", "item"), CELLS)
def test_every_action_from_every_state(
    action: str, status: Status, item: ItemStatus | None
) -> None:
    expected = EXPECTED[action].get((status, item))
    if expected is None:
        with pytest.raises(IllegalTransition):
            next_status(Action(action), status, item)
    else:
        assert next_status(Action(action), status, item) is expected


def test_accepted_is_final() -> None:
    for action in Action:
        with pytest.raises(IllegalTransition):
            next_status(action, A, OPEN)


@pytest.mark.parametrize(
    ("done", "open_items", "steps"),
    [
        (False, 3, ["report"]),
        (False, 1, ["report"]),
        (True, 3, ["complete_item"]),
        (True, 2, ["complete_item"]),
        (True, 1, ["complete_item", "submit"]),
    ],
)
def test_the_last_item_done_submits_for_acceptance(
    done: bool, open_items: int, steps: list[str]
) -> None:
    assert [s.value for s in after_report(done=done, open_items=open_items)] == steps


@pytest.mark.parametrize(
    ("reporter", "allowed"),
    [
        (Reporter(department="engineering"), True),
        (Reporter(department="customer_service"), False),
        (Reporter(department=None), False),
        (Reporter(department="customer_service", heads=frozenset({"engineering"})), True),
        (Reporter(heads=frozenset({"customer_service"})), False),
        (Reporter(leader=True), True),
        (Reporter(admin=True), True),
    ],
)
def test_who_reports_on_an_engineering_item(reporter: Reporter, allowed: bool) -> None:
    assert may_report(reporter, "engineering") is allowed


@pytest.mark.parametrize(
    ("level", "up"),
    [("handler", "dept_head"), ("dept_head", "vp"), ("vp", "gm"), ("gm", None)],
)
def test_an_overdue_item_goes_one_level_up_the_chain(level: str, up: str | None) -> None:
    assert overdue_level(level) == up  # type: ignore[arg-type]


def test_open_statuses_are_those_not_yet_accepted() -> None:
    assert {P, Q} == rules.OPEN_STATUSES


ITEMS = [(1, "customer_service", OPEN), (2, "engineering", OPEN), (3, "engineering", DONE)]


@pytest.mark.parametrize(
    ("status", "reporter", "positions"),
    [
        (P, Reporter(department="engineering"), [2]),
        (P, Reporter(department="customer_service", heads=frozenset({"engineering"})), [1, 2]),
        (P, Reporter(leader=True), [1, 2]),
        (P, Reporter(), []),
        (Q, Reporter(admin=True), []),
        (A, Reporter(admin=True), []),
    ],
)
def test_only_open_items_of_ones_own_team_are_reportable_while_in_progress(
    status: Status, reporter: Reporter, positions: list[int]
) -> None:
    assert rules.reportable(status, ITEMS, reporter) == positions


@pytest.mark.parametrize(
    ("status", "manager", "actions"),
    [(Q, True, ["accept", "reject"]), (Q, False, []), (P, True, []), (A, True, [])],
)
def test_a_manager_decides_only_on_work_waiting_for_acceptance(
    status: Status, manager: bool, actions: list[str]
) -> None:
    assert rules.acceptance_actions(status, manager=manager) == actions


NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "due", "late_items", "overdue"),
    [
        (P, NOW + timedelta(days=1), False, False),
        (P, NOW + timedelta(days=1), True, True),
        (P, NOW - timedelta(minutes=1), False, True),
        (Q, NOW - timedelta(minutes=1), False, True),
        (A, NOW - timedelta(days=9), True, False),
    ],
)
def test_overdue_until_accepted_when_a_due_time_has_passed(
    status: Status, due: datetime, late_items: bool, overdue: bool
) -> None:
    assert rules.is_overdue(status, due, late_items=late_items, now=NOW) is overdue
