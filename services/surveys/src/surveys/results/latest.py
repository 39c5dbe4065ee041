"""The latest satisfaction of each site and topic: what the managers' dashboard shows.

Read from the results frozen when campaigns close (`topic_result`), so a figure is final
and the same whenever it is read: for each site and topic (overall included) the closed
campaign that last asked it, regular or special. One statement for all the principal's
sites, however many.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.engine import as_utc
from shared.http.auth import Principal
from surveys.campaigns.models import campaign
from surveys.results.models import topic_result

MAX_SITES = 500
Sites = Annotated[list[str] | None, Query(max_length=MAX_SITES, description="only these sites")]


class LatestTopic(BaseModel):
    """A site's topic as its last closed campaign that asked it found it."""

    site_id: str
    topic: str
    campaign_id: str
    title: str
    kind: str
    closed_at: datetime
    valid: int = Field(description="answers given (all topics' answers pooled, for overall)")
    satisfied: int
    rate: float | None
    target: float
    met: bool | None


class LatestResults(BaseModel):
    """The latest satisfaction of every site and topic of the principal's sites."""

    items: list[LatestTopic]


def latest_statement(principal: Principal, sites: list[str] | None) -> Select[Any]:
    """Each (site, topic)'s newest frozen result, with its campaign's title and kind."""
    r, c = topic_result.c, campaign.c
    newest = (
        func.row_number()
        .over(partition_by=(r.site_id, r.topic), order_by=(r.closed_at.desc(), r.campaign_id))
        .label("newest")
    )
    shown = (r.site_id, r.topic, r.campaign_id, c.title, c.kind, r.closed_at, r.valid)
    ranked = (
        select(*shown, r.satisfied, r.rate, r.target, r.met, newest)
        .join(campaign, c.id == r.campaign_id)
        .where(principal.site_filter(r.site_id))
    )
    if sites is not None:
        ranked = ranked.where(r.site_id.in_(sites))
    chosen = ranked.subquery()
    return (
        select(*(column for column in chosen.c if column.name != "newest"))
        .where(chosen.c.newest == 1)
        .order_by(chosen.c.site_id, chosen.c.topic)
    )


async def latest(
    session: AsyncSession, *, principal: Principal, sites: list[str] | None
) -> LatestResults:
    """The latest result of every site and topic the principal sees (of `sites` if named)."""
    rows = (await session.execute(latest_statement(principal, sites))).mappings().all()
    return LatestResults(
        items=[LatestTopic(**{**row, "closed_at": as_utc(row["closed_at"])}) for row in rows]
    )
