"""What a due verification timer does: verify a category action by the complaint count."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing.corrective import automatic, service
from shared.timers import Timer, TimerHandler


async def on_verify_due(due: Timer, *, session: AsyncSession) -> None:
    """The window after the action passed: compare its complaints with those before."""
    await automatic.on_verify_due(session, action_id=due.key)


TIMERS: dict[str, TimerHandler] = {service.VERIFY_TIMER: on_verify_due}
