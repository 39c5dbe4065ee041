"""What the action timers do: verify a category action by the complaint count, and
escalate an action still not carried out at its due time."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from routing.corrective import automatic, escalation, policy, service
from routing.settings import RoutingSettings
from shared.timers import Timer, TimerHandler


def timers(settings: RoutingSettings) -> dict[str, TimerHandler]:
    """The action timers, the verification bound to the settings' recurring-problem policy."""

    async def on_verify_due(due: Timer, *, session: AsyncSession) -> None:
        """The window after the action passed: compare its complaints with those before."""
        await automatic.on_verify_due(session, action_id=due.key, recurring=policy.of(settings))

    return {service.VERIFY_TIMER: on_verify_due, escalation.DUE_TIMER: on_action_due}


async def on_action_due(due: Timer, *, session: AsyncSession) -> None:
    """An action's due time passed: escalate it one level if it is still to be done."""
    action = await service.lock_for_routing(session, action_id=due.key)
    if action is not None:
        await escalation.escalate_overdue(session, action)
