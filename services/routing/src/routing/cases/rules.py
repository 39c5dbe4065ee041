"""The case's state machine and who may move it: pure decisions, no I/O.

A case is `assigned` until someone acknowledges it, `in_progress` while it is worked,
`transmitted` while a work transmittal slip waits for the superior's decision,
`with_developer` while the developer's answer is awaited, `resolved` once the resident
has a reply, and `closed` when the callback found the resident satisfied. An unsatisfied
callback opens it again (DESIGN.md §1 rules 3-7). A complaint the resident withdraws
before the case is closed leaves it `withdrawn`: finished, with nothing more to do. A
callback that reaches nobody closes the case as unreachable, or — by the site's setting —
puts it `in_progress` again, escalated, for the superior to finish.

Human actions are checked twice: first who acts (403), then whether the case's state
allows the action (409). Routing's own actions (callbacks, SLA deadlines, reminders) are
taken by nobody in particular and are refused to people.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from routing.organisation.rules import LEVELS, Chain, Level, next_level
from shared.words import value


class Status(StrEnum):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    TRANSMITTED = "transmitted"
    WITH_DEVELOPER = "with_developer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = frozenset(
    {Status.ASSIGNED, Status.IN_PROGRESS, Status.TRANSMITTED, Status.WITH_DEVELOPER}
)


class Action(StrEnum):
    ACCEPT = "accept"
    PROGRESS = "progress"
    JUDGE_VALIDITY = "judge_validity"
    TRANSMIT = "transmit"
    ISSUE_NOTICE = "issue_notice"
    FORWARD_TO_DEVELOPER = "forward_to_developer"
    RECORD_DEVELOPER_ANSWER = "record_developer_answer"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    BREACH_ACKNOWLEDGE = "breach_acknowledge"
    BREACH_RESOLVE = "breach_resolve"
    REMIND_FOLLOW_UP = "remind_follow_up"
    WITHDRAW = "withdraw"
    SUPPLEMENT = "supplement"
    CLOSE_UNREACHABLE = "close_unreachable"
    ESCALATE_UNREACHABLE = "escalate_unreachable"


S = Status
TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.ACCEPT: {S.ASSIGNED: S.IN_PROGRESS},
    Action.PROGRESS: {s: s for s in (S.IN_PROGRESS, S.TRANSMITTED, S.WITH_DEVELOPER)},
    Action.JUDGE_VALIDITY: {S.IN_PROGRESS: S.IN_PROGRESS},
    Action.TRANSMIT: {S.IN_PROGRESS: S.TRANSMITTED, S.TRANSMITTED: S.TRANSMITTED},
    Action.ISSUE_NOTICE: {s: S.IN_PROGRESS for s in (S.ASSIGNED, S.IN_PROGRESS, S.TRANSMITTED)},
    Action.FORWARD_TO_DEVELOPER: {S.IN_PROGRESS: S.WITH_DEVELOPER},
    Action.RECORD_DEVELOPER_ANSWER: {S.WITH_DEVELOPER: S.IN_PROGRESS},
    Action.RESOLVE: {S.IN_PROGRESS: S.RESOLVED},
    Action.CLOSE: {S.RESOLVED: S.CLOSED},
    Action.REOPEN: {S.RESOLVED: S.IN_PROGRESS, S.CLOSED: S.IN_PROGRESS},
    Action.BREACH_ACKNOWLEDGE: {S.ASSIGNED: S.ASSIGNED},
    Action.BREACH_RESOLVE: {s: s for s in (S.ASSIGNED, S.IN_PROGRESS, S.TRANSMITTED)},
    Action.REMIND_FOLLOW_UP: {S.WITH_DEVELOPER: S.WITH_DEVELOPER},
    # A closed case stays closed: the resident was satisfied, and the record stands.
    Action.WITHDRAW: {s: S.WITHDRAWN for s in (*OPEN_STATUSES, S.RESOLVED)},
    # What the resident adds is never lost, whatever the case's state.
    Action.SUPPLEMENT: {s: s for s in S},
    # The resident was replied to but could not be asked: finished, or open for the superior.
    Action.CLOSE_UNREACHABLE: {S.RESOLVED: S.CLOSED},
    Action.ESCALATE_UNREACHABLE: {S.RESOLVED: S.IN_PROGRESS},
}

# A complaint answered on the spot opens resolved and is never in progress; its validity is
# still judged afterwards, so that the complaint report counts it (DESIGN.md §1 rules 2-3).
ANSWERED_IMMEDIATELY: dict[Action, dict[Status, Status]] = {
    Action.JUDGE_VALIDITY: {S.RESOLVED: S.RESOLVED, S.CLOSED: S.CLOSED},
}

SYSTEM_ACTIONS = frozenset(
    {
        Action.CLOSE,
        Action.REOPEN,
        Action.BREACH_ACKNOWLEDGE,
        Action.BREACH_RESOLVE,
        Action.REMIND_FOLLOW_UP,
        Action.WITHDRAW,
        Action.SUPPLEMENT,
        Action.CLOSE_UNREACHABLE,
        Action.ESCALATE_UNREACHABLE,
    }
)
HOLDER_ACTIONS = frozenset({Action.TRANSMIT, Action.ISSUE_NOTICE})
"""Only whoever holds the case's current level may hand it up or assign it."""
HUMAN_ACTIONS = (
    Action.ACCEPT,
    Action.PROGRESS,
    Action.JUDGE_VALIDITY,
    Action.TRANSMIT,
    Action.ISSUE_NOTICE,
    Action.FORWARD_TO_DEVELOPER,
    Action.RECORD_DEVELOPER_ANSWER,
    Action.RESOLVE,
)
"""What people do to a case, in the order a case page offers them."""
SUMMARY_LENGTH = 140


