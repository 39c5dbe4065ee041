"""A complaint answered on the spot is judged once answered; a worked case only in progress."""

from __future__ import annotations

import pytest

from routing.cases.rules import (
    HUMAN_ACTIONS,
    Action,
    CaseState,
    Forbidden,
    IllegalTransition,
    Standing,
    Status,
    available_actions,
    decide,
)

HANDLER = Standing(holds=frozenset({"handler"}))
ANSWERED = (Status.RESOLVED, Status.CLOSED)


def on_the_spot(status: Status, **changes: str) -> CaseState:
    return CaseState(status=status, answered_immediately=True, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", ANSWERED)
def test_an_answered_complaint_is_judged_and_stays_as_it_is(status: Status) -> None:
    assert decide(Action.JUDGE_VALIDITY, on_the_spot(status), HANDLER) is status
    judged = on_the_spot(status, validity="valid")
    assert decide(Action.JUDGE_VALIDITY, judged, HANDLER) is status  # judged again: corrected


@pytest.mark.parametrize("status", ANSWERED)
def test_judging_is_all_its_page_offers(status: Status) -> None:
    assert available_actions(on_the_spot(status), HANDLER) == [Action.JUDGE_VALIDITY]
    assert available_actions(on_the_spot(status), Standing()) == []


@pytest.mark.parametrize("status", ANSWERED)
def test_nothing_else_is_done_to_it_and_strangers_do_nothing(status: Status) -> None:
    for action in HUMAN_ACTIONS:
        if action is not Action.JUDGE_VALIDITY:
            with pytest.raises(IllegalTransition):
                decide(action, on_the_spot(status), HANDLER)
    with pytest.raises(Forbidden):
        decide(Action.JUDGE_VALIDITY, on_the_spot(status), Standing())


@pytest.mark.parametrize("status", ANSWERED)
def test_a_case_answered_after_work_was_judged_while_in_progress(status: Status) -> None:
    assert decide(Action.JUDGE_VALIDITY, on_the_spot(Status.IN_PROGRESS), HANDLER) is (
        Status.IN_PROGRESS
    )
    with pytest.raises(IllegalTransition, match=status.value):
        decide(Action.JUDGE_VALIDITY, CaseState(status=status), HANDLER)
