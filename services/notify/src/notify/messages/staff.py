"""Messages to staff: work assignments, escalation and deadline alerts, the complaint
report, and rectification results (DESIGN.md §1 rules 6, 8, 10)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts import rules
from notify.contacts import staff as directory
from notify.contacts.rules import Recipient
from notify.messages import refs
from notify.messages.sending import send, skip
from shared.contracts.base import Envelope
from shared.contracts.routing import (
    CaseAssigned,
    CaseAssignmentNoticed,
    CaseEscalated,
    RectificationAccepted,
    ReportPublished,
    SlaBreached,
)


async def work_assignment(
    event: CaseAssigned, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The responsible department hears that a case is theirs."""
    await refs.remember_case(session, event=event)
    if event.already_resolved:  # answered on the spot: nothing left to do for them
        skip(session, "work_assignment", "already_resolved")
        return
    also = [event.handler] if event.handler else []
    recipients = await directory.department(
        session, site_id=event.site_id, department=event.department, also=also
    )
    context = {
        "reference": await refs.reference(
            session, complaint_id=event.complaint_id, given=event.reference
        ),
        **_names(event),
        "acknowledge_due_at": event.acknowledge_due_at,
        "resolve_due_at": event.resolve_due_at,
    }
    await send(
        session,
        envelope=envelope,
        kind="work_assignment",
        site_id=event.site_id,
        recipients=recipients,
        context=context,
        complaint_id=event.complaint_id,
    )


def _names(event: CaseAssigned | CaseAssignmentNoticed) -> dict[str, str | None]:
    """The department and handler as people read them: names when routing sent them."""
    department = event.department_name or event.department
    return {
        "department": department,
        "department_zh": event.department_name_zh or department,
        "handler": event.handler_name or event.handler,
    }


async def assignment_notice(
    event: CaseAssignmentNoticed, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A superior's work assignment notice reaches the main responsible department."""
    also = [event.handler] if event.handler else []
    recipients = await directory.department(
        session, site_id=event.site_id, department=event.department, also=also
    )
    context = {
        "reference": await refs.reference(session, complaint_id=event.complaint_id, given=None),
        "notice_number": event.notice_number,
        **_names(event),
        "instructions": event.instructions,
        "due_at": event.due_at,
        "slip_number": event.slip_number,
    }
    await send(
        session,
        envelope=envelope,
        kind="assignment_notice",
        site_id=event.site_id,
        recipients=recipients,
        context=context,
        complaint_id=event.complaint_id,
    )


async def escalation_alert(
    event: CaseEscalated, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The superior who now holds the case is alerted."""
    recipients = await _holder(session, event.site_id, event.complaint_id, event.level, event.owner)
    context = {
        "reference": await refs.reference(session, complaint_id=event.complaint_id, given=None),
        "level": event.level,
        "from_level": event.from_level,
        "reason": event.reason,
        "slip_number": event.slip_number,
        "note": event.note,
        **await _alert_names(session, event),
    }
    await send(
        session,
        envelope=envelope,
        kind="escalation_alert",
        site_id=event.site_id,
        recipients=recipients,
        context=context,
        complaint_id=event.complaint_id,
    )


async def sla_breach_alert(
    event: SlaBreached, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The superior of the level that missed the deadline is alerted."""
    level = rules.superior_of(event.level)
    recipients = await _holder(
        session, event.site_id, event.complaint_id, level, None, event.department
    )
    context = {
        "reference": await refs.reference(session, complaint_id=event.complaint_id, given=None),
        "deadline": event.deadline,
        "due_at": event.due_at,
        "level": event.level,
        **await _alert_names(session, event),
    }
    await send(
        session,
        envelope=envelope,
        kind="sla_breach_alert",
        site_id=event.site_id,
        recipients=recipients,
        context=context,
        complaint_id=event.complaint_id,
    )


async def _alert_names(
    session: AsyncSession, event: CaseEscalated | SlaBreached
) -> dict[str, str | None]:
    """The department and handler by name, and the complaint's text, as an alert shows them."""
    department = event.department_name or event.department
    if department is None:
        ref = await refs.get(session, complaint_id=event.complaint_id)
        department = ref.department if ref is not None else None
    return {
        "department": department,
        "department_zh": event.department_name_zh or department,
        "handler": event.handler_name or event.handler,
        "description": event.description,
    }


async def complaint_report(
    event: ReportPublished, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The VP in charge receives the period's complaint report."""
    recipients = await directory.by_role(session, site_id=event.site_id, role="vp")
    context = {
        "period": event.period,
        "complaints": event.complaints,
        "valid": event.valid,
        "invalid": event.invalid,
        "url": event.url,
    }
    await send(
        session,
        envelope=envelope,
        kind="complaint_report",
        site_id=event.site_id,
        recipients=recipients,
        context=context,
    )


async def rectification_result(
    event: RectificationAccepted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Every department of the site hears that a rectification passed acceptance."""
    recipients = await directory.department_heads(session, site_id=event.site_id)
    context = event.model_dump(
        include={"number", "title", "problem", "measures", "items", "accepted_at", "report_url"}
    )
    await send(
        session,
        envelope=envelope,
        kind="rectification_accepted",
        site_id=event.site_id,
        recipients=recipients,
        context=context,
        complaint_id=event.complaint_id,
    )


async def _holder(
    session: AsyncSession,
    site_id: str,
    complaint_id: str,
    level: str,
    owner: str | None,
    department: str | None = None,
) -> list[Recipient]:
    """The named owner; else whoever holds the level's role (of the case's department)."""
    if owner:
        found = await directory.by_id(session, site_id=site_id, staff_ids=[owner])
        if found:
            return found
    if level in ("handler", "dept_head"):
        if department is None:
            ref = await refs.get(session, complaint_id=complaint_id)
            department = ref.department if ref is not None else None
        if department is None:
            return []
        return await directory.by_role(session, site_id=site_id, role=level, department=department)
    return await directory.by_role(session, site_id=site_id, role=level)
