"""Events routing consumes about satisfaction: a topic under target, a survey closed."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing.corrective import automatic
from shared.contracts.base import Envelope
from shared.contracts.surveys import SurveyCompleted, SurveyTargetMissed


async def on_survey_target_missed(
    event: SurveyTargetMissed, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Open the topic's corrective action, once per site, campaign and topic."""
    await automatic.open_for_missed_target(session, event)


async def on_survey_completed(
    event: SurveyCompleted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Verify the completed actions of each topic the survey measured."""
    await automatic.verify_by_survey(session, event)
