"""What a due timer does: escalate a missed deadline, remind about the developer.

The scheduler claims the timer row and runs the handler in that transaction; the case is
then taken without waiting (`lock_for_routing`), and a case another transaction holds
makes the timer try again a moment later. Each handler checks the case again: a case
acknowledged or resolved meanwhile is left alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases import deadlines, escalation, service
from shared.db.engine import as_utc
from shared.timers import Timer, TimerHandler


async def on_sla_due(due: Timer, *, session: AsyncSession) -> None:
    """A deadline passed: escalate once for each the case missed, then set the next one."""
    case = await service.lock_for_routing(session, case_id=due.key)
    if case is None:
        return
    await escalation.breach(session, case, deadline="acknowledge")
    await escalation.breach(session, case, deadline="resolve")
    await deadlines.arm_next(session, case)


async def on_warning_due(due: Timer, *, session: AsyncSession) -> None:
    """A share of a deadline's time passed: warn the handler if it is still to be met."""
    case = await service.lock_for_routing(session, case_id=due.key.rpartition(":")[0])
    deadline = due.payload.get("deadline")
    if case is None or deadline not in ("acknowledge", "resolve"):
        return
    due_at = as_utc(datetime.fromisoformat(str(due.payload["due_at"])))
    share = int(due.payload["share"])
    await escalation.warn(session, case, deadline=deadline, due_at=due_at, share=share)


async def on_follow_up_due(due: Timer, *, session: AsyncSession) -> None:
    """The developer has not answered: remind the handler, and set the next reminder."""
    case = await service.lock_for_routing(session, case_id=due.key)
    if case is not None:
        await escalation.remind(session, case)


TIMERS: dict[str, TimerHandler] = {
    deadlines.SLA: on_sla_due,
    deadlines.FOLLOW_UP: on_follow_up_due,
    deadlines.WARNING: on_warning_due,
}
