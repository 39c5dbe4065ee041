"""Opening a campaign: single-use questionnaire links for some, interviewer tasks for others.

Each link's token travels once, in `survey.invitation_issued` (notify delivers it); only its
hash is stored here. A link expires when the campaign closes; who has not answered some
days before is reminded (`reminders`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.bus import outbox
from shared.clock import utcnow
from shared.context import new_id
from shared.contracts.surveys import SurveyInvitationIssued
from surveys.campaigns import service as campaigns
from surveys.frame import service as frame
from surveys.responses.models import interview_task, invitation
from surveys.responses.reminders import plan_reminder
from surveys.responses.rules import hash_token, link_event
from surveys.sampling.models import sample_member


@dataclass(frozen=True)
class Opened:
    """What opening a campaign issued."""

    invitations: int
    tasks: int


async def open_campaign(session: AsyncSession, *, row: Row[Any], link_base: str) -> Opened:
    """Issue every invitation and interviewer task of the sample; the campaign is open."""
    members = (
        await session.execute(
            select(sample_member)
            .where(sample_member.c.campaign_id == row.id)
            .order_by(sample_member.c.household_id)
        )
    ).all()
    linked = [m for m in members if m.method == "questionnaire"]
    visited = [m for m in members if m.method != "questionnaire"]
    await _invite(session, row, linked, link_base)
    await _tasks(session, row, visited)
    now = utcnow()
    await campaigns.change(session, row=row, status="open", opened_at=now)
    if linked:
        await plan_reminder(session, row=row, opened_at=now, link_base=link_base)
    return Opened(len(linked), len(visited))


async def _invite(
    session: AsyncSession, row: Row[Any], members: list[Row[Any]], link_base: str
) -> None:
    if not members:
        return
    now, rows, events = utcnow(), [], []
    for member in members:
        token, ident = secrets.token_urlsafe(24), new_id()
        rows.append(
            {
                "id": ident,
                "campaign_id": row.id,
                "site_id": row.site_id,
                "household_id": member.household_id,
                "token_hash": hash_token(token),
                "language": row.language,
                "issued_at": now,
                "expires_at": row.closes_at,
            }
        )
        events.append(
            link_event(
                SurveyInvitationIssued,
                row,
                household_id=member.household_id,
                invitation_id=ident,
                token=token,
                link_base=link_base,
            )
        )
    await session.execute(invitation.insert(), rows)
    await outbox.add_many(session, events)


async def _tasks(session: AsyncSession, row: Row[Any], members: list[Row[Any]]) -> None:
    if not members:
        return
    places = await frame.present(
        session, site_id=row.site_id, ids=[m.household_id for m in members]
    )
    now = utcnow()
    values = [
        {
            "id": new_id(),
            "campaign_id": row.id,
            "site_id": row.site_id,
            "household_id": m.household_id,
            "method": m.method,
            "building": m.building,
            "unit": places[m.household_id].unit if m.household_id in places else "",
            "phone": places[m.household_id].phone if m.household_id in places else None,
            "status": "open",
            "created_at": now,
        }
        for m in members
    ]
    await session.execute(interview_task.insert(), values)
