"""The hot paths stay lean: a fixed, small number of statements per request.

DESIGN.md §12: the cost of POST /v1/complaints is in Python per statement, so an extra
round trip (an ORM refresh, a lookup done twice) is a regression this test names; reads
that grow with their answer (the caller lookup) must not grow a statement per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from intake_harness import Intake, complaint_body, hex_id
from sqlalchemy import event

from shared.testing.inprocess import stop_relay_and_timers

pytestmark = pytest.mark.integration


@contextmanager
def _counted(intake: Intake) -> Iterator[list[str]]:
    """The first word of every statement the app runs in the block (not BEGIN/COMMIT)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement.split()[0].upper())

    # On SQLite reads have an engine of their own; on PostgreSQL it is the same one.
    engines = {id(e): e.sync_engine for e in (intake.db.engine, intake.db.read_engine)}
    for engine in engines.values():
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        for engine in engines.values():
            event.remove(engine, "before_cursor_execute", count)


async def _quiet(intake: Intake) -> None:
    await stop_relay_and_timers(intake.app)  # their own statements would be counted too


async def _statements(intake: Intake, body: dict[str, Any], headers: dict[str, str]) -> list[str]:
    with _counted(intake) as seen:
        response = await intake.request("POST", "/v1/complaints", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return seen


async def test_recording_a_complaint_takes_seven_statements_with_a_key_and_five_without(
    intake: Intake,
) -> None:
    place = await intake.place()
    await _quiet(intake)
    body = complaint_body(
        place.site_id, reporter={"type": "household", "household_id": place.household_id}
    )

    with_key = await _statements(intake, body, {"Idempotency-Key": hex_id()})
    without = await _statements(intake, body, {})

    # key lookup; site + household; daily counter; complaint; outbox; timeline; key stored
    assert with_key == ["SELECT", "SELECT", "INSERT", "INSERT", "INSERT", "INSERT", "INSERT"]
    assert without == ["SELECT", "INSERT", "INSERT", "INSERT", "INSERT"]


async def _look_up(intake: Intake, phone: str) -> tuple[list[str], Any]:
    with _counted(intake) as seen:
        found = await intake.ok("GET", "/v1/callers", params={"phone": phone})
    return seen, found


async def test_the_caller_lookup_takes_five_statements_however_many_households_match(
    intake: Intake,
) -> None:
    place = await intake.place()
    base = f"/v1/sites/{place.site_id}/households"
    for _ in range(3):
        await intake.file(
            place.site_id, reporter={"type": "household", "household_id": place.household_id}
        )
        await intake.file(
            place.site_id, reporter={"type": "visitor", "name": "W", "phone": place.phone}
        )
    await _quiet(intake)
    one, _ = await _look_up(intake, place.phone)
    for n in range(4):
        body = {"unit_id": place.unit_id, "name": f"Tenant {n}", "phones": [place.phone]}
        created = await intake.ok("POST", base, json=body, status=201)
        await intake.file(
            place.site_id, reporter={"type": "household", "household_id": created["id"]}
        )

    five, found = await _look_up(intake, place.phone)

    # the sites' countries; households; their phones; open complaints; recent ones
    assert one == five == ["SELECT"] * 5
    assert len(found["households"]) == 5
    assert all(len(h["recent_complaints"]) >= 1 for h in found["households"])
