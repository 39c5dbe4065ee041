"""The resident's follow-ups from intake: a withdrawal finishes the case, a supplement joins
its history. Both are routing's own steps (`rules.SYSTEM`); take a session, never commit.

A withdrawn case keeps its record (it is counted in the complaint report like any other,
DESIGN.md §1 rule 3) but loses its timers, so it neither escalates nor waits for the
developer; notify hears `case.withdrawn` and sends no reply or callback for it.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases import deadlines, rules
from routing.cases.events import emit_new
from routing.cases.models import Case
from routing.cases.service import state_of
from shared.contracts.intake import ComplaintSupplemented, ComplaintWithdrawn
from shared.contracts.routing import CaseSupplemented, CaseWithdrawn
from shared.logging import get_logger

log = get_logger(__name__)


def _decided(action: rules.Action, case: Case) -> rules.Status | None:
    try:
        return rules.decide(action, state_of(case), rules.SYSTEM)
    except rules.Refused as exc:
        log.info("routing step skipped", case_id=case.id, action=action.value, why=exc.detail)
        return None


async def withdraw_case(session: AsyncSession, case: Case, withdrawal: ComplaintWithdrawn) -> bool:
    """Finish the case as withdrawn and cancel its timers; False when it was finished already."""
    status = _decided(rules.Action.WITHDRAW, case)
    if status is None:
        return False
    from_status, case.status = case.status, status
    await deadlines.arm_next(session, case)  # no deadline is pending any more: removed
    await deadlines.disarm_follow_up(session, case)
    await emit_new(
        session,
        case,
        CaseWithdrawn,
        actor=None,
        reason=withdrawal.reason,
        withdrawn_at=withdrawal.withdrawn_at,
        from_status=from_status,
        **_people(case),
    )
    return True


async def supplement_case(
    session: AsyncSession, case: Case, supplement: ComplaintSupplemented
) -> None:
    """Put what the resident added on the case's history, for its handler."""
    if _decided(rules.Action.SUPPLEMENT, case) is None:
        return
    await emit_new(
        session,
        case,
        CaseSupplemented,
        actor=None,
        text=supplement.text,
        added_by=supplement.added_by,
        added_at=supplement.added_at,
        **_people(case),
    )


def _people(case: Case) -> dict[str, str | None]:
    return {"department": case.department, "handler": case.handler_id, "owner": case.owner_id}
