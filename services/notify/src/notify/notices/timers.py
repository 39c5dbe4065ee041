"""A notice's publish time: a timer row, so it survives restarts and fires once across
replicas (DESIGN.md §5); the fan-out commits together with the timer's removal."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify.notices import service
from shared.timers import Timer, TimerHandler


async def on_publish_due(due: Timer, *, session: AsyncSession) -> None:
    """The publish time came: every household in scope gets the notice."""
    await service.publish_due(session, notice_id=due.payload.get("notice_id", due.key))


TIMERS: dict[str, TimerHandler] = {service.PUBLISH_TIMER: on_publish_due}
