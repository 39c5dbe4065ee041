"""Events produced by routing: the case of each complaint, from opening to closing.

Every case event names the case, its complaint and site, who acted and when, so that
intake's timeline and notify can use it without asking routing. The case is the aggregate:
its events carry the case's version in the envelope, gap-free from 1, so a projection that
applies them strictly in order must consume every type in `case_event_types()`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.base import Event

EscalationLevel = Literal["handler", "dept_head", "vp", "gm"]
InvalidReason = Literal[
    "developer", "external_environment", "public_facility_outside_jurisdiction", "not_a_complaint"
]
EscalationReason = Literal["transmittal", "sla", "unsatisfied", "unreachable", "manual"]
Deadline = Literal["acknowledge", "resolve"]


# What alerts and messages name a case by, carried (optional) by several events: one
# declaration each, so that every event describes the same field the same way.
Reference = Annotated[str | None, Field(description="the complaint's reference")]
DepartmentName = Annotated[str | None, Field(description="the department's name")]
DepartmentNameZh = Annotated[str | None, Field(description="its Chinese name")]
HandlerId = Annotated[str | None, Field(description="staff id of the case's handler")]
HandlerName = Annotated[str | None, Field(description="the handler's name")]
ComplaintText = Annotated[str | None, Field(description="the complaint's text")]
OwnerId = Annotated[str | None, Field(description="staff id holding the case")]


class CaseEvent(Event):
    """What every case event carries."""

    source = "routing"

    case_id: str
    complaint_id: str
    site_id: str
    actor: str | None = Field(default=None, description="staff id; null when routing acted")
    at: datetime


class CaseAssigned(CaseEvent):
    """The case was opened and given to a department (and, if chosen, a handler)."""

    type = "case.assigned"

    department: str
    handler: str | None = None
    acknowledge_due_at: datetime | None = None
    resolve_due_at: datetime | None = None
    already_resolved: bool = False
    reference: Reference = None
    department_name: DepartmentName = None
    department_name_zh: DepartmentNameZh = None
    handler_name: HandlerName = None


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
    """The case went up the chain: by transmittal slip, SLA breach or its callback.

    A callback escalates it when the resident is not satisfied, or could not be reached and
    the site escalates such cases.
    """

    type = "case.escalated"

    level: EscalationLevel
    reason: EscalationReason
    slip_number: str | None = None
    from_level: EscalationLevel | None = Field(default=None, description="the level it left")
    owner: str | None = Field(default=None, description="staff id now holding the case")
    note: str | None = Field(default=None, description="the transmittal slip's reason")
    department: str | None = Field(default=None, description="the case's department")
    department_name: DepartmentName = None
    department_name_zh: DepartmentNameZh = None
    handler: HandlerId = None
    handler_name: HandlerName = None
    description: ComplaintText = None


class CaseAssignmentNoticed(CaseEvent):
    """A superior issued a work assignment notice to the main responsible department."""

    type = "case.assignment_noticed"

    notice_number: str
    department: str
    handler: str | None = None
    instructions: str
    due_at: datetime
    slip_number: str | None = Field(default=None, description="the slip it answers")
    department_name: DepartmentName = None
    department_name_zh: DepartmentNameZh = None
    handler_name: HandlerName = None


class CaseForwardedToDeveloper(CaseEvent):
    """The complaint concerns the developer; the case waits for the developer's answer."""

    type = "case.forwarded_to_developer"

    note: str | None = None
    follow_up_due_at: datetime | None = None
    reference: Reference = None
    department: str | None = Field(default=None, description="the case's department")
    department_name: DepartmentName = None
    department_name_zh: DepartmentNameZh = None
    handler: HandlerId = None
    handler_name: HandlerName = None
    description: ComplaintText = None
    location: str | None = Field(default=None, description="where the complaint is about")


class CaseFollowUpReminded(CaseEvent):
    """The developer has not answered yet: the handler is reminded to follow up."""

    type = "case.follow_up_reminded"

    reminder: int = Field(ge=1, description="1 for the first reminder, and so on")
    handler: str | None = None
    forwarded_at: datetime | None = None
    reference: Reference = None
    department: str | None = Field(default=None, description="the case's department")
    department_name: DepartmentName = None
    department_name_zh: DepartmentNameZh = None
    handler_name: HandlerName = None
    description: ComplaintText = None


class CaseDeveloperAnswered(CaseEvent):
    """The developer's answer was recorded; the case is worked again."""

    type = "case.developer_answered"

    answer: str


