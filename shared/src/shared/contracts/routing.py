"""Events produced by routing: the case of each complaint, from opening to closing.

Every case event names the case, its complaint and site, who acted and when, so that
intake's timeline and notify can use it without asking routing. The case is the aggregate:
its events carry the case's version in the envelope.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from shared.contracts.base import Event

EscalationLevel = Literal["handler", "dept_head", "vp", "gm"]
InvalidReason = Literal[
    "developer", "external_environment", "public_facility_outside_jurisdiction", "not_a_complaint"
]


class CaseEvent(Event):
    """What every case event carries."""

    source = "routing"

    case_id: str
    complaint_id: str
    site_id: str
    actor: str | None = None
    at: datetime


class CaseAssigned(CaseEvent):
    """The case was opened and given to a department (and, if chosen, a handler)."""

    type = "case.assigned"

    department: str
    handler: str | None = None
    acknowledge_due_at: datetime | None = None
    resolve_due_at: datetime | None = None
    already_resolved: bool = False


class CaseAccepted(CaseEvent):
    """The handler acknowledged the case."""

    type = "case.accepted"


class CaseProgressed(CaseEvent):
    """A progress note meant for the resident."""

    type = "case.progressed"

    note: str


class CaseValidityJudged(CaseEvent):
    """The handler judged the complaint valid or invalid (with a reason)."""

    type = "case.validity_judged"

    valid: bool
    reason: InvalidReason | None = None


class CaseEscalated(CaseEvent):
    """The case went up the chain: by transmittal slip, SLA breach or an unsatisfied callback."""

    type = "case.escalated"

    level: EscalationLevel
    reason: Literal["transmittal", "sla_breach", "unsatisfied", "manual"]
    slip_number: str | None = None


class CaseForwardedToDeveloper(CaseEvent):
    """The complaint concerns the developer; the case waits for the developer's answer."""

    type = "case.forwarded_to_developer"


class CaseResolved(CaseEvent):
    """The case was resolved; `reply` is the answer given to the resident."""

    type = "case.resolved"

    result: str
    reply: str


class CaseClosed(CaseEvent):
    """The resident is satisfied; the case is closed."""

    type = "case.closed"


class CaseReopened(CaseEvent):
    """The resident is not satisfied; the case is open again."""

    type = "case.reopened"

    reason: str | None = None
