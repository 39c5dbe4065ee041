"""A campaign's moves in time: opened when its sample is drawn and its day has come, who has
not answered reminded some days before the close, closed at its close time. The timers are
rows, so the moves survive restarts (DESIGN.md §5)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared import timers
from shared.clock import utcnow
from shared.timers import Timer
from surveys.campaigns import service as campaigns
from surveys.responses.invitations import open_campaign
from surveys.responses.reminders import remind_unanswered
from surveys.results.closing import close_campaign


async def open_when_due(session: AsyncSession, *, campaign_id: str, link_base: str) -> None:
    """Open a drawn campaign now if its opening time has come, or set a timer for it."""
    row = await campaigns.get_row(session, campaign_id=campaign_id)
    if row.opens_at <= utcnow():
        await open_campaign(session, row=row, link_base=link_base)
        return
    await timers.schedule(
        session,
        kind=campaigns.OPEN_TIMER,
        key=row.id,
        due_at=row.opens_at,
        payload={"campaign_id": row.id, "link_base": link_base},
        site_id=row.site_id,
    )


async def on_open_due(due: Timer, *, session: AsyncSession) -> None:
    """The opening time came: issue the invitations and interviewer tasks."""
    row = await campaigns.get_row(session, campaign_id=due.payload["campaign_id"], lock=True)
    if row.status == "drawn":
        await open_campaign(session, row=row, link_base=due.payload["link_base"])


async def on_remind_due(due: Timer, *, session: AsyncSession) -> None:
    """Some days before the close: remind who was invited and has not answered yet."""
    row = await campaigns.get_row(session, campaign_id=due.payload["campaign_id"], lock=True)
    if row.status == "open":
        await remind_unanswered(session, row=row, link_base=due.payload["link_base"])


async def on_close_due(due: Timer, *, session: AsyncSession) -> None:
    """The close time came: results become final and the events go out."""
    row = await campaigns.get_row(session, campaign_id=due.payload["campaign_id"], lock=True)
    if row.status != "closed":
        await close_campaign(session, row=row)


TIMERS = {
    campaigns.OPEN_TIMER: on_open_due,
    campaigns.REMIND_TIMER: on_remind_due,
    campaigns.CLOSE_TIMER: on_close_due,
}
