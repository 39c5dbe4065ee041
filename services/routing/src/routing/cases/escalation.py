"""Routing's own moves of a case: escalations, SLA breaches, reminders and callbacks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from routing import metrics
from routing.cases import deadlines, rules
from routing.cases.events import emit_new
from routing.cases.models import Case
from routing.cases.service import state_of
from routing.organisation import service as organisation
from routing.rules import service as site_rules
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.notify import CallbackCompleted
from shared.contracts.routing import (
    CaseClosed,
    CaseEscalated,
    CaseFollowUpReminded,
    CaseReopened,
    Deadline,
    EscalationReason,
    SlaBreached,
    SlaWarned,
)
from shared.db.engine import after_commit
from shared.logging import get_logger

log = get_logger(__name__)


async def escalate(
    session: AsyncSession,
    case: Case,
    *,
    reason: EscalationReason,
    actor: str | None,
    slip_number: str | None = None,
    note: str | None = None,
) -> CaseEscalated | None:
    """Move the case one level up its chain; None when it is with the GM already."""
    from_level = state_of(case).level
    target = rules.escalation_target(from_level)
    if target is None:
        return None
    chain = await organisation.chain_for(
        session, site_id=case.site_id, department=case.department, handler_id=case.handler_id
    )
    case.level, case.owner_id = target, chain.holder(target)
    case.escalation_count += 1
    after_commit(session, metrics.escalations.labels(target, reason).inc)
    return await emit_new(
        session,
        case,
        CaseEscalated,
        actor=actor,
        level=target,
        reason=reason,
        from_level=from_level,
        owner=case.owner_id,
        slip_number=slip_number,
        note=note,
        department=case.department,
        **await alert_facts(session, case),
    )


async def alert_facts(session: AsyncSession, case: Case) -> dict[str, str | None]:
    """What an alert about the case tells its reader: who has it, by name, and the text."""
    names = await organisation.names(
        session, site_id=case.site_id, department=case.department, handler=case.handler_id
    )
    return {**names, "handler": case.handler_id, "description": case.description}


def _allowed(action: rules.Action, case: Case) -> bool:
    try:
        rules.decide(action, state_of(case), rules.SYSTEM)
    except rules.Refused as exc:
        log.info("routing step skipped", case_id=case.id, action=action.value, why=exc.detail)
        return False
    return True


# deadline -> (the step it takes, the case's due time field, its breached time field)
DEADLINES: dict[str, tuple[rules.Action, str, str]] = {
    "acknowledge": (
        rules.Action.BREACH_ACKNOWLEDGE,
        "acknowledge_due_at",
        "acknowledge_breached_at",
    ),
    "resolve": (rules.Action.BREACH_RESOLVE, "resolve_due_at", "resolve_breached_at"),
}


async def breach(session: AsyncSession, case: Case, *, deadline: Deadline) -> bool:
    """Escalate a case past its deadline, once per deadline; False when nothing was due."""
    action, due_field, breached_field = DEADLINES[deadline]
    due: datetime | None = getattr(case, due_field)
    if due is None or due > utcnow() or getattr(case, breached_field) is not None:
        return False
    if not _allowed(action, case):
        return False
    setattr(case, breached_field, utcnow())
    facts = {
        "deadline": deadline,
        "due_at": due,
        "department": case.department,
        **await alert_facts(session, case),
    }
    await emit_new(session, case, SlaBreached, actor=None, level=state_of(case).level, **facts)
    await escalate(session, case, reason="sla", actor=None)
    labels = (case.site_id, case.department, deadline)
    after_commit(session, metrics.sla_breaches.labels(*labels).inc)
    return True


async def warn(
    session: AsyncSession, case: Case, *, deadline: Deadline, due_at: datetime, share: int
) -> bool:
    """Warn the handler that a deadline is near; False when it is met, moved or gone."""
    if deadlines.pending_deadlines(case).get(deadline) != due_at:
        return False
    event = SlaWarned(
        case_id=case.id,
        complaint_id=case.complaint_id,
        site_id=case.site_id,
        at=utcnow(),
        reference=case.reference,
        deadline=deadline,
        due_at=due_at,
        share=share,
        level=state_of(case).level,
        department=case.department,
        **await alert_facts(session, case),
    )
    # Not a case event: the case does not change, so its version and history stay as they are.
    await outbox.add(
        session,
        event,
        site_id=case.site_id,
        aggregate_id=case.id,
        correlation_id=case.correlation_id,
    )
    return True


async def remind(session: AsyncSession, case: Case) -> bool:
    """Remind the handler to chase the developer, and set the next reminder."""
    if not _allowed(rules.Action.REMIND_FOLLOW_UP, case):
        return False
    case.reminders += 1
    await emit_new(
        session,
        case,
        CaseFollowUpReminded,
        actor=None,
        reminder=case.reminders,
        forwarded_at=case.forwarded_at,
        reference=case.reference,
        department=case.department,
        **await alert_facts(session, case),  # the handler's id and name, the complaint's text
    )
    found = await site_rules.load_site_rules(session, site_id=case.site_id, today=utcnow().date())
    await deadlines.arm_follow_up(session, case, found.follow_up_after(utcnow()))
    return True


async def close_case(session: AsyncSession, case: Case, callback: CallbackCompleted) -> bool:
    """The resident is satisfied: close the case."""
    if not _allowed(rules.Action.CLOSE, case):
        return False
    case.status, case.closed_at = rules.Status.CLOSED, utcnow()
    case.closed_unreachable = False
    await emit_new(session, case, CaseClosed, actor=callback.by, callback_id=callback.callback_id)
    return True


async def reopen_case(session: AsyncSession, case: Case, callback: CallbackCompleted) -> bool:
    """The resident is not satisfied: open the case again and escalate it one level."""
    if not _allowed(rules.Action.REOPEN, case):
        return False
    case.status, case.closed_at, case.resolved_at = rules.Status.IN_PROGRESS, None, None
    case.reopen_count += 1
    found = await site_rules.load_site_rules(session, site_id=case.site_id, today=utcnow().date())
    due = found.resolve_deadline(utcnow(), category=case.category, severity=case.severity)
    deadlines.new_resolve_deadline(case, due)
    await deadlines.arm_next(session, case)
    await deadlines.arm_warnings(session, case, found, start=utcnow())
    await emit_new(
        session,
        case,
        CaseReopened,
        actor=callback.by,
        reason="the resident is not satisfied",
        callback_id=callback.callback_id,
    )
    await escalate(session, case, reason="unsatisfied", actor=callback.by)
    after_commit(session, metrics.reopens.labels(case.site_id).inc)
    return True
