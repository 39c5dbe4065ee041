"""The rectification's state machine and who may report on an item: pure, no I/O.

A rectification is `in_progress` while its teams work their items, `in_acceptance` once
every item is done (DESIGN.md §1 rule 8), and `accepted` when the work passed inspection.
A rejected acceptance sends it back to `in_progress` with the named items reopened.
An item is `open` until its team reports it `done`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from routing.organisation.rules import Level, next_level
from shared.words import value


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    IN_ACCEPTANCE = "in_acceptance"
    ACCEPTED = "accepted"


OPEN_STATUSES = frozenset({Status.IN_PROGRESS, Status.IN_ACCEPTANCE})


class ItemStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class Action(StrEnum):
    REPORT = "report"
    COMPLETE_ITEM = "complete_item"
    SUBMIT = "submit"
    ACCEPT = "accept"
    REJECT = "reject"
    ITEM_OVERDUE = "item_overdue"


S = Status
TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.REPORT: {S.IN_PROGRESS: S.IN_PROGRESS},
    Action.COMPLETE_ITEM: {S.IN_PROGRESS: S.IN_PROGRESS},
    Action.SUBMIT: {S.IN_PROGRESS: S.IN_ACCEPTANCE},
    Action.ACCEPT: {S.IN_ACCEPTANCE: S.ACCEPTED},
    Action.REJECT: {S.IN_ACCEPTANCE: S.IN_PROGRESS},
    Action.ITEM_OVERDUE: {S.IN_PROGRESS: S.IN_PROGRESS},
}

ITEM_ACTIONS = frozenset({Action.REPORT, Action.COMPLETE_ITEM, Action.ITEM_OVERDUE})
"""Actions on one item: the item must still be open."""


class IllegalTransition(Exception):
    """The rectification's (or the item's) state does not allow the action (409)."""

    def __init__(self, detail: str, zh: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh
        """The detail in Chinese."""


def next_status(action: Action, status: Status, item: ItemStatus | None = None) -> Status:
    """The status after `action`, or IllegalTransition."""
    allowed = TRANSITIONS[action]
    doing = value("rectification_action", action.value, "zh")
    if status not in allowed:
        raise IllegalTransition(
            f"A rectification that is {status.value} cannot {action.value}",
            f"整改当前为“{value('rectification_status', status.value, 'zh')}”，不能{doing}",
        )
    if action in ITEM_ACTIONS and item is not ItemStatus.OPEN:
        raise IllegalTransition(
            f"An item that is done cannot {action.value}", f"整改项已完成，不能{doing}"
        )
    return allowed[status]


def after_report(*, done: bool, open_items: int) -> list[Action]:
    """The steps a team's report takes: the report, and a submission when it closed the last."""
    if not done:
        return [Action.REPORT]
    return [Action.COMPLETE_ITEM, Action.SUBMIT] if open_items == 1 else [Action.COMPLETE_ITEM]


@dataclass(frozen=True)
class Reporter:
    """Where someone stands towards one item's team on the item's site."""

    department: str | None = None
    heads: frozenset[str] = frozenset()
    leader: bool = False
    admin: bool = False


def may_report(reporter: Reporter, team: str) -> bool:
    """Members and the head of the team, the site's VP and GM, and admins report on an item."""
    return (
        reporter.admin or reporter.leader or team in reporter.heads or (reporter.department == team)
    )


def reportable(
    status: Status, items: list[tuple[int, str, ItemStatus]], reporter: Reporter
) -> list[int]:
    """The positions of the open items `reporter` may report on now (while in progress)."""
    if status is not Status.IN_PROGRESS:
        return []
    return [p for p, team, s in items if s is ItemStatus.OPEN and may_report(reporter, team)]


def acceptance_actions(status: Status, *, manager: bool) -> list[str]:
    """What a manager may do to work waiting for acceptance: accept it or reject it."""
    return ["accept", "reject"] if manager and status is Status.IN_ACCEPTANCE else []


def is_overdue(status: Status, due_at: datetime, *, late_items: bool, now: datetime) -> bool:
    """Not yet accepted, and past its completion time or with an open item past its own."""
    return status is not Status.ACCEPTED and (due_at < now or late_items)


def overdue_level(current: Level) -> Level | None:
    """Where an overdue item goes: one level above where it is, nowhere above the GM."""
    return next_level(current)
