"""Events that open or verify corrective actions: a topic under target, a survey closed, and
routing's own judgement of a complaint as valid (its category may recur at the site)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases.models import Case
from routing.corrective import automatic, policy, recurring
from routing.settings import RoutingSettings
from shared.bus.consumer import Handler
from shared.contracts.base import Envelope
from shared.contracts.routing import CaseValidityJudged
from shared.contracts.surveys import SurveyCompleted, SurveyTargetMissed


def handlers(settings: RoutingSettings) -> dict[str, Handler]:
    """The handlers of corrective actions, bound to the settings' recurring-problem policy."""

    async def on_survey_target_missed(
        event: SurveyTargetMissed, *, session: AsyncSession, envelope: Envelope
    ) -> None:
        """Open the topic's corrective action, once per site, campaign and topic."""
        await automatic.open_for_missed_target(session, event, recurring=policy.of(settings))

    async def on_case_validity_judged(
        event: CaseValidityJudged, *, session: AsyncSession, envelope: Envelope
    ) -> None:
        """A complaint judged valid may make its category recur at its site: open the action."""
        if not event.valid:
            return
        case = await session.get(Case, event.case_id)
        if case is not None and case.validity == "valid":  # not judged again meanwhile
            await recurring.on_valid_complaint(session, case, current=policy.of(settings))

    return {
        "case.validity_judged": on_case_validity_judged,
        "survey.target_missed": on_survey_target_missed,
        "survey.completed": on_survey_completed,
    }


async def on_survey_completed(
    event: SurveyCompleted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Verify the completed actions of each topic the survey measured."""
    await automatic.verify_by_survey(session, event)
