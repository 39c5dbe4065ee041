"""The resident's side: open a questionnaire link, and submit it once.

A link is the invitation's or its reminder's; either one spends the invitation. A link is
refused when its token is unknown, when it was used (by the resident or because
a surveyor entered the household's paper form), or when the campaign is no longer open.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import Row, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import utcnow
from shared.db.typed import rowcount
from surveys.campaigns import service as campaigns
from surveys.campaigns.rules import scale_of
from surveys.responses import rules, service
from surveys.responses.models import invitation

Refusal = Literal["unknown", "used", "expired"]


class LinkRefusedError(Exception):
    """The link cannot be used; `reason` says why, for the page the resident sees."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason: Refusal = reason


async def open_link(session: AsyncSession, *, token: str) -> tuple[Row[Any], Row[Any]]:
    """The invitation and campaign behind a usable link, or LinkRefusedError."""
    hashed = rules.hash_token(token)
    found = (
        await session.execute(
            select(invitation).where(
                or_(invitation.c.token_hash == hashed, invitation.c.reminder_token_hash == hashed)
            )
        )
    ).first()
    if found is None:
        raise LinkRefusedError("unknown")
    if found.used_at is not None:
        raise LinkRefusedError("used")
    row = await campaigns.get_row(session, campaign_id=found.campaign_id)
    if row.status != "open" or found.expires_at <= utcnow():
        raise LinkRefusedError("expired")
    return found, row


async def submit(
    session: AsyncSession,
    *,
    token: str,
    answers: dict[str, str | None],
    comment: str | None,
    language: str,
) -> str:
    """Store the resident's answers and spend the link; the response id."""
    found, row = await open_link(session, token=token)
    spent = await session.execute(
        update(invitation)
        .where(invitation.c.id == found.id, invitation.c.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if not rowcount(spent):
        raise LinkRefusedError("used")
    checked = rules.read_answers(answers, topics=list(row.topics), scale=scale_of(row.scale))
    entry = service.Entry(
        household_id=found.household_id,
        method="questionnaire",
        source="link",
        form="online",
        answers=checked,
        comment=comment,
        language=language,
    )
    return await service.record(session, row=row, entry=entry)
