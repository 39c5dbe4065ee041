"""A callback that reached nobody: the case is closed as unreachable, or escalated, as its
site's setting says (`unreachable_callbacks`). Routing's own step (`rules.SYSTEM`); takes a
session, never commits.

A case closed this way is closed, but not satisfied: `closed_unreachable` keeps the two
apart for the complaint report. An escalated one is `in_progress` again for the escalated
holder, its reply and resolution kept: the resident was answered, only not asked. A case
with the general manager already has nobody above it, and is closed as unreachable.

The resident's link stays usable after nobody reached them: a satisfied answer arriving
after the case was closed as unreachable turns it into a satisfied close.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases import rules
from routing.cases.escalation import escalate
from routing.cases.events import emit_new
from routing.cases.models import Case
from routing.cases.service import state_of
from routing.rules import service as site_rules
from shared.clock import utcnow
from shared.contracts.notify import CallbackCompleted, CallbackUnreachable
from shared.contracts.routing import CaseClosed, CaseClosedUnreachable
from shared.logging import get_logger

log = get_logger(__name__)


async def record_unreachable(
    session: AsyncSession, case: Case, callback: CallbackUnreachable
) -> bool:
    """Close or escalate the case as its site says; False when its state allows neither."""
    setting = await site_rules.unreachable_callbacks(session, site_id=case.site_id)
    if setting == "escalate":
        return await _escalate(session, case, callback)
    return await _close(session, case, callback)


def _allowed(action: rules.Action, case: Case) -> bool:
    try:
        rules.decide(action, state_of(case), rules.SYSTEM)
    except rules.Refused as exc:
        log.info("routing step skipped", case_id=case.id, action=action.value, why=exc.detail)
        return False
    return True


async def _close(session: AsyncSession, case: Case, callback: CallbackUnreachable) -> bool:
    if not _allowed(rules.Action.CLOSE_UNREACHABLE, case):
        return False
    case.status, case.closed_at = rules.Status.CLOSED, utcnow()
    case.unreachable_count += 1
    case.closed_unreachable = True
    await emit_new(
        session,
        case,
        CaseClosedUnreachable,
        actor=callback.by,
        callback_id=callback.callback_id,
        attempts=callback.attempts,
        department=case.department,
        handler=case.handler_id,
    )
    return True


async def _escalate(session: AsyncSession, case: Case, callback: CallbackUnreachable) -> bool:
    if rules.escalation_target(state_of(case).level) is None:
        return await _close(session, case, callback)  # with the GM already: nobody above
    if not _allowed(rules.Action.ESCALATE_UNREACHABLE, case):
        return False
    case.status = rules.Status.IN_PROGRESS
    case.unreachable_count += 1
    await escalate(session, case, reason="unreachable", actor=callback.by)
    return True


def answered_late(case: Case, callback: CallbackCompleted) -> bool:
    """True when a satisfied answer reaches a case closed because nobody answered the phone."""
    return callback.satisfied and case.closed_unreachable and case.status == rules.Status.CLOSED


async def close_satisfied(session: AsyncSession, case: Case, callback: CallbackCompleted) -> None:
    """The resident answered after all, satisfied: the close becomes a satisfied one."""
    case.closed_unreachable, case.closed_at = False, utcnow()
    await emit_new(session, case, CaseClosed, actor=callback.by, callback_id=callback.callback_id)
