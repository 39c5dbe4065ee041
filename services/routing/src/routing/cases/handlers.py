"""Events routing consumes: complaints open cases, callbacks close or reopen them, the
resident's withdrawals and supplements reach them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing import metrics
from routing.cases import escalation, followups, opening, service, unreachable
from routing.cases.models import Case
from shared.bus.ordering import OutOfOrderError
from shared.contracts.base import Envelope
from shared.contracts.intake import ComplaintReceived, ComplaintSupplemented, ComplaintWithdrawn
from shared.contracts.notify import CallbackCompleted, CallbackUnreachable
from shared.db.engine import after_commit
from shared.logging import get_logger

log = get_logger(__name__)


class UnknownCaseError(LookupError):
    """A callback names a case routing does not have; retried, then parked for a person."""


class CaseNotOpenedYetError(OutOfOrderError):
    """A follow-up overtook its complaint's `complaint.received`: retried like any event ahead
    of an earlier version of its aggregate, by when the case is normally open."""


async def on_complaint_received(
    event: ComplaintReceived, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Open the complaint's case: route it, start its SLA timers, emit case.assigned."""
    case = await opening.open_case(session, complaint=event, correlation_id=envelope.correlation_id)
    if case is None:
        log.info("complaint already has a case", complaint_id=event.complaint_id)


async def on_callback_completed(
    event: CallbackCompleted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Satisfied: close the case (a case closed as unreachable: the resident answered after
    all). Not satisfied: reopen it and escalate it one level."""
    case = await session.get(Case, event.case_id, with_for_update=True)
    if case is None or case.complaint_id != event.complaint_id:
        raise UnknownCaseError(f"callback {event.callback_id} names unknown case {event.case_id}")
    record_levels(session, case, event)
    if unreachable.answered_late(case, event):
        await unreachable.close_satisfied(session, case, event)
    elif event.satisfied:
        await escalation.close_case(session, case, event)
    else:
        await escalation.reopen_case(session, case, event)


def record_levels(session: AsyncSession, case: Case, event: CallbackCompleted) -> None:
    """The callback's answers on the five-level scale, kept for the report and counted once
    committed (an old client's callback, with only `satisfied`, leaves them empty)."""
    case.outcome_level = event.outcome_level
    case.speed_level = event.speed_level
    case.attitude_level = event.attitude_level
    for aspect, level in (("speed", event.speed_level), ("attitude", event.attitude_level)):
        if level is not None:
            after_commit(session, metrics.handling_answers.labels(case.site_id, aspect, level).inc)


async def on_callback_unreachable(
    event: CallbackUnreachable, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Nobody answered the callback: close the case as unreachable, or escalate it, as its
    site says."""
    case = await session.get(Case, event.case_id, with_for_update=True)
    if case is None or case.complaint_id != event.complaint_id:
        raise UnknownCaseError(f"callback {event.callback_id} names unknown case {event.case_id}")
    if not await unreachable.record_unreachable(session, case, event):
        log.info("unreachable callback left the case as it is", case_id=case.id)


async def on_complaint_withdrawn(
    event: ComplaintWithdrawn, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The resident withdrew: the case is finished as withdrawn, its timers cancelled."""
    case = await _case_of(session, event.complaint_id)
    if not await followups.withdraw_case(session, case, event):
        log.info("withdrawal of a finished case left it as it is", case_id=case.id)


async def on_complaint_supplemented(
    event: ComplaintSupplemented, *, session: AsyncSession, envelope: Envelope
) -> None:
    """The resident added information: it joins the case's history for its handler."""
    await followups.supplement_case(session, await _case_of(session, event.complaint_id), event)


async def _case_of(session: AsyncSession, complaint_id: str) -> Case:
    case = await service.find_by_complaint(session, complaint_id=complaint_id)
    if case is None:
        raise CaseNotOpenedYetError(f"complaint {complaint_id} has no case yet")
    return case
