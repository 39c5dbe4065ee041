"""Drawing a campaign's sample with what the earlier campaigns left: the site's previous
campaign (rotation, "since the last campaign") and the households not satisfied in it,
whom the key sample must include (DESIGN.md §1.12)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from surveys.campaigns import service as campaigns
from surveys.responses import service as responses
from surveys.sampling.schemas import DrawRead
from surveys.sampling.service import draw_sample


async def draw(
    session: AsyncSession, *, row: Row[Any], by: str, seed: int | None = None
) -> DrawRead:
    """Draw the campaign's sample: every key household, plus a random sample of the rest."""
    previous = await campaigns.previous_of(session, row=row)
    unsatisfied = await responses.unsatisfied(session, previous)
    return await draw_sample(
        session, row=row, by=by, previous=previous, unsatisfied=unsatisfied, seed=seed
    )