class CaseResolved(CaseEvent):
    """The case was resolved; `reply` is the answer given to the resident."""

    type = "case.resolved"

    result: str
    reply: str
    immediate: bool = Field(default=False, description="answered on the spot at intake")


class CaseClosed(CaseEvent):
    """The resident is satisfied; the case is closed."""

    type = "case.closed"

    callback_id: str | None = None


class CaseClosedUnreachable(CaseEvent):
    """The callback could not reach the resident: the case is closed as unreachable.

    The site's setting closes such cases (the other setting escalates them); a close of
    this kind is not a satisfied one, and the complaint report counts it apart.
    """

    type = "case.closed_unreachable"

    callback_id: str
    attempts: int = Field(ge=1, description="the unanswered calls the callback made")
    department: str
    handler: HandlerId = None


class CaseReopened(CaseEvent):
    """The resident is not satisfied; the case is open again."""

    type = "case.reopened"

    reason: str | None = None
    callback_id: str | None = None


class CaseWithdrawn(CaseEvent):
    """The resident withdrew the complaint: the case is finished, no reply or callback follows."""

    type = "case.withdrawn"

    reason: str | None = Field(default=None, description="the resident's reason, if given")
    withdrawn_at: datetime
    from_status: str = Field(description="the case's status when it was withdrawn")
    department: str
    handler: HandlerId = None
    owner: OwnerId = None


class CaseSupplemented(CaseEvent):
    """The resident added information; it is on the case's history for its handler."""

    type = "case.supplemented"

    text: str
    added_by: str
    added_at: datetime
    department: str
    handler: HandlerId = None
    owner: OwnerId = None


class SlaBreached(CaseEvent):
    """A case missed its acknowledge or resolve deadline (it is escalated in the same step)."""

    type = "sla.breached"

    deadline: Deadline
    due_at: datetime
    level: EscalationLevel = Field(description="the level the case was at when it breached")
    department: str
    department_name: DepartmentName = None
    department_name_zh: DepartmentNameZh = None
    handler: HandlerId = None
    handler_name: HandlerName = None
    description: ComplaintText = None


class SlaWarned(Event):
    """A case's deadline is near (a share of its time has passed): its handler is warned.

    Not a case event: it changes nothing on the case, so it takes no place in the case's
    version sequence and a projection of the case need not consume it.
    """

    type = "sla.warned"
    source = "routing"

    case_id: str
    complaint_id: str
    site_id: str
    at: datetime
    reference: Reference = None
    deadline: Deadline
    due_at: datetime
    share: int = Field(ge=1, le=99, description="percent of the deadline's time that has passed")
    level: EscalationLevel = Field(description="the level the case is at")
    department: str
    department_name: DepartmentName = None
    department_name_zh: DepartmentNameZh = None
    handler: HandlerId = None
    handler_name: HandlerName = None
    description: ComplaintText = None


def case_event_types() -> list[str]:
    """Every event type routing emits about a case, in the case's version sequence."""
    return sorted(_types(CaseEvent))


def _types(cls: type[Event]) -> set[str]:
    found = {cls.type} if "type" in cls.__dict__ else set()
    for sub in cls.__subclasses__():
        found |= _types(sub)
    return found


class RectificationAccepted(Event):
    """A rectification's work passed acceptance (inspection): every department hears of it."""

    type = "rectification.accepted"
    source = "routing"

    rectification_id: str
    number: str = Field(description="the rectification's printed number")
    site_id: str
    title: str
    problem: str
    measures: str
    case_id: str | None = Field(default=None, description="the case it was opened from, if any")
    complaint_id: str | None = None
    items: int = Field(ge=0, description="how many plan items were done")
    accepted_by: str
    accepted_at: datetime
    report_url: str | None = Field(default=None, description="the printable rectification report")


class ReportPublished(Event):
    """A complaint report for a site and period is ready for the VP in charge."""

    type = "report.published"
    source = "routing"

    report_id: str
    site_id: str
    period: str = Field(description="what the report covers, e.g. 2026-10 for a month")
    period_start: datetime
    period_end: datetime = Field(description="exclusive")
    complaints: int = Field(ge=0, description="all complaints of the period, valid and invalid")
    valid: int = Field(ge=0)
    invalid: int = Field(ge=0)
    url: str = Field(description="the printable HTML report in routing")
    published_at: datetime


RectificationOrigin = Literal["case", "finding", "manager"]
ActionKind = Literal["corrective", "preventive"]
ActionSource = Literal["cases", "survey", "recurring"]
VerificationBasis = Literal["survey", "complaints", "manual"]


