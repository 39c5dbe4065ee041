"""Events notify's callbacks consume: a resolved case, a survey answer asking for a call,
a withdrawn complaint.

The handlers need the callback policy (link base, limits), so they are made from the
settings when the app is built.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify.callbacks import opening, service
from notify.callbacks.service import Policy
from notify.messages import followups
from shared.bus.consumer import Handler
from shared.contracts.base import Envelope
from shared.contracts.routing import CaseResolved, CaseWithdrawn
from shared.contracts.surveys import SurveyCallbackRequested


def handlers(policy: Policy) -> dict[str, Handler]:
    """The callback handlers, bound to the policy."""

    async def on_case_resolved(
        event: CaseResolved, *, session: AsyncSession, envelope: Envelope
    ) -> None:
        """Send the final reply with the resident's link; the callback falls due later."""
        await opening.open_for_case(
            session, event=event, correlation_id=envelope.correlation_id, policy=policy
        )

    async def on_survey_callback_requested(
        event: SurveyCallbackRequested, *, session: AsyncSession, envelope: Envelope
    ) -> None:
        """Put the unhappy survey answer in the callback queue."""
        await opening.open_for_survey(session, event=event, policy=policy)

    return {
        "case.resolved": on_case_resolved,
        "case.withdrawn": on_case_withdrawn,
        "survey.callback_requested": on_survey_callback_requested,
    }


async def on_case_withdrawn(
    event: CaseWithdrawn, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Nobody is to call about a withdrawn complaint: its open callbacks are cancelled; then
    what else is pending is cancelled and its handler told (`messages.followups`)."""
    calls = await service.cancel_for_complaint(session, complaint_id=event.complaint_id)
    await followups.withdrawal(session, event=event, envelope=envelope, callbacks=calls)
