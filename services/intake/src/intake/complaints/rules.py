"""Pure decisions about complaints: references, who may report on which channel, statuses."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

RECEIVED = "received"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
CLOSED = "closed"
REOPENED = "reopened"
WITHDRAWN = "withdrawn"
STATUSES = (RECEIVED, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED, REOPENED, WITHDRAWN)
FINISHED = frozenset({CLOSED, WITHDRAWN})
"""A finished complaint takes no more supplements and cannot be withdrawn."""

FUTURE_TOLERANCE = timedelta(minutes=5)
"""Clocks of call-center systems drift; a little ahead of ours is not the future."""


def local_day(at: datetime, *, timezone: str) -> date:
    """The date at the site when `at` happened."""
    return at.astimezone(ZoneInfo(timezone)).date()


def reference(code: str, day: date, sequence: int) -> str:
    """`GH-20261126-0042`: site code, site-local date, daily sequence (4 digits or more)."""
    return f"{code}-{day:%Y%m%d}-{sequence:04d}"


def reporter_problem(channel: str, reporter_type: str) -> tuple[str, str] | None:
    """Why the reporter does not fit the channel (in English and Chinese), or None: staff
    findings come from staff."""
    if channel == "staff_finding" and reporter_type != "staff":
        return (
            "a staff finding is reported by staff: reporter.type must be staff",
            "员工发现须由员工报告：reporter.type 须为 staff",
        )
    if reporter_type == "staff" and channel != "staff_finding":
        return (
            "a staff member's report comes through the staff_finding channel",
            "员工的报告须通过 staff_finding（员工发现）渠道提交",
        )
    return None


def in_the_future(at: datetime | None, *, now: datetime) -> bool:
    """True when `at` is later than now (beyond clock drift)."""
    return at is not None and at > now + FUTURE_TOLERANCE


def location_text(building: str | None, unit: str | None, common_area: str | None) -> str | None:
    """`B3-1202`, `B3 · lobby`, `north gate`: where, in the site's own labels."""
    place = "-".join(p for p in (building, unit) if p)
    text = " · ".join(p for p in (place, common_area) if p)
    return text or None


def source_of(subject: str) -> str:
    """Who filed it, as stored: the caller's token subject, cut to the column's 200."""
    return subject[:200]


def open_to_follow_up(status: str) -> bool:
    """Supplements and withdrawals are taken until the complaint is finished."""
    return status not in FINISHED


# Work has started: the status moves on from waiting, and no further.
_WORK_STARTED = frozenset(
    {
        "case.accepted",
        "case.progressed",
        "case.validity_judged",
        "case.escalated",
        "case.assignment_noticed",
        "case.forwarded_to_developer",
        "case.developer_answered",
    }
)
_WAITING = frozenset({RECEIVED, ASSIGNED, REOPENED})


FINISHING = {"case.closed": CLOSED, "case.closed_unreachable": CLOSED, "case.reopened": REOPENED}
"""Events that close the complaint, or open it again."""


def next_status(current: str, event_type: str, *, already_resolved: bool = False) -> str:
    """The complaint's status after a case event (a withdrawn complaint stays withdrawn)."""
    if current == WITHDRAWN:
        return current
    if event_type == "case.assigned" and current != CLOSED:
        return RESOLVED if already_resolved else ASSIGNED
    if event_type in _WORK_STARTED:
        return IN_PROGRESS if current in _WAITING else current
    if event_type == "case.resolved" and current != CLOSED:
        return RESOLVED
    return FINISHING.get(event_type, current)


def closed_at(before: str, after: str, *, at: datetime, was: datetime | None) -> datetime | None:
    """When the complaint was finished: set on closing, cleared on reopening."""
    if after == CLOSED and before != CLOSED:
        return at
    if after == REOPENED:
        return None
    return was
