"""Events notify's callbacks consume: a resolved case, a survey answer asking for a call.

The handlers need the callback policy (link base, limits), so they are made from the
settings when the app is built.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify.callbacks import opening
from notify.callbacks.service import Policy
from shared.bus.consumer import Handler
from shared.contracts.base import Envelope
from shared.contracts.routing import CaseResolved
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
        "survey.callback_requested": on_survey_callback_requested,
    }
