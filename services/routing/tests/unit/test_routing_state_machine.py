"""The case state machine, exhaustively: every action from every state, allowed or refused.

The expected table is written out here by hand, from the issue and DESIGN.md §1, and not
derived from the code's own table: a change to either shows up as a failing cell.
"""

from __future__ import annotations

import itertools

import pytest

from routing.cases import rules
from routing.cases.rules import (
    SYSTEM,
    Action,
    CaseState,
    Forbidden,
    IllegalTransition,
    Standing,
    Status,
    decide,
)
from routing.organisation.rules import LEVELS

A, P, T, D, R, C, W = (
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.TRANSMITTED,
    Status.WITH_DEVELOPER,
    Status.RESOLVED,
    Status.CLOSED,
    Status.WITHDRAWN,
)

# action -> {from status: to status}; a status missing from a row is refused (409).
EXPECTED: dict[str, dict[Status, Status]] = {
    "accept": {A: P},
    "progress": {P: P, T: T, D: D},
    "judge_validity": {P: P},
    "transmit": {P: T, T: T},
    "issue_notice": {A: P, P: P, T: P},
    "forward_to_developer": {P: D},
    "record_developer_answer": {D: P},
    "resolve": {P: R},
    "close": {R: C},
    "reopen": {R: P, C: P},
    "breach_acknowledge": {A: A},
    "breach_resolve": {A: A, P: P, T: T},
    "remind_follow_up": {D: D},
    "withdraw": {A: W, P: W, T: W, D: W, R: W},
    "supplement": {A: A, P: P, T: T, D: D, R: R, C: C, W: W},
    "close_unreachable": {R: C},
    "escalate_unreachable": {R: P},
}
BY_ROUTING = {
    "close",
    "reopen",
    "breach_acknowledge",
    "breach_resolve",
    "remind_follow_up",
    "withdraw",
    "supplement",
    "close_unreachable",
    "escalate_unreachable",
}
EVERYONE = Standing(holds=frozenset(LEVELS))

CELLS = list(itertools.product(sorted(EXPECTED), list(Status)))


def _actor(action: str) -> Standing | None:
    return SYSTEM if action in BY_ROUTING else EVERYONE


def _state(status: Status) -> CaseState:
    # A state every guard lets through: handed up to the department head, developer's fault.
    return CaseState(
        status=status, level="dept_head", validity="invalid", invalid_reason="developer"
    )


def test_the_table_names_every_action_and_nothing_else() -> None:
    assert set(EXPECTED) == {a.value for a in Action}


@pytest.mark.parametrize(("action", "status"), CELLS, ids=[f"{a}-{s}" for a, s in CELLS])
def test_every_action_from_every_state(action: str, status: Status) -> None:
    expected = EXPECTED[action].get(status)
    if expected is None:
        with pytest.raises(IllegalTransition) as refused:
            decide(Action(action), _state(status), _actor(action))
        assert refused.value.status == 409
        assert status.value in refused.value.detail
    else:
        assert decide(Action(action), _state(status), _actor(action)) is expected


@pytest.mark.parametrize("status", list(Status))
def test_a_closed_or_resolved_case_takes_no_work(status: Status) -> None:
    work = {"accept", "progress", "judge_validity", "transmit", "resolve", "forward_to_developer"}
    allowed = {a for a in work if status in EXPECTED[a]}
    assert (status in (R, C, W)) == (not allowed)


@pytest.mark.parametrize("action", sorted(BY_ROUTING))
@pytest.mark.parametrize("levels", [frozenset(), frozenset(LEVELS), frozenset({"handler"})])
def test_routing_steps_are_refused_to_people(action: str, levels: frozenset[str]) -> None:
    status = next(iter(EXPECTED[action]))
    with pytest.raises(Forbidden) as refused:
        decide(Action(action), _state(status), Standing(holds=levels))  # type: ignore[arg-type]
    assert refused.value.status == 403


@pytest.mark.parametrize("action", sorted(set(EXPECTED) - BY_ROUTING))
def test_people_steps_are_refused_to_routing_and_to_strangers(action: str) -> None:
    status = next(iter(EXPECTED[action]))
    for standing in (SYSTEM, Standing()):
        with pytest.raises(Forbidden):
            decide(Action(action), _state(status), standing)


@pytest.mark.parametrize("action", sorted(set(EXPECTED) - BY_ROUTING))
@pytest.mark.parametrize("case_level", LEVELS)
@pytest.mark.parametrize("held", LEVELS)
def test_who_may_act_at_each_level(action: str, case_level: str, held: str) -> None:
    """Working steps: anyone on the chain. Transmit and notice: only the level's holder."""
    status = next(s for s in EXPECTED[action] if s is not A) if action != "accept" else A
    state = CaseState(
        status=status, level=case_level, validity="invalid", invalid_reason="developer"
    )  # type: ignore[arg-type]
    standing = Standing(holds=frozenset({held}))  # type: ignore[arg-type]
    holder_only = action in ("transmit", "issue_notice")
    if holder_only and held != case_level:
        with pytest.raises(Forbidden):
            decide(Action(action), state, standing)
        return
    try:
        decide(Action(action), state, standing)
    except IllegalTransition:
        # Only the guards below may refuse the holder; never the actor check.
        assert (action, case_level) in {("transmit", "gm"), ("issue_notice", "handler")}


def test_the_general_manager_cannot_transmit_further() -> None:
    state = CaseState(status=P, level="gm")
    with pytest.raises(IllegalTransition, match="top of the chain"):
        decide(Action.TRANSMIT, state, Standing(holds=frozenset({"gm"})))


@pytest.mark.parametrize("level", ["dept_head", "vp", "gm"])
def test_a_superior_holding_the_case_may_issue_a_notice(level: str) -> None:
    state = CaseState(status=T, level=level)  # type: ignore[arg-type]
    assert decide(Action.ISSUE_NOTICE, state, Standing(holds=frozenset({level}))) is P  # type: ignore[arg-type]


def test_no_notice_for_a_case_still_with_its_handler() -> None:
    state = CaseState(status=P, level="handler")
    with pytest.raises(IllegalTransition, match="handed up"):
        decide(Action.ISSUE_NOTICE, state, Standing(holds=frozenset({"handler"})))


@pytest.mark.parametrize(
    ("validity", "reason", "allowed"),
    [
        (None, None, False),
        ("valid", None, False),
        ("invalid", "external_environment", False),
        ("invalid", "public_facility_outside_jurisdiction", False),
        ("invalid", "not_a_complaint", False),
        ("invalid", "developer", True),
    ],
)
def test_only_a_developer_complaint_is_forwarded(
    validity: str | None, reason: str | None, allowed: bool
) -> None:
    state = CaseState(status=P, validity=validity, invalid_reason=reason)
    if allowed:
        assert decide(Action.FORWARD_TO_DEVELOPER, state, EVERYONE) is D
    else:
        with pytest.raises(IllegalTransition, match="developer"):
            decide(Action.FORWARD_TO_DEVELOPER, state, EVERYONE)


def test_the_actor_is_checked_before_the_state() -> None:
    """A stranger learns nothing about the case's state: 403, not 409."""
    with pytest.raises(Forbidden):
        decide(Action.RESOLVE, CaseState(status=C), Standing())


def test_open_statuses_are_those_that_still_need_work() -> None:
    assert {A, P, T, D} == rules.OPEN_STATUSES
