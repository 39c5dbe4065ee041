"""Recurring problems (DESIGN.md §1 rule 13): the same category at one site passing a number
of valid complaints within a window opens one corrective action, not one per complaint.

Detected when routing hears its own `case.validity_judged` with a valid judgement
(`routing.corrective.handlers`), with the threshold and window of the settings' policy.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from routing import metrics
from routing.cases.models import Case
from routing.corrective import actions, automatic, policy, rules
from shared.bus import outbox
from shared.clock import utcnow
from shared.contracts.routing import ProblemRecurringDetected
from shared.db.engine import after_commit

LINKED_CASES = 100


async def on_valid_complaint(
    session: AsyncSession, case: Case, *, current: rules.RecurringPolicy
) -> bool:
    """Open the category's action when this valid complaint makes it recur; True if opened."""
    now = utcnow()
    since = now - timedelta(days=current.window_days)
    count = await actions.valid_complaints(
        session, site_id=case.site_id, category=case.category, since=since
    )
    if not rules.is_recurring(count, current):
        return False
    problem = (
        f"{count} valid complaints about {case.category} at site {case.site_id} "
        f"within {current.window_days} days (threshold {current.threshold})"
    )
    action = actions.new_action(
        site_id=case.site_id,
        kind="corrective",
        source="recurring",
        problem=problem,
        window_days=current.window_days,
        category=case.category,
        dedupe_key=policy.key_of(case.site_id, case.category),
        complaints_before=count,
    )
    if not await automatic.insert_once(session, action):
        return False
    await actions.announce(session, action, await _window_cases(session, case, since), None)
    await outbox.add(
        session,
        ProblemRecurringDetected(
            site_id=case.site_id,
            category=case.category,
            complaints=count,
            threshold=current.threshold,
            window_days=current.window_days,
            action_id=action.id,
            detected_at=now,
        ),
        site_id=case.site_id,
        correlation_id=case.correlation_id,
    )
    after_commit(session, metrics.recurring_problems.labels(case.site_id, case.category).inc)
    return True


async def _window_cases(session: AsyncSession, case: Case, since: datetime) -> list[str]:
    query = (
        select(col(Case.id))
        .where(
            col(Case.site_id) == case.site_id,
            col(Case.category) == case.category,
            col(Case.validity) == "valid",
            col(Case.received_at) >= since,
        )
        .order_by(col(Case.received_at).desc())
        .limit(LINKED_CASES)
    )
    return list(await session.scalars(query))
