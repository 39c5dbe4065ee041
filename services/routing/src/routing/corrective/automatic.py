"""Actions routing opens and verifies by itself (DESIGN.md §1 rule 13).

A topic under target opens exactly one action per site, topic and campaign, whatever the
deliveries: the database's unique `dedupe_key` decides, not Python, so a redelivered
message, a second message for the same campaign and topic, and two replicas racing all
end with one action. The next survey of the topic verifies a completed action; an action
about a category is verified by the valid complaints in the window after it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing.corrective import actions, rules, service
from routing.corrective.models import CorrectiveAction
from shared.contracts.surveys import SurveyCompleted, SurveyTargetMissed, TopicOutcome
from shared.db.engine import dialect_insert
from shared.db.typed import rowcount
from shared.logging import get_logger
from shared.words import value

log = get_logger(__name__)

TABLE = CorrectiveAction.metadata.tables["corrective_action"]


async def insert_once(session: AsyncSession, action: CorrectiveAction) -> bool:
    """Insert the action unless its dedupe_key is taken; True when it was inserted."""
    statement = (
        dialect_insert(session)(TABLE)
        .values(**action.model_dump())
        .on_conflict_do_nothing(index_elements=[TABLE.c.dedupe_key])
    )
    result = await session.execute(statement)
    return bool(rowcount(result))


def survey_key(site_id: str, campaign_id: str, topic: str) -> str:
    """One action per site, campaign and topic under target."""
    return f"survey:{site_id}:{campaign_id}:{topic}"


async def open_for_missed_target(
    session: AsyncSession, event: SurveyTargetMissed, *, recurring: rules.RecurringPolicy
) -> bool:
    """Open the topic's corrective action once per site and campaign; True when opened."""
    answers = f"{event.valid} answer{'' if event.valid == 1 else 's'}"
    problem = (
        f"Satisfaction with {value('topic', event.topic, 'en')} was {event.rate:.1%} against a"
        f" target of {event.target:.1%} ({answers}) in {event.title or 'a survey'}"
    )
    action = actions.new_action(
        site_id=event.site_id,
        kind="corrective",
        source="survey",
        problem=problem,
        window_days=recurring.window_days,
        topic=event.topic,
        campaign_id=event.campaign_id,
        campaign_title=event.title,
        answers_before=event.valid,
        dedupe_key=survey_key(event.site_id, event.campaign_id, event.topic),
        rate_before=event.rate,
        target=event.target,
    )
    if not await insert_once(session, action):
        log.info("topic already has its action", campaign_id=event.campaign_id, topic=event.topic)
        return False
    await actions.announce(session, action, [], None)
    return True


async def verify_by_survey(session: AsyncSession, event: SurveyCompleted) -> int:
    """Verify each completed action of a topic the closed survey measured; how many."""
    verified = 0
    for outcome in event.outcomes:
        if outcome.met is None:
            continue  # nobody answered: the next survey will tell
        for action in await _awaiting_survey(session, event, outcome):
            await actions.record_verification(
                session,
                action,
                effective=outcome.met,
                basis="survey",
                actor=None,
                rate_after=outcome.rate,
                campaign_id=event.campaign_id,
                valid=outcome.valid,
            )
            verified += 1
    return verified


async def _awaiting_survey(
    session: AsyncSession, event: SurveyCompleted, outcome: TopicOutcome
) -> list[CorrectiveAction]:
    query = (
        select(CorrectiveAction)
        .where(
            col(CorrectiveAction.site_id) == event.site_id,
            col(CorrectiveAction.topic) == outcome.topic,
            col(CorrectiveAction.status) == rules.Status.COMPLETED,
            col(CorrectiveAction.completed_at) <= event.closed_at,
            col(CorrectiveAction.campaign_id).is_distinct_from(event.campaign_id),
        )
        .order_by(col(CorrectiveAction.opened_at))
        .with_for_update()
    )
    return list(await session.scalars(query))


async def verify_by_complaints(
    session: AsyncSession, action: CorrectiveAction, *, recurring: rules.RecurringPolicy
) -> bool:
    """Compare the valid complaints in the window after the action with those before."""
    done = action.completed_at
    if action.status != rules.Status.COMPLETED or action.category is None or done is None:
        return False
    until = done + timedelta(days=action.window_days)
    after = await actions.valid_complaints(
        session,
        site_id=action.site_id,
        category=action.category,
        since=done,
        until=until,
    )
    before = action.complaints_before or 0
    effective = rules.effective_by_complaints(before=before, after=after, policy=recurring)
    await actions.record_verification(
        session,
        action,
        effective=effective,
        basis="complaints",
        actor=None,
        complaints_after=after,
        window_days=action.window_days,
    )
    return True


async def on_verify_due(
    session: AsyncSession, *, action_id: str, recurring: rules.RecurringPolicy
) -> None:
    """The window after a category action has passed: verify it by the complaint count."""
    action = await service.lock_for_routing(session, action_id=action_id)
    if action is not None:
        await verify_by_complaints(session, action, recurring=recurring)
