"""The hot path stays lean: recording a complaint costs a fixed, small number of statements.

DESIGN.md §12: the cost of POST /v1/complaints is in Python per statement, so an extra
round trip (an ORM refresh, a lookup done twice) is a regression this test names.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from intake_harness import Intake, complaint_body, hex_id
from sqlalchemy import event

pytestmark = pytest.mark.integration


async def _statements(intake: Intake, body: dict[str, Any], headers: dict[str, str]) -> list[str]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement.split()[0].upper())

    engine = intake.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = await intake.request("POST", "/v1/complaints", json=body, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 201, response.text
    return seen


async def test_recording_a_complaint_takes_seven_statements_with_a_key_and_five_without(
    intake: Intake,
) -> None:
    place = await intake.place()
    runtime = intake.app.state.runtime
    runtime.relay.stop()  # its own statements would be counted too
    runtime.scheduler.stop()
    await asyncio.sleep(0.5)
    body = complaint_body(
        place.site_id, reporter={"type": "household", "household_id": place.household_id}
    )

    with_key = await _statements(intake, body, {"Idempotency-Key": hex_id()})
    without = await _statements(intake, body, {})

    # key lookup; site + household; daily counter; complaint; outbox; timeline; key stored
    assert with_key == ["SELECT", "SELECT", "INSERT", "INSERT", "INSERT", "INSERT", "INSERT"]
    assert without == ["SELECT", "INSERT", "INSERT", "INSERT", "INSERT"]
