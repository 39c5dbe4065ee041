"""The test library's helpers that have logic of their own: envelopes, round counters,
waiting on a condition, and watching that nothing happens."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest

from shared.contracts.base import Envelope
from shared.contracts.intake import HouseholdRemoved
from shared.settings import ServiceSettings
from shared.testing.checks import eventually, watched
from shared.testing.inprocess import Rounds, envelope, hex_id, rounds
from shared.testing.processes import settings_env

REMOVED = HouseholdRemoved(
    household_id="h-1", site_id="s-1", removed_at=datetime(2026, 11, 1, tzinfo=UTC)
)


def test_an_envelope_is_a_valid_one_of_its_own_correlation_by_default() -> None:
    env = envelope(REMOVED, site_id="s-1", aggregate_id="h-1", aggregate_version=3)
    parsed = Envelope.model_validate(env)
    assert (parsed.type, parsed.site_id, parsed.aggregate_version) == (
        "household.removed",
        "s-1",
        3,
    )
    assert env["correlation_id"] == env["id"]
    assert env["data"]["household_id"] == "h-1"


def test_an_envelope_takes_the_id_time_and_correlation_it_is_given() -> None:
    at = datetime(2026, 11, 2, 8, tzinfo=UTC)
    env = envelope(REMOVED, message_id="m-1", occurred_at=at, correlation_id="corr-1")
    assert (env["id"], env["occurred_at"], env["correlation_id"]) == (
        "m-1",
        at.isoformat(),
        "corr-1",
    )


def test_hex_ids_are_random_after_their_prefix() -> None:
    first, second = hex_id("site-"), hex_id("site-")
    assert first.startswith("site-")
    assert len(first) == len("site-") + 12
    assert first != second


class Loop:
    """A loop like the scheduler's: it calls `step` once a round."""

    def __init__(self) -> None:
        self.steps = 0
        self.gate = asyncio.Event()

    async def step(self) -> int:
        await self.gate.wait()
        self.steps += 1
        return self.steps

    async def run(self, count: int) -> None:
        for _ in range(count):
            await self.step()


async def test_rounds_wait_for_whole_rounds_begun_after_the_call() -> None:
    loop = Loop()
    counted = Rounds(loop, "step")
    running = asyncio.create_task(loop.run(3))

    async def started() -> int:
        return counted.started

    assert await eventually(started, 1, timeout=5) == 1  # the first round waits at the gate
    waiting = asyncio.create_task(counted.more(1, timeout=5))
    loop.gate.set()
    await waiting
    # The round under way at the call does not count: the one begun after it has ended.
    assert counted.finished >= 2
    assert loop.steps >= 2
    await running


async def test_rounds_fail_when_the_loop_does_not_turn() -> None:
    with pytest.raises(AssertionError, match="not 2 more rounds"):
        await Rounds(Loop(), "step").more(2, timeout=0.2)


def test_one_counter_per_owner() -> None:
    loop = Loop()
    assert rounds(loop, "step") is rounds(loop, "step")
    assert rounds(Loop(), "step") is not rounds(loop, "step")


async def test_eventually_returns_the_last_value_read() -> None:
    values = iter(range(100))

    async def read() -> int:
        return next(values)

    assert await eventually(read, 3, timeout=5) == 3
    assert await eventually(read, -1, timeout=0.2) != -1


async def test_watching_says_how_long_and_why() -> None:
    with pytest.raises(ValueError, match="seconds > 0"):
        await watched(seconds=0.1, why=" ")
    with pytest.raises(ValueError, match="seconds > 0"):
        await watched(seconds=0, why="because")
    await watched(seconds=0.01, why="nothing is scheduled in this test")


def test_a_process_gets_a_tuple_setting_as_json_it_can_read_back() -> None:
    settings = ServiceSettings(relay_bulk_types=("household.", "survey.invitation_issued"))
    env = settings_env(settings)
    assert json.loads(env["SERVICE_RELAY_BULK_TYPES"]) == ["household.", "survey.invitation_issued"]
