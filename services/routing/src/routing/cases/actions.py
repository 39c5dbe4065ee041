"""What staff do to a case (DESIGN.md §1 rules 3-6): take a session, never commit.

Each action locks the case, checks the actor's standing and the case's state through
`routing.cases.rules` (403 / 409), changes the case and emits one event.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing import metrics
from routing.cases import deadlines, rules, service
from routing.cases.assignment import pick_handler
from routing.cases.escalation import alert_facts, escalate
from routing.cases.events import emit_new
from routing.cases.models import AssignmentNotice, Case, TransmittalSlip
from routing.cases.schemas import (
    AnswerIn,
    ForwardIn,
    NoticeIn,
    ProgressIn,
    ResolveIn,
    TransmitIn,
    ValidityIn,
)
from routing.organisation import service as organisation
from routing.rules import service as site_rules
from shared.clock import utcnow
from shared.contracts.routing import (
    CaseAccepted,
    CaseAssignmentNoticed,
    CaseDeveloperAnswered,
    CaseForwardedToDeveloper,
    CaseProgressed,
    CaseResolved,
    CaseValidityJudged,
)
from shared.db.engine import after_commit
from shared.http.auth import Principal
from shared.http.errors import ProblemError

A = rules.Action


async def _take(
    session: AsyncSession, case_id: str, principal: Principal, action: rules.Action
) -> Case:
    """Lock the case, decide `action` for the principal and move the case to its next status."""
    case = await service.lock(session, case_id=case_id, principal=principal)
    standing = await service.standing(session, case=case, actor=principal.sub)
    case.status = service.decide(action, case, standing)
    return case


async def accept_case(session: AsyncSession, *, case_id: str, principal: Principal) -> Case:
    """Acknowledge the case; a handler of its department who accepts becomes its handler."""
    case = await _take(session, case_id, principal, A.ACCEPT)
    member = await organisation.membership(session, site_id=case.site_id, staff_id=principal.sub)
    if member.department == case.department and member.role == "handler":
        case.handler_id = principal.sub
        if case.level == "handler":
            case.owner_id = principal.sub
    _acknowledge(session, case)
    await deadlines.arm_next(session, case)
    await emit_new(session, case, CaseAccepted, actor=principal.sub)
    return case


def _acknowledge(session: AsyncSession, case: Case) -> None:
    if case.acknowledged_at is not None:
        return
    case.acknowledged_at = utcnow()
    took = (case.acknowledged_at - deadlines.clock_start(case)).total_seconds()
    after_commit(session, lambda: metrics.time_to_acknowledge.labels(case.severity).observe(took))


async def add_progress(
    session: AsyncSession, *, case_id: str, principal: Principal, body: ProgressIn
) -> Case:
    """Add a progress note meant for the resident."""
    case = await _take(session, case_id, principal, A.PROGRESS)
    await emit_new(session, case, CaseProgressed, actor=principal.sub, note=body.note)
    return case


async def judge_validity(
    session: AsyncSession, *, case_id: str, principal: Principal, body: ValidityIn
) -> Case:
    """Judge the complaint valid, or invalid with a reason."""
    case = await _take(session, case_id, principal, A.JUDGE_VALIDITY)
    case.validity = "valid" if body.valid else "invalid"
    case.invalid_reason = body.reason
    await emit_new(
        session, case, CaseValidityJudged, actor=principal.sub, valid=body.valid, reason=body.reason
    )
    return case


async def transmit_case(
    session: AsyncSession, *, case_id: str, principal: Principal, body: TransmitIn
) -> Case:
    """Hand the case to the holder's superior on a numbered work transmittal slip."""
    case = await _take(session, case_id, principal, A.TRANSMIT)
    number = await _next_number(session, case, TransmittalSlip, "T")
    await _decide_open_slip(session, case, f"Transmitted further on slip {number}")
    from_level = service.state_of(case).level
    await escalate(
        session,
        case,
        reason="transmittal",
        actor=principal.sub,
        slip_number=number,
        note=body.reason,
    )
    session.add(
        TransmittalSlip(
            case_id=case.id,
            number=number,
            from_id=principal.sub,
            from_level=from_level,
            to_id=case.owner_id,
            to_level=case.level,
            reason=body.reason,
            created_at=utcnow(),
        )
    )
    return case


async def issue_notice(
    session: AsyncSession, *, case_id: str, principal: Principal, body: NoticeIn
) -> Case:
    """The holder assigns the work to the main responsible department, with a due time."""
    case = await _take(session, case_id, principal, A.ISSUE_NOTICE)
    if body.due_at <= utcnow():
        raise ProblemError(422, "due_at must be in the future", zh="due_at 必须是将来的时间")
    handler = await _notice_handler(session, case, body)
    number = await _next_number(session, case, AssignmentNotice, "N")
    slip = await _decide_open_slip(
        session, case, f"Work assignment notice {number} to {body.department}"
    )
    session.add(_notice(case, body, number=number, handler=handler, slip=slip, by=principal.sub))
    await _hand_down(session, case, body, handler)
    facts = body.model_dump(include={"department", "instructions", "due_at"})
    await emit_new(
        session,
        case,
        CaseAssignmentNoticed,
        actor=principal.sub,
        notice_number=number,
        handler=handler,
        slip_number=slip.number if slip else None,
        **facts,
        **await organisation.names(
            session, site_id=case.site_id, department=body.department, handler=handler
        ),
    )
    return case


