"""SIGTERM to routing in the middle of a burst: it finishes what it holds, then exits."""

from __future__ import annotations

import asyncio
import signal
import time

import pytest
from drill import CASES, Drill, size

from shared.http.app import SHUTDOWN_GRACE

pytestmark = pytest.mark.failure

DUPLICATES = "careloop_bus_consumed_total"


async def test_drill_sigterm_mid_burst_acks_in_flight_messages_and_exits_in_grace(
    drill: Drill,
) -> None:
    count = size(400, 10_000)
    routing = drill.system["routing"]
    posting = asyncio.create_task(drill.post(count))

    at = await drill.when("routing", CASES, count // 2, within=120)
    asked = time.monotonic()
    code = await drill.system.terminate("routing", within=SHUTDOWN_GRACE + 30)
    took = time.monotonic() - asked
    await drill.system.restart("routing")
    burst = await posting

    assert at < count, "routing finished before the signal; the burst is too small"
    assert code == -signal.SIGTERM, routing.process.log()
    assert took < SHUTDOWN_GRACE, f"routing took {took:.1f}s to stop"
    log = routing.process.log()
    assert "in-flight messages did not finish" not in log
    assert "] stopped " in log
    assert burst.problems() == {}
    await drill.assert_complete(count)
    # Whatever the first process handled it acked: nothing came back to the second one.
    assert routing.metric(DUPLICATES, outcome="duplicate") == 0
    assert drill.system["intake"].metric(DUPLICATES, outcome="duplicate") == 0
