"""The resident directory over HTTP: sites, buildings, units, households and their events."""

from __future__ import annotations

import pytest
from intake_harness import Intake, hex_id, is_problem, next_event, phone, site_body

from shared.contracts.intake import HouseholdRemoved, HouseholdUpserted
from shared.timers import pending

pytestmark = pytest.mark.integration


async def test_site_lifecycle_with_its_retention_timer(intake: Intake) -> None:
    body = site_body(retention_years=3)
    created = await intake.ok("POST", "/v1/sites", json=body, status=201)
    async with intake.db.sessions() as session:
        timer = await pending(session, kind="intake.retention", key=body["id"])

    changed = await intake.ok(
        "PATCH", f"/v1/sites/{body['id']}", json={"name": "Garden Heights II", "region": None}
    )
    fetched = await intake.ok("GET", f"/v1/sites/{body['id']}")
    duplicate = await intake.request("POST", "/v1/sites", json=site_body(code=body["code"]))
    await intake.ok("DELETE", f"/v1/sites/{body['id']}", status=204)
    gone = await intake.request("GET", f"/v1/sites/{body['id']}")

    assert created["retention_years"] == 3
    assert created["developer_contact"] == body["developer_contact"]
    assert timer is not None
    assert timer.due_at.hour == 19  # 03:00 in Asia/Shanghai
    assert (changed["name"], changed["region"]) == ("Garden Heights II", None)
    assert fetched == changed
    assert is_problem(duplicate, 409)
    assert is_problem(gone, 404)
    async with intake.db.sessions() as session:
        assert await pending(session, kind="intake.retention", key=body["id"]) is None


async def test_site_defaults_and_refusals(intake: Intake) -> None:
    minimal = {"code": "MIN" + hex_id()[:3].upper(), "name": "Minimal"}
    created = await intake.ok("POST", "/v1/sites", json=minimal, status=201)
    null_name = await intake.request("PATCH", f"/v1/sites/{created['id']}", json={"name": None})
    code_change = await intake.request("PATCH", f"/v1/sites/{created['id']}", json={"code": "X"})
    bad_zone = await intake.request("POST", "/v1/sites", json=site_body(timezone="Mars/Olympus"))
    scoped_admin = intake.headers(sites=["site-a"])
    unnamed = await intake.request("POST", "/v1/sites", json=site_body(id=None), as_=scoped_admin)

    assert created["retention_years"] == 2
    assert created["timezone"] == "Asia/Shanghai"
    assert is_problem(null_name, 422)
    assert is_problem(code_change, 422)
    assert is_problem(bad_zone, 422)
    assert is_problem(unnamed, 403)


async def test_sites_list_shows_only_your_sites(intake: Intake) -> None:
    mine = [await intake.place() for _ in range(3)]
    await intake.place()
    reader = intake.headers(roles=["handler"], sites=[p.site_id for p in mine])

    first = await intake.ok("GET", "/v1/sites", params={"limit": 2}, as_=reader)
    rest = await intake.ok("GET", "/v1/sites", params={"cursor": first["next_cursor"]}, as_=reader)

    assert sorted(s["id"] for s in first["items"] + rest["items"]) == sorted(
        p.site_id for p in mine
    )
    assert rest["next_cursor"] is None


async def test_buildings_and_units_crud(intake: Intake) -> None:
    place = await intake.place()
    base = f"/v1/sites/{place.site_id}"

    second = await intake.ok(
        "POST", f"{base}/buildings", json={"code": "B2", "name": "East"}, status=201
    )
    clash = await intake.request("POST", f"{base}/buildings", json={"code": "B1"})
    renamed = await intake.ok("PATCH", f"{base}/buildings/{second['id']}", json={"code": "B2E"})
    clash_rename = await intake.request(
        "PATCH", f"{base}/buildings/{second['id']}", json={"code": "B1"}
    )
    unit = await intake.ok(
        "POST",
        f"{base}/units",
        json={"building_id": second["id"], "number": "101", "floor": 1},
        status=201,
    )
    foreign = await intake.request(
        "POST", f"{base}/units", json={"building_id": hex_id(), "number": "1"}
    )
    units = await intake.ok("GET", f"{base}/units", params={"building_id": second["id"]})
    moved = await intake.ok("PATCH", f"{base}/units/{unit['id']}", json={"floor": None})
    in_use = await intake.request("DELETE", f"{base}/buildings/{place.building_id}")
    await intake.ok("DELETE", f"{base}/units/{unit['id']}", status=204)
    await intake.ok("DELETE", f"{base}/buildings/{second['id']}", status=204)
    buildings = await intake.ok("GET", f"{base}/buildings")

    assert renamed["code"] == "B2E"
    assert is_problem(clash, 409)
    assert is_problem(clash_rename, 409)
    assert is_problem(foreign, 422)
    assert [(u["number"], u["building"]) for u in units["items"]] == [("101", "B2E")]
    assert moved["floor"] is None
    assert is_problem(in_use, 409)
    assert [b["code"] for b in buildings["items"]] == ["B1"]