class Refused(Exception):
    """An action that may not happen; `status` is the HTTP status that says why."""

    status = 409

    def __init__(self, detail: str, zh: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh
        """The detail in Chinese."""


class Forbidden(Refused):
    """The actor may not take this action on this case (403)."""

    status = 403


class IllegalTransition(Refused):
    """The case's state does not allow the action (409)."""

    status = 409


@dataclass(frozen=True)
class CaseState:
    """What the decisions need to know about a case."""

    status: Status
    level: Level = "handler"
    validity: str | None = None
    invalid_reason: str | None = None
    answered_immediately: bool = False


@dataclass(frozen=True)
class Standing:
    """The levels of one case's chain an actor holds (empty: not on the chain)."""

    holds: frozenset[Level] = frozenset()

    @property
    def on_chain(self) -> bool:
        """True when the actor holds some level of the case's chain."""
        return bool(self.holds)


SYSTEM: Standing | None = None
"""The standing of routing itself: callbacks, deadlines and reminders."""


def standing_of(actor: str, *, chain: Chain, in_department: bool) -> Standing:
    """The levels `actor` holds: the department's staff all hold the handler level."""
    holds = {level for level in LEVELS if chain.holder(level) == actor}
    if in_department:
        holds.add("handler")
    return Standing(holds=frozenset(holds))


def decide(action: Action, state: CaseState, standing: Standing | None) -> Status:
    """The status after `action`, or Forbidden (403) / IllegalTransition (409)."""
    check_actor(action, state, standing)
    return next_status(action, state)


def available_actions(state: CaseState, standing: Standing | None) -> list[Action]:
    """The human actions `standing` may take on a case in `state` right now, in page order."""
    return [action for action in HUMAN_ACTIONS if _allowed(action, state, standing)]


def _allowed(action: Action, state: CaseState, standing: Standing | None) -> bool:
    try:
        check_actor(action, state, standing)
        next_status(action, state)
    except Refused:
        return False
    return True


def check_actor(action: Action, state: CaseState, standing: Standing | None) -> None:
    """Forbidden unless the actor may take `action` on a case in `state`."""
    if action in SYSTEM_ACTIONS:
        if standing is not None:
            raise Forbidden(
                f"{action.value} is routing's own step; nobody takes it by hand",
                f"“{_zh(action)}”由系统自动完成，不能手工操作",
            )
        return
    if standing is None or not standing.on_chain:
        raise Forbidden(
            "Only staff of the case's department and its chain act on it",
            "只有该投诉所在部门的员工及其上级可以处理",
        )
    if action in HOLDER_ACTIONS and state.level not in standing.holds:
        raise Forbidden(
            f"Only the case's current holder ({state.level}) may {action.value} it",
            f"只有当前负责人（{value('level', state.level, 'zh')}）可以{_zh(action)}",
        )


def next_status(action: Action, state: CaseState) -> Status:
    """The status after `action`, or IllegalTransition."""
    allowed = TRANSITIONS[action]
    if state.answered_immediately:
        allowed = {**allowed, **ANSWERED_IMMEDIATELY.get(action, {})}
    if state.status not in allowed:
        raise IllegalTransition(
            f"A case that is {state.status.value} cannot {action.value}",
            f"投诉当前为“{value('status', state.status.value, 'zh')}”，不能{_zh(action)}",
        )
    _check_guards(action, state)
    return allowed[state.status]


def _check_guards(action: Action, state: CaseState) -> None:
    if action is Action.TRANSMIT and next_level(state.level) is None:
        raise IllegalTransition(
            "The general manager is the top of the chain", "总经理已是最高一级，不能再上报"
        )
    if action is Action.ISSUE_NOTICE and state.level == "handler":
        raise IllegalTransition(
            "Only a case handed up the chain gets a work assignment notice",
            "只有经工作传签上报的投诉才能发出工作安排通知单",
        )
    if action is Action.FORWARD_TO_DEVELOPER and not is_developer_complaint(state):
        raise IllegalTransition(
            "Judge the complaint invalid for the developer before forwarding",
            "转交发展商前，请先判定为发展商原因的无效投诉",
        )


def is_developer_complaint(state: CaseState) -> bool:
    """True when the complaint was judged invalid because of the developer."""
    return state.validity == "invalid" and state.invalid_reason == "developer"


def escalation_target(level: Level) -> Level | None:
    """Where an escalation from `level` goes: one level up, or nowhere above the GM."""
    return next_level(level)


def summary_of(description: str) -> str:
    """The start of a complaint's text for a list: 140 characters, "…" when cut."""
    if len(description) <= SUMMARY_LENGTH:
        return description
    return description[:SUMMARY_LENGTH] + "…"


def _zh(action: Action) -> str:
    return value("case_action", action.value, "zh")
