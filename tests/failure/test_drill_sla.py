"""An SLA deadline passes while routing is down: one escalation per case after restart."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from drill import Drill, size

from shared.testing.checks import past, watched

pytestmark = pytest.mark.failure

ACKNOWLEDGE_WITHIN = 8  # seconds: room to post and assign every complaint before it passes

ESCALATIONS = "SELECT count(*) FROM case_entry WHERE type = 'case.escalated'"
ESCALATED_CASES = "SELECT count(DISTINCT case_id) FROM case_entry WHERE type = 'case.escalated'"
SLA_ESCALATIONS = (
    "SELECT count(*) FROM case_entry WHERE type = 'case.escalated' "
    "AND CAST(data AS jsonb) ->> 'reason' = 'sla'"
)
BREACHES = "SELECT count(*) FROM case_entry WHERE type = 'sla.breached'"
AT_DEPT_HEAD = """SELECT count(*) FROM "case" WHERE level = 'dept_head'"""
ACKNOWLEDGE_BREACHED = """SELECT count(*) FROM "case" WHERE acknowledge_breached_at IS NOT NULL"""
# Whatever timers a case keeps, none is due before its resolve deadline any more.
TIMERS_DUE_EARLY = """SELECT count(*) FROM timer JOIN "case" ON timer.key = "case".id
WHERE timer.due_at < "case".resolve_due_at"""
LAST_DUE = 'SELECT max(acknowledge_due_at) FROM "case"'
ON_TIMELINES = "SELECT count(*) FROM timeline_entry WHERE type = 'case.escalated'"


async def test_drill_sla_deadline_passing_while_routing_is_down_escalates_once_on_restart(
    drill: Drill,
) -> None:
    count = size(20, 200)
    system = drill.system
    await drill.put_rules(
        sla_policies=[
            {
                "category": "housing_management",
                "acknowledge_within": ACKNOWLEDGE_WITHIN,
                "resolve_within": 86_400,
            }
        ]
    )
    burst = await drill.post(count)
    await drill.settle(count)
    assert await system.scalar("routing", ESCALATIONS) == 0, "a deadline passed too early"

    system.kill("routing")
    last_due: datetime = await system.scalar("routing", LAST_DUE)
    await past(last_due, margin=1)  # every deadline passes while routing is down
    await system.restart("routing")
    ready = time.monotonic()
    escalated = await system.wait_for("routing", ESCALATIONS, count, within=30)
    took = time.monotonic() - ready

    assert burst.problems() == {}
    assert escalated == count
    # How soon is measured, not asserted: a loaded machine is slower, not wrong (the wait
    # above bounds it at 30 s). The benchmark holds the timing targets.
    print(f"drill sla: {count} escalations {took:.1f}s after routing was ready again")
    assert await system.wait_for("intake", ON_TIMELINES, count, within=30) == count
    # Routing is another process, with no round counter to wait on.
    await watched(seconds=1.0, why="five timer polls (0.2 s): nothing fires a second time")
    assert {
        "escalations": await system.scalar("routing", ESCALATIONS),
        "escalated cases": await system.scalar("routing", ESCALATED_CASES),
        "escalations for the SLA": await system.scalar("routing", SLA_ESCALATIONS),
        "breaches": await system.scalar("routing", BREACHES),
        "cases at the department head": await system.scalar("routing", AT_DEPT_HEAD),
        "acknowledge breaches recorded": await system.scalar("routing", ACKNOWLEDGE_BREACHED),
        "timers due before the resolve deadline": await system.scalar("routing", TIMERS_DUE_EARLY),
        "escalations on the timelines": await system.scalar("intake", ON_TIMELINES),
    } == {
        "escalations": count,
        "escalated cases": count,
        "escalations for the SLA": count,
        "breaches": count,
        "cases at the department head": count,
        "acknowledge breaches recorded": count,
        "timers due before the resolve deadline": 0,
        "escalations on the timelines": count,
    }
    await drill.assert_complete(count)
