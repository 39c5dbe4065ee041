"""Events routing consumes: complaints open cases, callbacks close or reopen them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases import escalation, opening
from routing.cases.models import Case
from shared.contracts.base import Envelope
from shared.contracts.intake import ComplaintReceived
from shared.contracts.notify import CallbackCompleted
from shared.logging import get_logger

log = get_logger(__name__)


class UnknownCaseError(LookupError):
    """A callback names a case routing does not have; retried, then parked for a person."""


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
    """Satisfied: close the case. Not satisfied: reopen it and escalate it one level."""
    case = await session.get(Case, event.case_id, with_for_update=True)
    if case is None or case.complaint_id != event.complaint_id:
        raise UnknownCaseError(f"callback {event.callback_id} names unknown case {event.case_id}")
    if event.satisfied:
        await escalation.close_case(session, case, event)
    else:
        await escalation.reopen_case(session, case, event)
