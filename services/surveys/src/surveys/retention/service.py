"""Retention: personal data of finished campaigns and removed households is replaced.

A campaign is finished when it closed; its responses lose their comments, the collector's
name and the recheck note, its sample members the detail of why they were drawn, and its
interview tasks the phone number. A household removed from the directory loses its phone
in the sampling frame. What stays: ids, buildings, methods, reasons, levels and times, so
the results by topic and every response rate are still counted. A record is done once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.typed import rowcount
from shared.retention import MARKER, masked
from surveys.campaigns.models import campaign
from surveys.frame.models import frame_household
from surveys.responses.models import interview_task, response
from surveys.sampling.models import sample_member


@dataclass(frozen=True)
class Anonymised:
    responses: int
    sample_members: int
    interview_tasks: int
    households: int


def _holds(column: Any) -> ColumnElement[bool]:
    """Something personal is still there: neither nothing nor the marker."""
    return and_(column.is_not(None), column != "", column != MARKER)


async def anonymise_site(session: AsyncSession, *, site_id: str, cutoff: datetime) -> Anonymised:
    """Anonymise what of the site finished before `cutoff`: campaigns' records, households."""
    closed = select(campaign.c.id).where(
        campaign.c.site_id == site_id, campaign.c.closed_at < cutoff
    )
    ids = closed.scalar_subquery()
    return Anonymised(
        responses=await _anonymise_responses(session, ids),
        sample_members=await _changed(
            session,
            update(sample_member)
            .where(sample_member.c.campaign_id.in_(ids), _holds(sample_member.c.detail))
            .values(detail=MARKER),
        ),
        interview_tasks=await _changed(
            session,
            update(interview_task)
            .where(interview_task.c.campaign_id.in_(ids), _holds(interview_task.c.phone))
            .values(phone=MARKER),
        ),
        households=await _changed(
            session,
            update(frame_household)
            .where(
                frame_household.c.site_id == site_id,
                frame_household.c.removed_at < cutoff,
                _holds(frame_household.c.phone),
            )
            .values(phone=MARKER),
        ),
    )


async def _anonymise_responses(session: AsyncSession, ids: Any) -> int:
    r = response.c
    return await _changed(
        session,
        update(response)
        .where(
            r.campaign_id.in_(ids),
            or_(_holds(r.comment), _holds(r.collector_name), _holds(r.recheck_note)),
        )
        .values(
            comment=masked(r.comment),
            collector_name=masked(r.collector_name),
            recheck_note=masked(r.recheck_note),
        ),
    )


async def _changed(session: AsyncSession, statement: Any) -> int:
    return rowcount(await session.execute(statement))
