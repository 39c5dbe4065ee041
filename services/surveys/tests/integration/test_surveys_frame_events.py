"""The frame and the registry from intake's and routing's events: versions, duplicates,
out-of-order arrival, and which complaints count for the key sample."""

from __future__ import annotations

from datetime import timedelta

import pytest
from surveys_harness import Surveys, complaint, envelope, eventually, hex_id, household, removed

from shared.clock import utcnow

pytestmark = pytest.mark.integration


async def _row(surveys: Surveys, household_id: str) -> tuple[str, str, bool] | None:
    found = await surveys.rows(
        "SELECT building, unit, removed_at IS NULL FROM frame_household WHERE household_id = :h",
        h=household_id,
    )
    return (found[0][0], found[0][1], bool(found[0][2])) if found else None


async def test_an_older_version_arriving_late_never_overwrites_a_newer_one(
    surveys: Surveys,
) -> None:
    site_id = hex_id("site-")
    first = household(site_id, building="B1", unit="101")
    moved = first.model_copy(update={"building": "B7", "unit": "702"})
    await surveys.upsert(moved, version=2)
    await surveys.upsert(first, version=1)  # late
    marker = household(site_id)
    await surveys.upsert(marker)

    assert await eventually(lambda: surveys.scalar("SELECT count(*) FROM inbox"), 3) == 3
    assert await _row(surveys, first.household_id) == ("B7", "702", True)
    assert await surveys.frame_size(site_id) == 2
    gone = removed(site_id, first.household_id)
    await surveys.publish(envelope(gone, aggregate_id=first.household_id, aggregate_version=3))
    await surveys.upsert(moved, version=2)  # a stale copy after the removal
    assert await eventually(lambda: surveys.frame_size(site_id), 1) == 1
    assert await eventually(lambda: surveys.scalar("SELECT count(*) FROM inbox"), 5) == 5
    assert await _row(surveys, first.household_id) == ("B7", "702", False)


async def test_without_versions_the_latest_occurrence_wins(surveys: Surveys) -> None:
    site_id = hex_id("site-")
    one = household(site_id, building="B1")
    later = envelope(one.model_copy(update={"building": "B2"}), occurred_at=utcnow())
    earlier = envelope(one, occurred_at=utcnow() - timedelta(minutes=5))
    await surveys.publish(later)
    await surveys.publish(earlier)
    await surveys.publish(later)  # a redelivery: the inbox absorbs it

    assert await eventually(lambda: surveys.scalar("SELECT count(*) FROM inbox"), 2) == 2
    assert await _row(surveys, one.household_id) == ("B2", "101", True)


async def test_a_removal_seen_first_leaves_a_tombstone_that_an_older_upsert_respects(
    surveys: Surveys,
) -> None:
    site_id = hex_id("site-")
    one = household(site_id)
    gone = envelope(
        removed(site_id, one.household_id), aggregate_id=one.household_id, aggregate_version=3
    )
    await surveys.publish(gone)
    await surveys.upsert(one, version=2)

    assert await eventually(lambda: surveys.scalar("SELECT count(*) FROM inbox"), 2) == 2
    assert await _row(surveys, one.household_id) == ("-", "", False)
    assert await surveys.frame_size(site_id) == 0


async def test_only_complaints_and_grievances_of_households_enter_the_registry(
    surveys: Surveys,
) -> None:
    site_id = hex_id("site-")
    resident = household(site_id)
    for kind in ("complaint", "complaint", "grievance", "inquiry", "suggestion"):
        await surveys.publish(envelope(complaint(site_id, resident.household_id, kind=kind)))
    await surveys.publish(envelope(complaint(site_id, None)))  # a visitor's

    async def listed() -> list[tuple[int, int]]:
        page = await surveys.ok("GET", f"/v1/sites/{site_id}/complainants")
        return [(c["complaints"], c["grievances"]) for c in page["items"]]

    assert await eventually(listed, [(2, 1)]) == [(2, 1)]
    assert await eventually(lambda: surveys.scalar("SELECT count(*) FROM inbox"), 6) == 6
    assert await surveys.scalar("SELECT count(*) FROM complaint_mark") == 3
