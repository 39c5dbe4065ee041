"""The corrective/preventive action's state machine, the recurring-problem rule and the
effectiveness checks: pure, no I/O.

An action is `open` when raised (by a department head from cases, by a topic under target,
or by a recurring problem), `planned` once its cause is analysed and the action, owner and
due time are set, `completed` when the owner has carried it out, and `verified` when it
proved effective. An action found not effective goes back to `planned` (DESIGN.md §1
rules 9 and 13).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from shared.words import value


class Status(StrEnum):
    OPEN = "open"
    PLANNED = "planned"
    COMPLETED = "completed"
    VERIFIED = "verified"


UNVERIFIED = frozenset({Status.OPEN, Status.PLANNED, Status.COMPLETED})


class Action(StrEnum):
    PLAN = "plan"
    COMPLETE = "complete"
    VERIFY_EFFECTIVE = "verify_effective"
    VERIFY_INEFFECTIVE = "verify_ineffective"


S = Status
TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.PLAN: {S.OPEN: S.PLANNED, S.PLANNED: S.PLANNED},
    Action.COMPLETE: {S.PLANNED: S.COMPLETED},
    Action.VERIFY_EFFECTIVE: {S.COMPLETED: S.VERIFIED},
    Action.VERIFY_INEFFECTIVE: {S.COMPLETED: S.PLANNED},
}


class IllegalTransition(Exception):
    """The action's state does not allow the step (409)."""

    def __init__(self, detail: str, zh: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh
        """The detail in Chinese."""


def next_status(action: Action, status: Status) -> Status:
    """The status after `action`, or IllegalTransition."""
    allowed = TRANSITIONS[action]
    if status not in allowed:
        raise IllegalTransition(
            f"An action that is {status.value} cannot {action.value}",
            f"措施当前为“{value('action_status', status.value, 'zh')}”，"
            f"不能{value('action_step', action.value, 'zh')}",
        )
    return allowed[status]


def may_complete(*, owner: bool, manager: bool) -> bool:
    """The action's owner, or a department head or leader, reports it carried out."""
    return owner or manager


def available(status: Status, *, manager: bool, completes: bool) -> list[str]:
    """The steps the reader may take now, in page order: plan, complete, verify. `manager`
    passes the managers' routes; `completes` is `may_complete` for a worker."""
    steps = {
        "plan": manager and status in TRANSITIONS[Action.PLAN],
        "complete": completes and status in TRANSITIONS[Action.COMPLETE],
        "verify": manager and status in TRANSITIONS[Action.VERIFY_EFFECTIVE],
    }
    return [step for step, allowed in steps.items() if allowed]


NOT_CARRIED_OUT = frozenset({Status.OPEN, Status.PLANNED})


def is_overdue(status: Status, due_at: datetime | None, now: datetime) -> bool:
    """Not yet carried out, and past its due time."""
    return status in NOT_CARRIED_OUT and due_at is not None and due_at < now


def verification(effective: bool) -> Action:
    """The step a verification takes."""
    return Action.VERIFY_EFFECTIVE if effective else Action.VERIFY_INEFFECTIVE


@dataclass(frozen=True)
class RecurringPolicy:
    """How many valid complaints of one category at one site, within how many days, recur."""

    threshold: int = 5
    window_days: int = 30


def is_recurring(valid_in_window: int, policy: RecurringPolicy) -> bool:
    """True when the valid complaints in the window (this one included) reach the threshold."""
    return valid_in_window >= policy.threshold


def effective_by_complaints(*, before: int, after: int, policy: RecurringPolicy) -> bool:
    """Effective when fewer valid complaints came after than before, and too few to recur."""
    return after < before and not is_recurring(after, policy)
