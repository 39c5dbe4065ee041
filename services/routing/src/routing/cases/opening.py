"""Opening a case from a received complaint: department, handler, deadlines, first events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing import metrics
from routing.cases import deadlines, rules
from routing.cases.events import emit_new
from routing.cases.models import Case
from routing.db import after_commit
from routing.organisation.models import Staff
from routing.rules import service as site_rules
from routing.rules.rules import SiteRules
from shared.clock import utcnow
from shared.contracts.intake import ComplaintReceived, ImmediateReply
from shared.contracts.routing import CaseAssigned, CaseResolved

STAFF: Table = Staff.__table__  # type: ignore[attr-defined]
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


async def pick_handler(session: AsyncSession, *, site_id: str, department: str) -> str | None:
    """The department's active handler whose turn it is (None: the department has none).

    Handlers take new cases in turn (轮流派单). Concurrent openings skip a handler another
    transaction is assigning, so they never wait on each other for the same row.
    """
    taken = await session.execute(_take_turn(site_id, department))
    found: str | None = taken.scalar_one_or_none()
    if found is None:  # every handler is being assigned right now: share the first in turn
        found = await session.scalar(_first_in_turn(STAFF, site_id, department))
    return found


def _pool(staff: FromClause, site_id: str, department: str) -> list[ColumnElement[bool]]:
    return [
        staff.c.site_id == site_id,
        staff.c.department == department,
        staff.c.role == "handler",
        staff.c.active.is_(True),
    ]


def _first_in_turn(staff: FromClause, site_id: str, department: str) -> Select[tuple[Any]]:
    return (
        select(staff.c.staff_id)
        .where(*_pool(staff, site_id, department))
        .order_by(func.coalesce(staff.c.last_turn, 0), staff.c.staff_id)
        .limit(1)
    )


def _take_turn(site_id: str, department: str) -> Any:
    # The subqueries read the table the UPDATE writes: aliases keep them from correlating.
    first, everyone = STAFF.alias("first_in_turn"), STAFF.alias("everyone")
    next_id = (
        _first_in_turn(first, site_id, department)
        .with_only_columns(first.c.id)
        .with_for_update(skip_locked=True)
    )
    newest = select(func.coalesce(func.max(everyone.c.last_turn), 0) + 1).where(
        *_pool(everyone, site_id, department)
    )
    return (
        update(STAFF)
        .where(STAFF.c.id == next_id.scalar_subquery())
        .values(last_turn=newest.scalar_subquery())
        .returning(STAFF.c.staff_id)
    )


async def _exists(session: AsyncSession, complaint_id: str) -> bool:
    query = select(col(Case.id)).where(col(Case.complaint_id) == complaint_id)
    return await session.scalar(query) is not None


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
        case.opened_at, category=case.category, severity=case.severity
    )
    case.acknowledge_due_at = acknowledge
    await deadlines.arm(session, case, deadlines.ACKNOWLEDGE, acknowledge)
    await deadlines.arm_resolve(session, case, resolve)
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
    )


async def _open_answered(session: AsyncSession, case: Case, reply: ImmediateReply) -> None:
    answered_at = min(reply.replied_at, case.opened_at)
    case.status = rules.Status.RESOLVED
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
