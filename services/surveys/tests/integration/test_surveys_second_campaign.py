"""A site's second campaign: last time's unsatisfied resident is a key household, last
time's sample is rotated out, the draw replays from the stored snapshot and seed, the
campaign opens on its own time, and the results compare with the first campaign."""

from __future__ import annotations

import hashlib
import zlib
from datetime import timedelta
from typing import Any

import orjson
import pytest
from surveys_harness import Surveys, campaign_body, eventually, hex_id, household

from shared.clock import utcnow
from surveys.sampling import rules

pytestmark = pytest.mark.integration


def _special(site_id: str, **changes: Any) -> dict[str, Any]:
    shape = {
        "kind": "special",
        "period": None,
        "topics": ["cleaning"],
        "methods": ["door_to_door"],
        "recheck_rate": 0,
    }
    return campaign_body(site_id, **{**shape, **changes})


async def _answer(surveys: Surveys, campaign_id: str, levels: dict[str, str]) -> None:
    for household_id, level in levels.items():
        entry = {
            "household_id": household_id,
            "method": "door_to_door",
            "answers": {"cleaning": level},
        }
        await surveys.ok("POST", f"/v1/campaigns/{campaign_id}/responses", json=entry, status=201)


async def _members(surveys: Surveys, campaign_id: str) -> list[dict[str, Any]]:
    return list((await surveys.ok("GET", f"/v1/campaigns/{campaign_id}/sample"))["items"])


async def _first_campaign(surveys: Surveys, site_id: str) -> tuple[str, list[str], str]:
    first = await surveys.ok(
        "POST", "/v1/campaigns", json=_special(site_id, sampling={"size": 4}), status=201
    )
    await surveys.ok("POST", f"/v1/campaigns/{first['id']}/draw", json={}, status=201)
    sampled = sorted(m["household_id"] for m in await _members(surveys, first["id"]))
    unhappy = sampled[0]
    await _answer(
        surveys, first["id"], {h: "dissatisfied" if h == unhappy else "satisfied" for h in sampled}
    )
    closed = await surveys.ok("POST", f"/v1/campaigns/{first['id']}/close")
    assert closed["topics"][0]["rate"] == 0.75
    return first["id"], sampled, unhappy


async def _replayed(
    surveys: Surveys, campaign_id: str, previous: list[str], unhappy: str
) -> list[str]:
    """The random households the stored snapshot and seed give when drawn again."""
    stored = (
        await surveys.rows(
            "SELECT members, digest FROM frame_snapshot WHERE campaign_id = :c", c=campaign_id
        )
    )[0]
    document = zlib.decompress(bytes(stored[0]))
    assert hashlib.sha256(document).hexdigest() == stored[1]
    strata = orjson.loads(document)
    seed = (await surveys.ok("GET", f"/v1/campaigns/{campaign_id}"))["seed"]
    sample = rules.compose(
        strata,
        key={unhappy: ("B1", rules.KEY_UNSATISFIED, "")},
        rotated=dict.fromkeys(previous, "B1"),
        plan=rules.Plan(size=4),
        seed=seed,
        stratify=True,
    )
    return sorted(h for h, _ in sample.random)


async def test_the_second_campaign_keeps_the_unsatisfied_rotates_and_compares(
    surveys: Surveys, frozen_clock: Any
) -> None:
    frozen_clock.freeze(utcnow())
    site_id = hex_id("site-")
    for n in range(10):
        await surveys.upsert(household(site_id, unit=f"10{n}"))
    assert await eventually(lambda: surveys.frame_size(site_id), 10) == 10
    first_id, previous, unhappy = await _first_campaign(surveys, site_id)

    later = {"opens_at": (utcnow() + timedelta(days=1)).isoformat()}
    body = _special(site_id, sampling={"size": 4, "rotate": True, "key_min_complaints": 0}, **later)
    second = await surveys.ok("POST", "/v1/campaigns", json=body, status=201)
    drawn = await surveys.ok(
        "POST", f"/v1/campaigns/{second['id']}/draw", json={"seed": 42}, status=201
    )

    assert (drawn["status"], drawn["seed"], drawn["excluded"]) == ("drawn", 42, 4)
    members = await _members(surveys, second["id"])
    key = [m for m in members if m["key"]]
    assert [(m["household_id"], m["reason"]) for m in key] == [(unhappy, rules.KEY_UNSATISFIED)]
    drawn_random = sorted(m["household_id"] for m in members if not m["key"])
    assert len(drawn_random) == 4
    assert not set(drawn_random) & set(previous)
    assert await _replayed(surveys, second["id"], previous, unhappy) == drawn_random
    assert (await surveys.ok("GET", f"/v1/campaigns/{second['id']}/tasks"))["items"] == []

    frozen_clock.advance(timedelta(days=1, minutes=1))  # the opening timer fires
    status = await eventually(lambda: _status(surveys, second["id"]), "open")
    assert status == "open"
    tasks = await surveys.ok("GET", f"/v1/campaigns/{second['id']}/tasks")
    assert len(tasks["items"]) == 5
    await _answer(surveys, second["id"], dict.fromkeys([unhappy, *drawn_random], "satisfied"))
    results = await surveys.ok("POST", f"/v1/campaigns/{second['id']}/close")

    cleaning = results["topics"][0]
    assert (cleaning["rate"], cleaning["previous_rate"], cleaning["change"]) == (1.0, 0.75, 0.25)
    assert results["previous_campaign_id"] == first_id


async def _status(surveys: Surveys, campaign_id: str) -> str:
    return str((await surveys.ok("GET", f"/v1/campaigns/{campaign_id}"))["status"])


async def test_a_supervisors_correction_from_the_paper_form_replaces_the_entry(
    surveys: Surveys,
) -> None:
    site_id = hex_id("site-")
    one = household(site_id)
    await surveys.upsert(one)
    assert await eventually(lambda: surveys.frame_size(site_id), 1) == 1
    created = await surveys.ok(
        "POST", "/v1/campaigns", json=_special(site_id, recheck_rate=1), status=201
    )
    base = f"/v1/campaigns/{created['id']}"
    await surveys.ok("POST", f"{base}/draw", json={}, status=201)
    await _answer(surveys, created["id"], {one.household_id: "satisfied"})
    pending = (await surveys.ok("GET", f"{base}/responses?recheck=pending"))["items"]
    assert len(pending) == 1

    supervisor = surveys.headers(roles=["dept_head"], sites=[site_id], sub="supervisor-chen")
    path = f"{base}/responses/{pending[0]['id']}/recheck"
    corrected = await surveys.ok(
        "POST",
        path,
        as_=supervisor,
        json={"outcome": "corrected", "answers": {"cleaning": "neutral"}, "note": "form says 一般"},
    )
    results = await surveys.ok("GET", f"{base}/results")

    assert (corrected["recheck_status"], corrected["rechecked_by"]) == (
        "corrected",
        "supervisor-chen",
    )
    assert corrected["answers"] == {"cleaning": "neutral"}
    originals = await surveys.scalar(
        "SELECT original_answers FROM response WHERE id = :r", r=pending[0]["id"]
    )
    stored = orjson.loads(originals) if isinstance(originals, str) else originals
    assert stored == {"cleaning": "satisfied"}
    assert (results["topics"][0]["satisfied"], results["topics"][0]["valid"]) == (0, 1)
    twice = await surveys.request("POST", path, as_=supervisor, json={"outcome": "confirmed"})
    assert twice.status_code == 409
