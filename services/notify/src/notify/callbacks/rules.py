"""Pure decisions about callbacks (回访): when one falls due, what an attempt leads to.

A callback is `open` from the final reply until the resident is asked: staff call (an
attempt reaches the resident or not) or the resident answers through the single-use link
sent with the reply. Reached ends it `completed`; after the configured number of attempts
that reach nobody it is `unreachable` — kept and shown, never silently closed. A callback
still open when its complaint is withdrawn is `cancelled`: nobody is to call. Open
callbacks are *due* from their due time (moved into the office's working hours) and
*overdue* once they have waited longer than the overdue limit (DESIGN.md §1 rule 7).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Literal

from notify.sites.office import WorkingHours
from shared.words import value

MAX_COMMENT = 2000


class Status(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"


View = Literal["pending", "due", "overdue", "completed", "unreachable", "cancelled"]
Outcome = Literal["satisfied", "unsatisfied", "unreachable"]


class AttemptError(ValueError):
    """An attempt that contradicts itself (answered 422); `zh`: why, in Chinese."""

    def __init__(self, detail: str, zh: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh


class TransitionError(ValueError):
    """The callback's state refuses the attempt (answered 409); `zh`: why, in Chinese."""

    def __init__(self, detail: str, zh: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh


def into_working_hours(at: datetime, hours: WorkingHours) -> datetime:
    """`at` if the office is open then, else the next opening time (UTC-aware)."""
    if not hours.days or hours.opens >= hours.closes:
        return at  # no usable hours configured: never push a callback out of reach
    local = at.astimezone(hours.zone)
    for _ in range(8):
        if local.weekday() in hours.days and local.time() < hours.closes:
            if local.time() >= hours.opens:
                return local.astimezone(at.tzinfo)
            opening = datetime.combine(local.date(), hours.opens, tzinfo=hours.zone)
            return opening.astimezone(at.tzinfo)
        next_day = local.date() + timedelta(days=1)
        local = datetime.combine(next_day, time(0), tzinfo=hours.zone)
    return at


def due_at(resolved_at: datetime, *, delay: timedelta, hours: WorkingHours) -> datetime:
    """When the callback of a case resolved at `resolved_at` falls due."""
    return into_working_hours(resolved_at + delay, hours)


def view(status: str, *, due: datetime, overdue: datetime, now: datetime) -> View:
    """How the queue shows a callback now."""
    if status == Status.COMPLETED:
        return "completed"
    if status == Status.UNREACHABLE:
        return "unreachable"
    if status == Status.CANCELLED:
        return "cancelled"
    if now >= overdue:
        return "overdue"
    return "due" if now >= due else "pending"


SATISFIED_LEVELS = ("very_satisfied", "satisfied")


def satisfied_of(*, satisfied: bool | None, outcome_level: str | None) -> bool | None:
    """Whether the resident is satisfied: said outright, or read off the outcome level
    (very satisfied or satisfied); AttemptError when the two disagree."""
    if outcome_level is None:
        return satisfied
    derived = outcome_level in SATISFIED_LEVELS
    if satisfied is not None and satisfied != derived:
        said = str(satisfied).lower()
        raise AttemptError(
            f"satisfied={said} contradicts {outcome_level}",
            f"satisfied={said} 与满意程度“{value('scale', outcome_level, 'zh')}”"
            f"（{outcome_level}）相矛盾",
        )
    return derived


def check_attempt(*, reached: bool, satisfied: bool | None, levels: bool = False) -> None:
    """AttemptError unless a reached resident said whether they are satisfied, and an
    unreached one did not (nor gave any level)."""
    if not reached and levels:
        raise AttemptError(
            "nobody was reached, so the levels must be left out",
            "未联系上业户，不能填写满意程度",
        )
    if reached and satisfied is None:
        raise AttemptError(
            "a reached resident is satisfied or not: give satisfied",
            "已联系上业户，须说明是否满意：请填写 satisfied",
        )
    if not reached and satisfied is not None:
        raise AttemptError(
            "nobody was reached, so satisfied must be left out",
            "未联系上业户，不能填写 satisfied",
        )


def check_staff_may_record(status: str, *, answered_by_link: bool) -> None:
    """TransitionError unless staff may record an attempt on the callback now."""
    if status == Status.OPEN:
        return
    if answered_by_link:
        raise TransitionError(
            "the resident answered through the callback link already",
            "业户已通过回访链接作答",
        )
    raise TransitionError(
        f"the callback is {status}; no more attempts are recorded",
        f"回访状态为“{_state_zh(status)}”，不再记录回访尝试",
    )


def _state_zh(status: str) -> str:
    """A closed callback's state in the glossary's words (a cancelled one is no view of the
    queue, so `callback_state` has no words for it)."""
    return "已取消" if status == Status.CANCELLED else value("callback_state", status, "zh")


def link_usable(status: str) -> bool:
    """The resident may answer while the callback is open, or after nobody reached them."""
    return status in (Status.OPEN, Status.UNREACHABLE)


def after_miss(attempts: int, *, max_attempts: int) -> Status:
    """The state after `attempts` attempts (this one included) that reached nobody."""
    return Status.UNREACHABLE if attempts >= max_attempts else Status.OPEN


def outcome_of(*, satisfied: bool) -> Outcome:
    """The metric label of a completed callback."""
    return "satisfied" if satisfied else "unsatisfied"


def hash_token(token: str) -> str:
    """What is stored of a link's token: its SHA-256, so a leaked table opens no form."""
    return hashlib.sha256(token.encode()).hexdigest()
