"""What a due item timer does: escalate an item still open at its due time, once.

The scheduler claims the timer row and runs the handler in that transaction; the
rectification is then taken without waiting, and one another transaction holds makes the
timer try again a moment later (as the case timers do).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing.rectifications import escalation, service
from shared.timers import Timer, TimerHandler


async def on_item_due(due: Timer, *, session: AsyncSession) -> None:
    """An item's due time passed: escalate it one level if it is still open."""
    rect_id, _, position = due.key.rpartition(":")
    rect = await service.lock_for_routing(session, rect_id=rect_id)
    if rect is None or not position.isdigit():
        return
    item = await service.item_of(session, rect_id=rect_id, position=int(position))
    await escalation.escalate_overdue(session, rect, item)


TIMERS: dict[str, TimerHandler] = {service.ITEM_TIMER: on_item_due}
