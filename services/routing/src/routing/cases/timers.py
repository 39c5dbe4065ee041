"""What a due timer does: escalate a missed deadline, remind about the developer.

The scheduler claims the timer row and runs the handler in that transaction; the case is
then taken without waiting (`lock_for_routing`), and a case another transaction holds
makes the timer try again a moment later. Each handler checks the case's state again:
a case acknowledged or resolved meanwhile is left alone.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases import deadlines, escalation, service
from shared.timers import Timer, TimerHandler


async def on_acknowledge_due(due: Timer, *, session: AsyncSession) -> None:
    """The acknowledge deadline passed: escalate if nobody accepted the case."""
    case = await service.lock_for_routing(session, case_id=due.key)
    if case is not None:
        await escalation.breach(session, case, deadline="acknowledge")


async def on_resolve_due(due: Timer, *, session: AsyncSession) -> None:
    """The resolve deadline passed: escalate if the case is still open."""
    case = await service.lock_for_routing(session, case_id=due.key)
    if case is not None:
        await escalation.breach(session, case, deadline="resolve")


async def on_follow_up_due(due: Timer, *, session: AsyncSession) -> None:
    """The developer has not answered: remind the handler, and set the next reminder."""
    case = await service.lock_for_routing(session, case_id=due.key)
    if case is not None:
        await escalation.remind(session, case)


TIMERS: dict[str, TimerHandler] = {
    deadlines.ACKNOWLEDGE: on_acknowledge_due,
    deadlines.RESOLVE: on_resolve_due,
    deadlines.FOLLOW_UP: on_follow_up_due,
}
