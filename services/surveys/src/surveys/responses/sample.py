"""Reading a campaign's sample back: each household, why it was drawn, and its response
once it answered (the sample itself is drawn by `sampling.service`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.http.pagination import Page, after_key, page_of
from surveys.frame.models import frame_household
from surveys.responses.models import response
from surveys.sampling.models import sample_member
from surveys.sampling.schemas import MemberRead


def _members_query(campaign_id: str) -> Select[Any]:
    """The sample's rows with each household's unit (from the frame) and its response."""
    return (
        select(
            *sample_member.c,
            frame_household.c.unit,
            response.c.id.label("response_id"),
        )
        .outerjoin(frame_household, frame_household.c.household_id == sample_member.c.household_id)
        .outerjoin(
            response,
            (response.c.campaign_id == sample_member.c.campaign_id)
            & (response.c.household_id == sample_member.c.household_id),
        )
        .where(sample_member.c.campaign_id == campaign_id)
    )


def _member(row: Row[Any]) -> MemberRead:
    return MemberRead.model_validate(dict(row._mapping))


@dataclass(frozen=True)
class MemberFilters:
    """Which members a sample read keeps: by reason, key or random, one household."""

    reason: str | None = None
    key: bool | None = None
    household_id: str | None = None


async def list_members(
    session: AsyncSession,
    *,
    campaign_id: str,
    filters: MemberFilters,
    limit: int,
    cursor: str | None,
) -> Page[MemberRead]:
    """The sample's households and why each was drawn, by household id."""
    query = _members_query(campaign_id)
    for name, value in vars(filters).items():
        if value is not None:
            query = query.where(sample_member.c[name] == value)
    query = after_key(query, [sample_member.c.household_id], cursor).limit(limit + 1)
    items = [_member(r) for r in await session.execute(query)]
    return page_of(items, limit=limit, key=lambda m: (m.household_id,))
