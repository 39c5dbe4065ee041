"""Reminding who has not answered: once per invitation, some days before the campaign closes.

The reminder carries a second single-use link to the same questionnaire (the first token
travelled once and only its hash is kept); either link spends the invitation. Its token
travels once, in `survey.reminder_issued`, which notify delivers like the invitation.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared import timers
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.surveys import SurveyReminderIssued
from shared.db.engine import after_commit
from surveys import metrics
from surveys.campaigns import service as campaigns
from surveys.campaigns.rules import reminder_due
from surveys.responses.models import invitation
from surveys.responses.rules import hash_token, link_event


async def plan_reminder(
    session: AsyncSession, *, row: Row[Any], opened_at: datetime, link_base: str
) -> None:
    """Set the campaign's reminder timer, when its setting and dates give it one."""
    due = reminder_due(opened_at=opened_at, closes_at=row.closes_at, days=row.remind_before_days)
    if due is None:
        return
    await timers.schedule(
        session,
        kind=campaigns.REMIND_TIMER,
        key=row.id,
        due_at=due,
        payload={"campaign_id": row.id, "link_base": link_base},
        site_id=row.site_id,
    )


async def remind_unanswered(session: AsyncSession, *, row: Row[Any], link_base: str) -> int:
    """Remind every invited household that has neither answered nor been reminded; how many."""
    now = utcnow()
    waiting = (
        await session.execute(
            select(invitation.c.id, invitation.c.household_id)
            .where(
                invitation.c.campaign_id == row.id,
                invitation.c.used_at.is_(None),
                invitation.c.reminded_at.is_(None),
                invitation.c.expires_at > now,
            )
            .order_by(invitation.c.household_id)
        )
    ).all()
    if not waiting:
        return 0
    tokens = {w.id: secrets.token_urlsafe(24) for w in waiting}
    await session.execute(
        update(invitation)
        .where(invitation.c.id == bindparam("ident"), invitation.c.reminded_at.is_(None))
        .values(reminded_at=now, reminder_token_hash=bindparam("hashed")),
        [{"ident": ident, "hashed": hash_token(token)} for ident, token in tokens.items()],
    )
    events = [
        link_event(
            SurveyReminderIssued,
            row,
            household_id=w.household_id,
            invitation_id=w.id,
            token=tokens[w.id],
            link_base=link_base,
        )
        for w in waiting
    ]
    await outbox.add_many(session, events)
    after_commit(session, lambda: metrics.reminders.inc(len(events)))
    return len(events)
