"""Parked messages can be listed and replayed with the `careloop parked` command."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from probe.app import complaint
from probe.harness import Probe, envelope, publish_event, wait_parked

from shared.testing.processes import settings_env

pytestmark = pytest.mark.integration


def careloop(probe: Probe, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        env=settings_env(probe.settings),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )


async def test_a_parked_message_is_listed_and_replayed_once_its_cause_is_fixed(
    probe: Probe,
) -> None:
    first = probe.process()
    stuck = envelope(complaint(str(uuid.uuid4()), description="FAIL until fixed"))
    await publish_event(probe, stuck)
    await wait_parked(probe, 1)
    first.kill()

    listed = careloop(probe, "parked", "list", "--service", "probe")
    assert stuck["id"] in listed.stdout
    assert "failed" in listed.stdout
    assert "told to fail" in listed.stdout

    fixed = probe.process(start=False)
    fixed.env["PROBE_FAIL_WORD"] = "a word no complaint contains"
    fixed.start()
    replayed = careloop(probe, "parked", "replay", "--service", "probe", "--id", stuck["id"])

    assert "replayed 1 message" in replayed.stderr
    complaint_id = stuck["data"]["complaint_id"]
    handled = await probe.wait_for(
        f"SELECT count FROM probe_handled WHERE complaint_id = '{complaint_id}'", 1
    )
    assert handled == 1
    assert await probe.queue_depth(probe.settings.queue_name(".parking")) == 0
