"""Use cases of results: compute a campaign's figures from its answers, compare them with
the targets and the site's previous campaign.

Answers are few (sample × topics), so they are read once and tallied in memory.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from surveys.campaigns.models import campaign
from surveys.campaigns.rules import OVERALL, scale_of
from surveys.responses.models import answer, response
from surveys.results import rules
from surveys.results.models import topic_result
from surveys.results.schemas import GroupFigures, ResultsRead, TopicFigures
from surveys.sampling.models import sample_member


@dataclass(frozen=True)
class Given:
    """One answer with what it is broken down by."""

    topic: str
    level: str | None
    building: str
    key: bool
    response_id: str = ""


@dataclass(frozen=True)
class Context:
    """What turns tallies into figures: the campaign's scale, targets, previous rates and
    the answers a topic needs to be judged (None: not judged)."""

    topics: list[str]
    satisfied: tuple[str, ...]
    scores: dict[str, int]
    targets: dict[str, float]
    previous: dict[str, float]
    needed: int | None = None


async def _answers(session: AsyncSession, campaign_id: str) -> list[Given]:
    query = (
        select(answer.c.topic, answer.c.level, response.c.building, response.c.key, response.c.id)
        .join(response, response.c.id == answer.c.response_id)
        .where(answer.c.campaign_id == campaign_id)
    )
    return [Given(*r) for r in (await session.execute(query)).all()]


async def _counts(session: AsyncSession, table: Any, campaign_id: str) -> Counter[tuple[str, bool]]:
    query = (
        select(table.c.building, table.c.key, func.count())
        .where(table.c.campaign_id == campaign_id)
        .group_by(table.c.building, table.c.key)
    )
    return Counter({(str(b), bool(k)): int(n) for b, k, n in (await session.execute(query)).all()})


async def previous_closed(session: AsyncSession, *, row: Row[Any]) -> Row[Any] | None:
    """The site's last campaign closed before this one, for comparison."""
    query = select(campaign).where(
        campaign.c.site_id == row.site_id,
        campaign.c.id != row.id,
        campaign.c.status == "closed",
    )
    if row.closed_at is not None:
        query = query.where(campaign.c.closed_at < row.closed_at)
    query = query.order_by(campaign.c.closed_at.desc(), campaign.c.id.desc()).limit(1)
    return (await session.execute(query)).first()


async def _previous_rates(session: AsyncSession, previous: Row[Any] | None) -> dict[str, float]:
    if previous is None:
        return {}
    query = select(topic_result.c.topic, topic_result.c.rate).where(
        topic_result.c.campaign_id == previous.id, topic_result.c.rate.is_not(None)
    )
    return {str(t): float(r) for t, r in (await session.execute(query)).all()}


def figures(given: list[Given], ctx: Context) -> list[TopicFigures]:
    """Per topic asked, then overall (every topic's answers pooled)."""
    by_topic: dict[str, list[str | None]] = defaultdict(list)
    for one in given:
        by_topic[one.topic].append(one.level)
    tallies = {
        t: rules.tally(by_topic[t], satisfied=ctx.satisfied, scores=ctx.scores) for t in ctx.topics
    }
    blanks = {t: sum(1 for level in by_topic[t] if level is None) for t in ctx.topics}
    tallies[OVERALL] = rules.pooled(tallies.values())
    blanks[OVERALL] = sum(blanks.values())
    judged = {t: tallies[t].valid for t in ctx.topics}
    judged[OVERALL] = respondents(given)
    return [_figures(t, tallies[t], blanks[t], judged[t], ctx) for t in [*ctx.topics, OVERALL]]


def respondents(given: Iterable[Given]) -> int:
    """Households that answered at least one topic (overall is judged by households: each
    answers several topics, and their answers are not independent)."""
    return len({g.response_id for g in given if g.level is not None})


def _figures(
    topic: str, tally: rules.Tally, blank: int, answers: int, ctx: Context
) -> TopicFigures:
    interval, target = tally.interval, ctx.targets.get(topic, 0.0)
    previous = ctx.previous.get(topic)
    rate = tally.rate
    return TopicFigures(
        topic=topic,
        valid=tally.valid,
        blank=blank,
        satisfied=tally.satisfied,
        rate=rate,
        ci_low=interval[0] if interval else None,
        ci_high=interval[1] if interval else None,
        mean_score=tally.mean_score,
        distribution=dict(tally.distribution),
        target=target,
        met=rules.meets(rate, target),
        enough=rules.enough(answers, ctx.needed),
        previous_rate=previous,
        change=rate - previous if rate is not None and previous is not None else None,
    )


def _groups(
    given: list[Given],
    sampled: Counter[tuple[str, bool]],
    answered: Counter[tuple[str, bool]],
    name_of: Callable[[str, bool], str],
    ctx: Context,
) -> list[GroupFigures]:
    sizes: Counter[str] = Counter()
    returned: Counter[str] = Counter()
    for (building, key), n in sampled.items():
        sizes[name_of(building, key)] += n
    for (building, key), n in answered.items():
        returned[name_of(building, key)] += n
    plain = Context(ctx.topics, ctx.satisfied, ctx.scores, ctx.targets, {})
    return [
        GroupFigures(
            name=name,
            sample_size=sizes[name],
            responses=returned[name],
            response_rate=rules.response_rate(returned[name], sizes[name]),
            topics=figures([g for g in given if name_of(g.building, g.key) == name], plain),
        )
        for name in sorted(sizes)
    ]


def _by_building(building: str, _key: bool) -> str:
    return building


def _by_sample(_building: str, key: bool) -> str:
    return "key" if key else "random"


async def compute(session: AsyncSession, *, row: Row[Any]) -> ResultsRead:
    """The campaign's results from its answers as they are now."""
    previous = await previous_closed(session, row=row)
    scale = scale_of(row.scale)
    confidence, margin = float(row.sampling["confidence"]), float(row.sampling["margin"])
    needed = rules.needed_answers(row.frame_size, confidence=confidence, margin=margin)
    ctx = Context(
        topics=list(row.topics),
        satisfied=tuple(row.satisfied_levels),
        scores={level.key: level.score for level in scale},
        targets=dict(row.targets),
        previous=await _previous_rates(session, previous),
        needed=needed,
    )
    given = await _answers(session, row.id)
    sampled = await _counts(session, sample_member, row.id)
    answered = await _counts(session, response, row.id)
    size, returned = sum(sampled.values()), sum(answered.values())
    return ResultsRead(
        campaign_id=row.id,
        site_id=row.site_id,
        title=row.title,
        status=row.status,
        final=row.status == "closed",
        sample_size=size,
        responses=returned,
        response_rate=rules.response_rate(returned, size),
        respondents=respondents(given),
        confidence=confidence,
        margin=margin,
        needed=needed,
        previous_campaign_id=previous.id if previous is not None else None,
        topics=figures(given, ctx),
        by_building=_groups(given, sampled, answered, _by_building, ctx),
        by_sample=_groups(given, sampled, answered, _by_sample, ctx),
    )
