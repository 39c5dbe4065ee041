"""Routing killed with SIGKILL twice while a burst of complaints flows through it."""

from __future__ import annotations

import asyncio

import pytest
from drill import CASES, Drill, size

pytestmark = pytest.mark.failure


async def test_drill_routing_killed_twice_mid_burst_assigns_every_complaint_once(
    drill: Drill,
) -> None:
    count = size(400, 10_000)
    posting = asyncio.create_task(drill.post(count))

    for third in (1, 2):
        at = await drill.when("routing", CASES, count * third // 3, within=120)
        drill.system.kill("routing")  # mid-batch: handled, committed and not acked, or not
        assert at < count, "routing finished before it could be killed; the burst is too small"
        await drill.system.restart("routing")
    burst = await posting

    assert burst.problems() == {}
    await drill.assert_complete(count)
