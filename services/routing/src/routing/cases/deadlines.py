"""A case's timers: its next SLA deadline, and reminders while the developer is awaited.

Timers are rows written in the case's own transaction (`shared.timers`), so they survive
restarts and fire exactly once across replicas. A case has at most one SLA timer, set to
the earliest deadline it still has to meet (acknowledge, then resolve); every change that
moves a deadline or the case's status sets it again with `arm_next`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from routing.cases.models import Case
from routing.cases.rules import Status
from routing.rules.rules import SiteRules
from shared import timers

SLA = "routing.sla"
FOLLOW_UP = "routing.developer_follow_up"
WARNING = "routing.sla_warning"

# Statuses in which the resolve clock runs: not while the developer is awaited.
RESOLVE_CLOCK = frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.TRANSMITTED})


def clock_start(case: Case) -> datetime:
    """When the case's SLA clock started: when the complaint was received, never later
    than when routing opened the case (a routing outage does not give staff more time)."""
    return min(case.received_at, case.opened_at)


def pending_deadlines(case: Case) -> dict[str, datetime]:
    """The deadlines the case has still to meet, by name."""
    acknowledging = case.status == Status.ASSIGNED and case.acknowledge_breached_at is None
    resolving = case.status in RESOLVE_CLOCK and case.resolve_breached_at is None
    pending = {
        "acknowledge": case.acknowledge_due_at if acknowledging else None,
        "resolve": case.resolve_due_at if resolving else None,
    }
    return {name: due for name, due in pending.items() if due is not None}


async def arm_next(session: AsyncSession, case: Case) -> None:
    """Set the case's SLA timer to its earliest pending deadline, or remove it."""
    pending = pending_deadlines(case)
    if not pending:
        await timers.cancel(session, kind=SLA, key=case.id)
        return
    await _arm(session, case, SLA, min(pending.values()))


async def arm_warnings(
    session: AsyncSession, case: Case, found: SiteRules, *, start: datetime
) -> None:
    """Warn the handler when the policy's share of each pending deadline's time (counted
    from `start`, where the deadlines were counted from) has passed."""
    share, *when = found.warnings(start, category=case.category, severity=case.severity)
    pending = pending_deadlines(case)
    for name, warn_at in zip(("acknowledge", "resolve"), when, strict=True):
        due = pending.get(name)
        if due is not None and warn_at < due:
            payload = {"deadline": name, "due_at": due.isoformat(), "share": share}
            await timers.schedule(
                session,
                kind=WARNING,
                key=f"{case.id}:{name}",
                due_at=warn_at,
                payload=payload,
                site_id=case.site_id,
            )


async def arm_follow_up(session: AsyncSession, case: Case, due_at: datetime) -> None:
    """Remind the handler about the developer at `due_at`."""
    await _arm(session, case, FOLLOW_UP, due_at)


async def disarm_follow_up(session: AsyncSession, case: Case) -> None:
    """No more reminders: the developer answered."""
    await timers.cancel(session, kind=FOLLOW_UP, key=case.id)


def new_resolve_deadline(case: Case, due_at: datetime) -> None:
    """A fresh resolve deadline: the case may breach it (again)."""
    case.resolve_due_at = due_at
    case.resolve_breached_at = None


async def _arm(session: AsyncSession, case: Case, kind: str, due_at: datetime) -> None:
    await timers.schedule(
        session,
        kind=kind,
        key=case.id,
        due_at=due_at,
        payload={"case_id": case.id},
        site_id=case.site_id,
    )