async def test_household_changes_publish_versioned_events_with_contacts(intake: Intake) -> None:
    queue = await intake.watch("household.upserted", "household.removed")
    place = await intake.place()
    base = f"/v1/sites/{place.site_id}/households"
    number = phone()

    created_env, created = await next_event(queue)
    changed = await intake.ok(
        "PATCH",
        f"{base}/{place.household_id}",
        json={"phones": [number, "+86 138-0000-1111"], "occupancy": "tenant", "email": "z@ex.com"},
    )
    changed_env, upserted = await next_event(queue)
    await intake.ok("DELETE", f"{base}/{place.household_id}", status=204)
    removed_env, removed = await next_event(queue)
    again = await intake.request("DELETE", f"{base}/{place.household_id}")
    late = await intake.request("PATCH", f"{base}/{place.household_id}", json={"name": "X"})
    listed = await intake.ok("GET", base)
    with_removed = await intake.ok("GET", base, params={"include_removed": "true"})

    assert isinstance(created, HouseholdUpserted)
    assert (created_env.aggregate_id, created_env.aggregate_version) == (place.household_id, 1)
    assert created.phones == [place.phone]
    assert (created.building, created.unit, created.unit_id) == ("B1", "1202", place.unit_id)
    assert changed["phones"] == [number, "+8613800001111"]
    assert changed["version"] == 2
    assert isinstance(upserted, HouseholdUpserted)
    assert changed_env.aggregate_version == 2
    assert (upserted.phones, upserted.occupancy, upserted.email) == (
        [number, "+8613800001111"],
        "tenant",
        "z@ex.com",
    )
    assert isinstance(removed, HouseholdRemoved)
    assert removed_env.aggregate_version == 3
    assert is_problem(again, 409)
    assert is_problem(late, 409)
    assert listed["items"] == []
    assert [h["id"] for h in with_removed["items"]] == [place.household_id]
    assert with_removed["items"][0]["removed_at"] is not None


async def test_household_needs_a_unit_of_its_own_site(intake: Intake) -> None:
    place = await intake.place()
    other = await intake.place()

    wrong_unit = await intake.request(
        "POST",
        f"/v1/sites/{place.site_id}/households",
        json={"unit_id": other.unit_id, "name": "Guo Tao"},
    )
    bad_phone = await intake.request(
        "POST",
        f"/v1/sites/{place.site_id}/households",
        json={"unit_id": place.unit_id, "name": "Guo Tao", "phones": ["call me"]},
    )
    missing = await intake.request(
        "GET", f"/v1/sites/{place.site_id}/households/{other.household_id}"
    )

    assert is_problem(wrong_unit, 422)
    assert is_problem(bad_phone, 422)
    assert is_problem(missing, 404)


async def test_a_site_with_buildings_or_a_unit_with_households_stays(intake: Intake) -> None:
    place = await intake.place()

    site = await intake.request("DELETE", f"/v1/sites/{place.site_id}")
    unit = await intake.request("DELETE", f"/v1/sites/{place.site_id}/units/{place.unit_id}")

    assert is_problem(site, 409)
    assert is_problem(unit, 409)


async def test_directory_reads_for_staff_writes_for_admins_only(intake: Intake) -> None:
    place = await intake.place()
    callcenter = intake.headers(roles=["callcenter"], sites=[place.site_id])

    read = await intake.request(
        "GET", f"/v1/sites/{place.site_id}/households/{place.household_id}", as_=callcenter
    )
    write = await intake.request(
        "PATCH",
        f"/v1/sites/{place.site_id}/households/{place.household_id}",
        json={"name": "X"},
        as_=callcenter,
    )
    admin_elsewhere = intake.headers(sites=[hex_id("site-")])
    hidden = await intake.request(
        "PATCH",
        f"/v1/sites/{place.site_id}/households/{place.household_id}",
        json={"name": "X"},
        as_=admin_elsewhere,
    )

    assert read.status_code == 200
    assert read.json()["name"] == "Zhang Min"
    assert is_problem(write, 403)
    assert is_problem(hidden, 404)


async def test_relabelling_a_unit_or_building_republishes_its_households(intake: Intake) -> None:
    queue = await intake.watch("household.upserted")
    place = await intake.place()
    base = f"/v1/sites/{place.site_id}"
    other_unit = await intake.ok(
        "POST", f"{base}/units", json={"building_id": place.building_id, "number": "7"}, status=201
    )
    await intake.ok(
        "POST",
        f"{base}/households",
        json={"unit_id": other_unit["id"], "name": "Neighbour"},
        status=201,
    )
    for _ in range(2):  # the two households' creation
        await next_event(queue)

    await intake.ok("PATCH", f"{base}/units/{place.unit_id}", json={"number": "1203"})
    unit_env, renumbered = await next_event(queue)
    await intake.ok("PATCH", f"{base}/units/{place.unit_id}", json={"floor": 12})
    await intake.ok("PATCH", f"{base}/buildings/{place.building_id}", json={"code": "B1X"})
    building_events = [await next_event(queue) for _ in range(2)]

    assert isinstance(renumbered, HouseholdUpserted)
    assert (renumbered.household_id, renumbered.unit) == (place.household_id, "1203")
    assert unit_env.aggregate_version == 2
    assert sorted((e.unit, e.building, env.aggregate_version) for env, e in building_events) == [
        ("1203", "B1X", 3),
        ("7", "B1X", 2),
    ]
    assert await queue.get(fail=False) is None  # the floor change republished nothing