class RectificationEvent(Event):
    """What every rectification event carries (the rectification is its own aggregate)."""

    source = "routing"

    rectification_id: str
    number: str = Field(description="the rectification's printed number")
    site_id: str
    actor: str | None = Field(default=None, description="staff id; null when routing acted")
    at: datetime


class PlanItem(BaseModel):
    """One item of a rectification plan, owned by a rectification team (a department)."""

    model_config = ConfigDict(frozen=True)

    position: int = Field(ge=1)
    team: str = Field(description="the department code of the rectification team")
    task: str
    due_at: datetime


class RectificationOpened(RectificationEvent):
    """A rectification was opened: the problem, the measures, the completion time, the plan."""

    type = "rectification.opened"

    origin: RectificationOrigin
    case_id: str | None = None
    complaint_id: str | None = None
    title: str
    problem: str
    measures: str
    due_at: datetime
    items: list[PlanItem] = Field(default_factory=list)


class RectificationItemReported(RectificationEvent):
    """A rectification team reported on its item (progress, or that it is done)."""

    type = "rectification.item_reported"

    position: int = Field(ge=1)
    team: str
    note: str
    done: bool = False


class RectificationSubmitted(RectificationEvent):
    """Every item is done: the rectification waits for acceptance (验收)."""

    type = "rectification.submitted"

    items: int = Field(ge=0)


class RectificationRejected(RectificationEvent):
    """Acceptance failed: the named items go back to their teams with the reasons."""

    type = "rectification.rejected"

    reason: str
    reopened: list[int] = Field(default_factory=list, description="positions of the items")
    due_at: datetime | None = Field(default=None, description="their new due time, if any")


class RectificationItemOverdue(RectificationEvent):
    """An item passed its due time undone; it went one level up the site's chain."""

    type = "rectification.item_overdue"

    position: int = Field(ge=1)
    team: str
    due_at: datetime
    level: EscalationLevel = Field(description="the level the item was escalated to")
    owner: str | None = Field(default=None, description="staff id holding that level")
    task: str | None = Field(default=None, description="what the team was to do")
    title: str | None = Field(default=None, description="the rectification's title")


class CorrectiveActionEvent(Event):
    """What every corrective/preventive action event carries."""

    source = "routing"

    action_id: str
    number: str
    site_id: str
    kind: ActionKind
    actor: str | None = Field(default=None, description="staff id; null when routing acted")
    at: datetime


class CorrectiveActionOpened(CorrectiveActionEvent):
    """An action was opened: by a department head from cases, or by routing itself."""

    type = "corrective_action.opened"

    origin: ActionSource = Field(description="cases, survey (topic under target), recurring")
    problem: str
    case_ids: list[str] = Field(default_factory=list)
    category: str | None = None
    topic: str | None = None
    campaign_id: str | None = None


class CorrectiveActionPlanned(CorrectiveActionEvent):
    """The cause was analysed and the action, its owner and due time recorded."""

    type = "corrective_action.planned"

    analysis: str
    action: str
    owner: str
    due_at: datetime


class CorrectiveActionCompleted(CorrectiveActionEvent):
    """The owner carried the action out; its effectiveness is still to be verified."""

    type = "corrective_action.completed"

    note: str | None = None


class CorrectiveActionVerified(CorrectiveActionEvent):
    """The action's effectiveness was verified; not effective sends it back to be planned."""

    type = "corrective_action.verified"

    effective: bool
    basis: VerificationBasis
    rate_before: float | None = None
    rate_after: float | None = None
    target: float | None = None
    complaints_before: int | None = None
    complaints_after: int | None = None
    note: str | None = None


class CorrectiveActionOverdue(CorrectiveActionEvent):
    """A planned action passed its due time undone; it went one level up its owner's chain."""

    type = "corrective_action.overdue"

    due_at: datetime
    level: EscalationLevel = Field(description="the level the action was escalated to")
    owner: str = Field(description="staff id of the action's owner")
    department: str | None = Field(default=None, description="the owner's department")
    escalated_to: str | None = Field(default=None, description="staff id holding that level")
    action: str | None = Field(default=None, description="what the owner was to do")


class ProblemRecurringDetected(Event):
    """The same category at one site passed the threshold of valid complaints in a window."""

    type = "problem.recurring_detected"
    source = "routing"

    site_id: str
    category: str
    complaints: int = Field(ge=0, description="valid complaints in the window")
    threshold: int = Field(ge=1)
    window_days: int = Field(ge=1)
    action_id: str = Field(description="the corrective action opened for it")
    detected_at: datetime
