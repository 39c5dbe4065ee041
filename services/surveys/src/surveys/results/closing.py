"""Closing a campaign: freeze its results, tell the group, and ask for callbacks.

In one transaction: the results per topic are stored, `survey.completed` is written, one
`survey.target_missed` per topic (and overall) under its target, and one
`survey.callback_requested` per resident who left a low score with a comment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared import timers
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.surveys import (
    SurveyCallbackRequested,
    SurveyCompleted,
    SurveyTargetMissed,
    TopicOutcome,
)
from shared.db.engine import after_commit
from shared.http.errors import ConflictError
from surveys import metrics
from surveys.campaigns import service as campaigns
from surveys.campaigns.rules import may_close, scale_of
from surveys.responses import rules as response_rules
from surveys.responses.models import answer, response
from surveys.results.models import topic_result
from surveys.results.schemas import ResultsRead, TopicFigures
from surveys.results.service import compute


async def close_campaign(session: AsyncSession, *, row: Row[Any]) -> ResultsRead:
    """Close the campaign now: results become final and the events go out."""
    if not may_close(row.status):
        raise ConflictError(f"Campaign {row.id} is closed already", zh=f"测评活动 {row.id} 已结束")
    now = utcnow()
    await campaigns.change(session, row=row, status="closed", closed_at=now)
    row = await campaigns.get_row(session, campaign_id=row.id)
    results = await compute(session, row=row)
    await _store(session, row, results, now)
    await _announce(session, row, results, now)
    await _callbacks(session, row, now)
    for kind in (campaigns.CLOSE_TIMER, campaigns.OPEN_TIMER, campaigns.REMIND_TIMER):
        await timers.cancel(session, kind=kind, key=row.id)
    after_commit(session, lambda: _count(row.site_id, results))
    return results


async def _store(session: AsyncSession, row: Row[Any], results: ResultsRead, now: datetime) -> None:
    values = [
        {
            "campaign_id": row.id,
            "topic": t.topic,
            "site_id": row.site_id,
            "sample_size": results.sample_size,
            "responses": results.responses,
            "valid": t.valid,
            "satisfied": t.satisfied,
            "rate": t.rate,
            "ci_low": t.ci_low,
            "ci_high": t.ci_high,
            "mean_score": t.mean_score,
            "target": t.target,
            "met": t.met,
            "distribution": t.distribution,
            "closed_at": now,
        }
        for t in results.topics
    ]
    await session.execute(topic_result.insert(), values)


def _outcome(t: TopicFigures) -> TopicOutcome:
    return TopicOutcome(
        topic=t.topic, valid=t.valid, satisfied=t.satisfied, rate=t.rate, target=t.target, met=t.met
    )


async def _announce(
    session: AsyncSession, row: Row[Any], results: ResultsRead, now: datetime
) -> None:
    completed = SurveyCompleted(
        campaign_id=row.id,
        site_id=row.site_id,
        kind=row.kind,
        title=row.title,
        closed_at=now,
        sample_size=results.sample_size,
        responses=results.responses,
        response_rate=results.response_rate,
        outcomes=[_outcome(t) for t in results.topics],
    )
    events = [outbox.Outgoing(completed, site_id=row.site_id, aggregate_id=row.id)]
    events += [
        outbox.Outgoing(_missed(row, t, now), site_id=row.site_id, aggregate_id=row.id)
        for t in results.topics
        if t.met is False
    ]
    await outbox.add_many(session, events)


def _missed(row: Row[Any], t: TopicFigures, now: datetime) -> SurveyTargetMissed:
    return SurveyTargetMissed(
        campaign_id=row.id,
        site_id=row.site_id,
        topic=t.topic,
        rate=t.rate or 0.0,
        target=t.target,
        valid=t.valid,
        ci_low=t.ci_low,
        ci_high=t.ci_high,
        closed_at=now,
        title=row.title,
    )


async def _callbacks(session: AsyncSession, row: Row[Any], now: datetime) -> None:
    """One callback request per resident who left a low score and a comment."""
    commented = (
        await session.execute(
            select(response.c.id, response.c.household_id, response.c.comment).where(
                response.c.campaign_id == row.id, response.c.comment.is_not(None)
            )
        )
    ).all()
    scale, satisfied = scale_of(row.scale), tuple(row.satisfied_levels)
    events = []
    for ident, household, comment in commented:
        given = await _levels(session, ident)
        low = response_rules.low_score(given, scale=scale, satisfied=satisfied)
        if low is not None and response_rules.wants_callback(low, comment):
            events.append(_callback(row, ident, household, comment, low, now))
    await outbox.add_many(session, events)


async def _levels(session: AsyncSession, response_id: str) -> dict[str, str | None]:
    rows = await session.execute(
        select(answer.c.topic, answer.c.level).where(answer.c.response_id == response_id)
    )
    return {str(t): level for t, level in rows.all()}


def _callback(
    row: Row[Any],
    ident: str,
    household: str,
    comment: str,
    low: response_rules.LowScore,
    now: datetime,
) -> outbox.Outgoing:
    event = SurveyCallbackRequested(
        callback_key=f"{row.id}:{household}",
        campaign_id=row.id,
        site_id=row.site_id,
        household_id=household,
        response_id=ident,
        topic=low.topic,
        level=low.level,
        score=low.score,
        comment=comment,
        due_at=response_rules.callback_due(now),
    )
    return outbox.Outgoing(event, site_id=row.site_id, aggregate_id=row.id)


def _count(site: str, results: ResultsRead) -> None:
    for t in results.topics:
        if t.rate is not None:
            metrics.satisfaction_rate.labels(site, t.topic).set(t.rate)
            metrics.satisfaction_target.labels(site, t.topic).set(t.target)
        if t.met is False:
            metrics.targets_missed.labels(site, t.topic).inc()
    if results.response_rate is not None:
        metrics.response_rate.labels(site).set(results.response_rate)
