"""Pure decisions about notices: what a kind is, when a notice is valid, how it may change.

A notice is `scheduled` until its publish time, then `published` (every household in scope
got it); an update of a published notice is a new revision sent to the same households,
and a cancellation tells them the work is off. An unpublished notice is only rescheduled
or dropped: nobody has seen it yet (DESIGN.md §1 rule 14).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from shared.contracts import notify as notices
from shared.contracts.notify import NoticeKind
from shared.words import value

Kind = NoticeKind
ScopeKind = Literal["site", "buildings", "units"]
Channel = Literal["sms", "email", "webhook", "phone_task"]

DISRUPTIONS: frozenset[str] = frozenset(notices.DISRUPTIONS)
"""Work that disturbs residents' lives: announced beforehand, with its start and end."""
ESSENTIAL: frozenset[str] = DISRUPTIONS | {"safety_warning"}
"""Sent even to households that opted out of non-essential messages."""
SIGNED: frozenset[str] = frozenset(notices.SIGNED)
"""Kinds that disturb safety or daily life, so a warning sign is posted on site."""


class Status(StrEnum):
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class NoticeError(ValueError):
    """A notice that cannot be accepted as given; the message says what to change, `zh` the
    same in Chinese."""

    def __init__(self, detail: str, zh: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh


class TransitionError(ValueError):
    """A change the notice's state does not allow (answered 409); `zh`: why, in Chinese."""

    def __init__(self, detail: str, zh: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.zh = zh


def is_essential(kind: str) -> bool:
    """Essential notices (safety, outages, lifts, water tanks) ignore the opt-out."""
    return kind in ESSENTIAL


def has_sign(kind: str) -> bool:
    """True when the kind gets a warning sign page."""
    return kind in SIGNED


@dataclass(frozen=True)
class Timing:
    """When the disruption runs and when the notice goes out."""

    starts_at: datetime | None
    ends_at: datetime | None
    publish_at: datetime


def check_timing(kind: str, timing: Timing) -> None:
    """NoticeError unless the times make sense for the kind."""
    starts, ends = timing.starts_at, timing.ends_at
    if kind in DISRUPTIONS and (starts is None or ends is None):
        raise NoticeError(
            f"a {kind} notice needs the disruption's starts_at and ends_at",
            f"“{value('notice_kind', kind, 'zh')}”通知单须给出作业的开始时间 starts_at "
            "和结束时间 ends_at",
        )
    if ends is not None and starts is None:
        raise NoticeError("ends_at needs starts_at", "给出 ends_at 时须同时给出 starts_at")
    if starts is not None and ends is not None and ends <= starts:
        raise NoticeError("ends_at must be after starts_at", "ends_at 必须晚于 starts_at")
    if ends is not None and timing.publish_at >= ends:
        raise NoticeError(
            "publish_at must be before the disruption ends (ends_at)",
            "发布时间 publish_at 必须早于作业结束时间 ends_at",
        )


def check_scope(scope: ScopeKind, ids: Collection[str]) -> None:
    """NoticeError unless buildings and units name at least one id, and a site names none."""
    if scope == "site" and ids:
        raise NoticeError(
            "a whole-site notice takes no ids; use scope buildings or units",
            "发给全体业户的通知单不能指定编号；"
            "请改用 scope buildings（指定楼栋）或 units（指定单元）",
        )
    if scope != "site" and not ids:
        raise NoticeError(
            f"scope {scope} needs at least one id",
            f"范围“{value('notice_scope', scope, 'zh')}”（{scope}）至少要有一个编号",
        )


PUBLISHED_FIXED = ("kind", "scope", "channels", "publish_at")
"""What a published notice can no longer change: it reached its households already."""


def check_update(status: str, changed: Collection[str], *, ended: bool = False) -> None:
    """TransitionError unless the notice in `status` may change the fields `changed`
    (`ended`: the disruption of a published notice is over)."""
    if status == Status.CANCELLED:
        raise TransitionError(
            "the notice was cancelled; publish a new one instead",
            "通知单已取消；请另发一份新的通知单",
        )
    if status == Status.PUBLISHED and ended:
        raise TransitionError(
            "the disruption is over; there is nothing left to change",
            "作业已结束，没有可以更改的内容",
        )
    fixed = sorted(set(changed) & set(PUBLISHED_FIXED))
    if status == Status.PUBLISHED and fixed:
        raise TransitionError(
            f"the notice is published; {', '.join(fixed)} can no longer change "
            "(cancel it and publish a new one)",
            f"通知单已发布，{', '.join(fixed)} 不能再更改（请取消后另发一份新的通知单）",
        )


def check_cancel(status: str, *, ended: bool = False) -> None:
    """TransitionError unless the notice can be cancelled."""
    if status == Status.CANCELLED:
        raise TransitionError("the notice is cancelled already", "通知单已经取消")
    if status == Status.PUBLISHED and ended:
        raise TransitionError(
            "the disruption is over; it can no longer be cancelled",
            "作业已结束，通知单不能再取消",
        )


def has_ended(ends_at: datetime | None, now: datetime) -> bool:
    """True once the disruption's end has passed."""
    return ends_at is not None and ends_at <= now


def message_kind(status: str, *, cancelling: bool) -> str:
    """Which message template a send uses: the notice, its update or its cancellation."""
    if cancelling:
        return "notice_cancelled"
    return "notice_updated" if status == Status.PUBLISHED else "notice"


def source_id(notice_id: str, revision: int) -> str:
    """The delivery source of one revision: one message per household and channel."""
    return f"notice:{notice_id}:{revision}"


def source_ids(notice_id: str, revision: int) -> list[str]:
    """The delivery sources of every revision up to `revision`: the notice, its updates
    and its cancellation."""
    return [source_id(notice_id, r) for r in range(1, revision + 1)]
