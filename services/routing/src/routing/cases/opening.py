"""Opening a case from a received complaint: department, handler, deadlines, first events."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing import metrics
from routing.cases import deadlines, rules
from routing.cases.assignment import pick_handler
from routing.cases.events import emit_new
from routing.cases.models import Case
from routing.organisation import service as organisation
from routing.rules import service as site_rules
from routing.rules.rules import SiteRules
from shared.clock import utcnow
from shared.contracts.intake import ComplaintReceived, ImmediateReply
from shared.contracts.routing import CaseAssigned, CaseResolved
from shared.db.engine import after_commit

# Built once: composing a statement costs more than running it on this hot path.
EXISTING = select(col(Case.id)).where(col(Case.complaint_id) == bindparam("complaint_id"))
IMMEDIATE_RESULT = "Answered on the spot when the complaint was received"


async def open_case(
    session: AsyncSession, *, complaint: ComplaintReceived, correlation_id: str | None
) -> Case | None:
    """Open the complaint's case (once per complaint; None when it is open already)."""
    if await _exists(session, complaint.complaint_id):
        return None
    now = utcnow()
    found = await site_rules.load_site_rules(session, site_id=complaint.site_id, today=now.date())
    department = found.department_for(
        category=complaint.category, kind=complaint.kind, severity=complaint.severity
    )
    case = _new_case(complaint, department=department, correlation_id=correlation_id, now=now)
    session.add(case)
    if complaint.immediate_reply is not None:
        await _open_answered(session, case, complaint.immediate_reply)
    else:
        await _open_for_work(session, case, found)
    immediate = str(complaint.immediate_reply is not None).lower()
    after_commit(session, metrics.cases_opened.labels(case.site_id, immediate).inc)
    return case


async def _exists(session: AsyncSession, complaint_id: str) -> bool:
    return await session.scalar(EXISTING, {"complaint_id": complaint_id}) is not None


def _new_case(
    complaint: ComplaintReceived, *, department: str, correlation_id: str | None, now: datetime
) -> Case:
    return Case(
        id=str(uuid.uuid4()),
        complaint_id=complaint.complaint_id,
        site_id=complaint.site_id,
        reference=complaint.reference,
        correlation_id=correlation_id,
        channel=complaint.channel,
        kind=complaint.kind,
        category=complaint.category,
        severity=complaint.severity,
        reporter_type=complaint.reporter_type,
        household_id=complaint.household_id,
        description=complaint.description,
        location=complaint.location,
        received_at=complaint.received_at,
        status=rules.Status.ASSIGNED,
        level="handler",
        department=department,
        opened_at=now,
        updated_at=now,
    )


async def _open_for_work(session: AsyncSession, case: Case, found: SiteRules) -> None:
    handler = await pick_handler(session, site_id=case.site_id, department=case.department)
    case.handler_id = case.owner_id = handler
    acknowledge, resolve = found.deadlines(
        deadlines.clock_start(case), category=case.category, severity=case.severity
    )
    case.acknowledge_due_at, case.resolve_due_at = acknowledge, resolve
    await deadlines.arm_next(session, case)
    await deadlines.arm_warnings(session, case, found, start=deadlines.clock_start(case))
    await emit_new(
        session,
        case,
        CaseAssigned,
        actor=None,
        department=case.department,
        handler=handler,
        acknowledge_due_at=acknowledge,
        resolve_due_at=resolve,
        reference=case.reference,
        **await organisation.names(
            session, site_id=case.site_id, department=case.department, handler=handler
        ),
    )


async def _open_answered(session: AsyncSession, case: Case, reply: ImmediateReply) -> None:
    answered_at = min(reply.replied_at, case.opened_at)
    case.status = rules.Status.RESOLVED
    case.answered_immediately = True
    case.acknowledged_at = case.resolved_at = answered_at
    case.result, case.reply = IMMEDIATE_RESULT, reply.text
    await emit_new(
        session,
        case,
        CaseAssigned,
        actor=None,
        department=case.department,
        already_resolved=True,
        reference=case.reference,
    )
    await emit_new(
        session,
        case,
        CaseResolved,
        actor=reply.replied_by,
        result=IMMEDIATE_RESULT,
        reply=reply.text,
        immediate=True,
    )
