"""What a case page offers: the human actions a person may take on a case right now.

Each expectation is written out by hand from DESIGN.md §1 and the state machine's table,
so that a change in who may do what shows up here as well as in the actions themselves.
"""

from __future__ import annotations

import itertools

import pytest

from routing.cases.rules import (
    HUMAN_ACTIONS,
    SUMMARY_LENGTH,
    SYSTEM,
    SYSTEM_ACTIONS,
    Action,
    CaseState,
    Refused,
    Standing,
    Status,
    available_actions,
    decide,
    summary_of,
)
from routing.organisation.rules import LEVELS

A = Action
HANDLER = Standing(holds=frozenset({"handler"}))
DEPT_HEAD = Standing(holds=frozenset({"handler", "dept_head"}))
VP = Standing(holds=frozenset({"vp"}))
STRANGER = Standing()


def _names(actions: list[Action]) -> list[str]:
    return [a.value for a in actions]


def test_the_page_order_names_every_human_action_once() -> None:
    assert _names(list(HUMAN_ACTIONS)) == [
        "accept",
        "progress",
        "judge_validity",
        "transmit",
        "issue_notice",
        "forward_to_developer",
        "record_developer_answer",
        "resolve",
    ]
    assert set(HUMAN_ACTIONS) | SYSTEM_ACTIONS == set(Action)
    assert not set(HUMAN_ACTIONS) & SYSTEM_ACTIONS


def test_a_handler_of_the_department_may_accept_an_assigned_case_but_not_transmit_it() -> None:
    offered = available_actions(CaseState(status=Status.ASSIGNED), HANDLER)
    assert offered == [A.ACCEPT]


def test_an_in_progress_case_at_handler_level_offers_the_handlers_work() -> None:
    offered = available_actions(CaseState(status=Status.IN_PROGRESS), HANDLER)
    assert offered == [A.PROGRESS, A.JUDGE_VALIDITY, A.TRANSMIT, A.RESOLVE]
    assert A.ISSUE_NOTICE not in offered


def test_a_case_judged_invalid_for_the_developer_may_be_forwarded() -> None:
    state = CaseState(status=Status.IN_PROGRESS, validity="invalid", invalid_reason="developer")
    offered = available_actions(state, HANDLER)
    assert offered == [A.PROGRESS, A.JUDGE_VALIDITY, A.TRANSMIT, A.FORWARD_TO_DEVELOPER, A.RESOLVE]


@pytest.mark.parametrize("reason", ["external_environment", "not_a_complaint"])
def test_a_case_invalid_for_another_reason_is_not_forwarded(reason: str) -> None:
    state = CaseState(status=Status.IN_PROGRESS, validity="invalid", invalid_reason=reason)
    assert A.FORWARD_TO_DEVELOPER not in available_actions(state, HANDLER)


def test_a_case_with_the_developer_awaits_the_answer() -> None:
    state = CaseState(status=Status.WITH_DEVELOPER, validity="invalid", invalid_reason="developer")
    assert available_actions(state, HANDLER) == [A.PROGRESS, A.RECORD_DEVELOPER_ANSWER]


def test_a_transmitted_case_is_handed_on_or_assigned_only_by_its_holder() -> None:
    state = CaseState(status=Status.TRANSMITTED, level="dept_head")
    assert available_actions(state, HANDLER) == [A.PROGRESS]
    assert available_actions(state, DEPT_HEAD) == [A.PROGRESS, A.TRANSMIT, A.ISSUE_NOTICE]
    assert available_actions(state, VP) == [A.PROGRESS]


def test_the_general_manager_holding_a_case_cannot_transmit_it_further() -> None:
    state = CaseState(status=Status.TRANSMITTED, level="gm")
    gm = Standing(holds=frozenset({"gm"}))
    assert available_actions(state, gm) == [A.PROGRESS, A.ISSUE_NOTICE]


@pytest.mark.parametrize("status", list(Status))
def test_someone_off_the_chain_and_routing_itself_are_offered_nothing(status: Status) -> None:
    state = CaseState(status=status, level="dept_head", validity="invalid")
    assert available_actions(state, STRANGER) == []
    assert available_actions(state, SYSTEM) == []


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
@pytest.mark.parametrize("level", LEVELS)
def test_a_resolved_or_closed_case_offers_nothing(status: Status, level: str) -> None:
    state = CaseState(status=status, level=level, validity="invalid", invalid_reason="developer")  # type: ignore[arg-type]
    assert available_actions(state, Standing(holds=frozenset(LEVELS))) == []


STATES = [
    CaseState(status=s, level=lv, validity=v, invalid_reason=r)  # type: ignore[arg-type]
    for s, lv, (v, r) in itertools.product(
        list(Status), LEVELS, [(None, None), ("valid", None), ("invalid", "developer")]
    )
]
STANDINGS = [STRANGER, HANDLER, DEPT_HEAD, VP, Standing(holds=frozenset(LEVELS))]


@pytest.mark.parametrize("state", STATES)
def test_what_is_offered_is_exactly_what_the_decision_lets_through(state: CaseState) -> None:
    for standing in STANDINGS:
        allowed = []
        for action in HUMAN_ACTIONS:
            try:
                decide(action, state, standing)
            except Refused:
                continue
            allowed.append(action)
        assert available_actions(state, standing) == allowed


def test_a_short_description_is_its_own_summary() -> None:
    text = "楼" * SUMMARY_LENGTH
    assert summary_of(text) == text
    assert summary_of("灯坏了") == "灯坏了"


def test_a_long_description_is_cut_at_140_characters_with_an_ellipsis() -> None:
    text = "楼道灯坏了" * 40
    assert summary_of(text) == text[:140] + "…"
    assert len(summary_of(text)) == 141
    assert summary_of("x" * 141) == "x" * 140 + "…"