async def _hand_down(
    session: AsyncSession, case: Case, body: NoticeIn, handler: str | None
) -> None:
    """The department named on the notice works the case again, by the notice's due time."""
    case.department, case.level = body.department, "handler"
    case.handler_id = case.owner_id = handler
    _acknowledge(session, case)
    deadlines.new_resolve_deadline(case, body.due_at)
    await deadlines.arm_next(session, case)


def _notice(
    case: Case,
    body: NoticeIn,
    *,
    number: str,
    handler: str | None,
    slip: TransmittalSlip | None,
    by: str,
) -> AssignmentNotice:
    return AssignmentNotice(
        case_id=case.id,
        number=number,
        slip_number=slip.number if slip else None,
        issued_by=by,
        issued_level=case.level,
        department=body.department,
        handler_id=handler,
        instructions=body.instructions,
        due_at=body.due_at,
        created_at=utcnow(),
    )


async def _notice_handler(session: AsyncSession, case: Case, body: NoticeIn) -> str | None:
    if not await organisation.department_exists(
        session, site_id=case.site_id, code=body.department
    ):
        raise ProblemError(
            422,
            f"Site {case.site_id} has no department {body.department}",
            zh=f"管理处 {case.site_id} 没有部门 {body.department}",
        )
    if body.handler is None:
        return await pick_handler(session, site_id=case.site_id, department=body.department)
    member = await organisation.membership(session, site_id=case.site_id, staff_id=body.handler)
    if member.department != body.department:
        raise ProblemError(
            422,
            f"{body.handler} is not active staff of {body.department}",
            zh=f"{body.handler} 不是部门 {body.department} 的在职员工",
        )
    return body.handler


async def forward_to_developer(
    session: AsyncSession, *, case_id: str, principal: Principal, body: ForwardIn
) -> Case:
    """Forward a developer complaint; the handler is reminded until the developer answers."""
    case = await _take(session, case_id, principal, A.FORWARD_TO_DEVELOPER)
    now = utcnow()
    case.forwarded_at, case.reminders = now, 0
    found = await site_rules.load_site_rules(session, site_id=case.site_id, today=now.date())
    follow_up = found.follow_up_after(now)
    await deadlines.arm_next(session, case)  # the resolve clock stops
    await deadlines.arm_follow_up(session, case, follow_up)
    await emit_new(
        session,
        case,
        CaseForwardedToDeveloper,
        actor=principal.sub,
        note=body.note,
        follow_up_due_at=follow_up,
        reference=case.reference,
        department=case.department,
        location=case.location,
        **await alert_facts(session, case),
    )
    return case


async def record_developer_answer(
    session: AsyncSession, *, case_id: str, principal: Principal, body: AnswerIn
) -> Case:
    """Record the developer's answer; the case is worked again with a fresh resolve deadline."""
    case = await _take(session, case_id, principal, A.RECORD_DEVELOPER_ANSWER)
    now = utcnow()
    found = await site_rules.load_site_rules(session, site_id=case.site_id, today=now.date())
    await deadlines.disarm_follow_up(session, case)
    due = found.resolve_deadline(now, category=case.category, severity=case.severity)
    deadlines.new_resolve_deadline(case, due)
    await deadlines.arm_next(session, case)
    await deadlines.arm_warnings(session, case, found, start=now)
    await emit_new(session, case, CaseDeveloperAnswered, actor=principal.sub, answer=body.answer)
    return case


async def resolve_case(
    session: AsyncSession, *, case_id: str, principal: Principal, body: ResolveIn
) -> Case:
    """Resolve with the result and the reply to the resident; the outcome goes on the slips."""
    case = await _take(session, case_id, principal, A.RESOLVE)
    now = utcnow()
    case.result, case.reply, case.resolved_at = body.result, body.reply, now
    await _write_outcomes(session, case, body.result)
    await deadlines.arm_next(session, case)
    await emit_new(
        session, case, CaseResolved, actor=principal.sub, result=body.result, reply=body.reply
    )
    took = (now - deadlines.clock_start(case)).total_seconds()
    after_commit(session, lambda: metrics.time_to_resolve.labels(case.severity).observe(took))
    return case


async def _write_outcomes(session: AsyncSession, case: Case, outcome: str) -> None:
    now = utcnow()
    for slip in await service.slips_of(session, case_id=case.id):
        if slip.outcome is None:
            slip.outcome, slip.outcome_at = outcome, now
    for notice in await service.notices_of(session, case_id=case.id):
        if notice.outcome is None:
            notice.outcome, notice.completed_at = outcome, now


async def _decide_open_slip(
    session: AsyncSession, case: Case, decision: str
) -> TransmittalSlip | None:
    """Write the superior's decision on the slip that waits for one; returns that slip."""
    waiting = [s for s in await service.slips_of(session, case_id=case.id) if s.decision is None]
    for slip in waiting:
        slip.decision, slip.decided_at = decision, utcnow()
    return waiting[-1] if waiting else None


async def _next_number(
    session: AsyncSession,
    case: Case,
    model: type[TransmittalSlip] | type[AssignmentNotice],
    mark: str,
) -> str:
    """`<complaint reference>-T1`, `-T2`, ... (the case is locked, so numbers never collide)."""
    count = await session.scalar(
        select(func.count()).select_from(model).where(col(model.case_id) == case.id)
    )
    return f"{case.reference}-{mark}{int(count or 0) + 1}"
