"""The satisfaction gauges, read from the database on a timer by every replica.

Only the replica that closed a campaign sees it happen; reading the latest closed results
keeps every replica's figures whole and the same, and survives restarts.
"""

from __future__ import annotations

from sqlalchemy import select

from shared.db.engine import Database, reading
from surveys import metrics
from surveys.campaigns.rules import OVERALL
from surveys.results.models import topic_result


async def refresh(db: Database) -> None:
    """Set the gauges from the latest closed result of every site and topic."""
    query = select(
        topic_result.c.site_id,
        topic_result.c.topic,
        topic_result.c.rate,
        topic_result.c.target,
        topic_result.c.responses,
        topic_result.c.sample_size,
    ).order_by(topic_result.c.closed_at, topic_result.c.campaign_id)
    async with reading(db) as session:
        rows = (await session.execute(query)).all()
    latest = {(r.site_id, r.topic): r for r in rows}  # later rows overwrite earlier ones
    metrics.set_satisfaction(
        (site, topic, float(r.rate), float(r.target))
        for (site, topic), r in latest.items()
        if r.rate is not None
    )
    metrics.set_response_rates(
        (site, r.responses / r.sample_size)
        for (site, topic), r in latest.items()
        if topic == OVERALL and r.sample_size
    )
