"""Event handlers of staff and resident messages. Each runs in the consumer's transaction,
after its inbox claim; the event's id is the message's source, so a redelivered event
queues nothing twice."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify.messages import developer, followups, refs, residents, staff, work
from shared.contracts.base import Envelope
from shared.contracts.intake import ComplaintContactGiven, ComplaintReceived
from shared.contracts.routing import (
    CaseAssigned,
    CaseAssignmentNoticed,
    CaseEscalated,
    CaseFollowUpReminded,
    CaseForwardedToDeveloper,
    CaseProgressed,
    CaseSupplemented,
    CorrectiveActionOverdue,
    CorrectiveActionPlanned,
    RectificationAccepted,
    RectificationItemOverdue,
    RectificationOpened,
    ReportPublished,
    SlaBreached,
    SlaWarned,
)
from shared.contracts.surveys import SurveyInvitationIssued, SurveyReminderIssued


async def on_case_assigned(
    event: CaseAssigned, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The work assignment notice to the responsible department."""
    await staff.work_assignment(session, event=event, envelope=envelope)


async def on_case_assignment_noticed(
    event: CaseAssignmentNoticed, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A superior's work assignment notice to the main responsible department."""
    await staff.assignment_notice(session, event=event, envelope=envelope)


async def on_case_escalated(
    event: CaseEscalated, *, session: AsyncSession, envelope: Envelope
) -> None:
    """An alert to the superior now holding the case."""
    await staff.escalation_alert(session, event=event, envelope=envelope)


async def on_sla_breached(event: SlaBreached, *, session: AsyncSession, envelope: Envelope) -> None:
    """An alert to the superior of the level that missed the deadline."""
    await staff.sla_breach_alert(session, event=event, envelope=envelope)


async def on_sla_warned(event: SlaWarned, *, session: AsyncSession, envelope: Envelope) -> None:
    """A warning to the handler that a deadline is near."""
    await work.sla_warning(session, event=event, envelope=envelope)


async def on_case_supplemented(
    event: CaseSupplemented, *, session: AsyncSession, envelope: Envelope
) -> None:
    """What the resident added, to the case's handler."""
    await followups.supplement(session, event=event, envelope=envelope)


async def on_case_forwarded_to_developer(
    event: CaseForwardedToDeveloper, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The forwarded complaint, to the site's developer contact."""
    await developer.forwarded(session, event=event, envelope=envelope)


async def on_case_follow_up_reminded(
    event: CaseFollowUpReminded, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The reminder to chase the developer, to the handler and to the developer."""
    await developer.reminded(session, event=event, envelope=envelope)


async def on_report_published(
    event: ReportPublished, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The complaint report to the VP in charge."""
    await staff.complaint_report(session, event=event, envelope=envelope)


async def on_rectification_accepted(
    event: RectificationAccepted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The acceptance result to every department of the site."""
    await staff.rectification_result(session, event=event, envelope=envelope)


async def on_rectification_opened(
    event: RectificationOpened, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Each rectification team's items and due times, to the team."""
    await work.rectification_items(session, event=event, envelope=envelope)


async def on_corrective_action_planned(
    event: CorrectiveActionPlanned, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The planned action and its due time, to its owner."""
    await work.corrective_action(session, event=event, envelope=envelope)


async def on_corrective_action_overdue(
    event: CorrectiveActionOverdue, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The overdue action, to the level it went up to."""
    await work.corrective_action_overdue(session, event=event, envelope=envelope)


async def on_rectification_item_overdue(
    event: RectificationItemOverdue, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The overdue rectification item, to the level it went up to."""
    await work.rectification_item_overdue(session, event=event, envelope=envelope)


async def on_complaint_received(
    event: ComplaintReceived, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The acknowledgement to the resident (per-site switch)."""
    await residents.acknowledgement(session, event=event, envelope=envelope)


async def on_complaint_contact_given(
    event: ComplaintContactGiven, *, session: AsyncSession, envelope: Envelope
) -> None:
    """How to answer the visitor who complained, kept for the acknowledgement and the reply."""
    await refs.remember_contact(session, event=event)


async def on_case_progressed(
    event: CaseProgressed, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A progress note to the resident."""
    await residents.progress(session, event=event, envelope=envelope)


async def on_survey_invitation_issued(
    event: SurveyInvitationIssued, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The survey invitation with its single-use link."""
    await residents.survey_invitation(session, event=event, envelope=envelope)


async def on_survey_reminder_issued(
    event: SurveyReminderIssued, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The reminder before the close, with its own single-use link."""
    await residents.survey_reminder(session, event=event, envelope=envelope)
