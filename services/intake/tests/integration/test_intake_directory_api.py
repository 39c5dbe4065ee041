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
    assert changed["phones"] == [number, "13800001111"]
    assert changed["version"] == 2
    assert isinstance(upserted, HouseholdUpserted)
    assert changed_env.aggregate_version == 2
    assert (upserted.phones, upserted.occupancy, upserted.email) == (
        [number, "13800001111"],
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


async def test_households_are_found_by_name_unit_building_or_phone(intake: Intake) -> None:
    place = await intake.place()
    base = f"/v1/sites/{place.site_id}"
    east = await intake.ok("POST", f"{base}/buildings", json={"code": "3栋"}, status=201)
    flat = await intake.ok(
        "POST", f"{base}/units", json={"building_id": east["id"], "number": "1201"}, status=201
    )
    number = phone()
    wu = await intake.ok(
        "POST",
        f"{base}/households",
        json={"unit_id": flat["id"], "name": "吴芳_100%", "phones": ["13700001111", number]},
        status=201,
    )
    other = await intake.place()  # another site's household with the same name
    await intake.ok(
        "PATCH", f"/v1/sites/{other.site_id}/households/{other.household_id}", json={"name": "吴芳"}
    )

    async def found(q: str, **params: str) -> list[str]:
        page = await intake.ok("GET", f"{base}/households", params={"q": q, **params})
        return [h["id"] for h in page["items"]]

    by_name = await found("吴芳")
    by_partial_name = await found("zhang")
    by_unit = await found("120")
    by_building = await found("3栋")
    by_place = await found("3栋-1201")
    by_phone = await found(f"{number[:3]} {number[3:7]}-{number[7:]}")
    by_last_digits = await found(number[-6:])
    wildcard = await found("%")
    underscore = await found("_")
    paged = await intake.ok("GET", f"{base}/households", params={"q": "1", "limit": 1})
    rest = await intake.ok(
        "GET", f"{base}/households", params={"q": "1", "cursor": paged["next_cursor"]}
    )
    await intake.ok("DELETE", f"{base}/households/{wu['id']}", status=204)
    removed = await found("吴芳")
    with_removed = await found("吴芳", include_removed="true")
    empty = await intake.request("GET", f"{base}/households", params={"q": ""})
    reader = intake.headers(roles=["handler"], sites=[other.site_id])
    elsewhere = await intake.request("GET", f"{base}/households", params={"q": "吴芳"}, as_=reader)

    assert by_name == [wu["id"]]
    assert by_partial_name == [place.household_id]  # Zhang Min, case-insensitive
    assert by_unit == sorted([wu["id"], place.household_id])  # 1201 and 1202
    assert by_building == by_place == by_phone == by_last_digits == [wu["id"]]
    assert wildcard == underscore == [wu["id"]]  # the name's own % and _, not wildcards
    assert len(paged["items"]) == 1
    assert sorted([paged["items"][0]["id"], *(h["id"] for h in rest["items"])]) == by_unit
    assert removed == []
    assert with_removed == [wu["id"]]
    assert is_problem(empty, 422)
    assert is_problem(elsewhere, 404)


async def test_households_are_listed_by_building_and_unit_when_asked(intake: Intake) -> None:
    place = await intake.place()  # B1-1202, Zhang Min
    base = f"/v1/sites/{place.site_id}"
    rows = [
        {"building": "B2", "unit": "0101", "name": "Wu"},
        {"building": "A1", "unit": "0902", "name": "Li"},
        {"building": "B1", "unit": "0301", "name": "Chen"},
        {"building": "A1", "unit": "0101", "name": "Guo"},
    ]
    await intake.ok("POST", f"{base}/directory-import", json={"rows": rows})

    first = await intake.ok("GET", f"{base}/households", params={"order": "place", "limit": 3})
    rest = await intake.ok(
        "GET",
        f"{base}/households",
        params={"order": "place", "limit": 3, "cursor": first["next_cursor"]},
    )
    searched = await intake.ok("GET", f"{base}/households", params={"order": "place", "q": "A1"})
    wrong = await intake.request("GET", f"{base}/households", params={"order": "name"})

    places = [f"{h['building']}-{h['unit']}" for h in first["items"] + rest["items"]]
    assert places == ["A1-0101", "A1-0902", "B1-0301", "B1-1202", "B2-0101"]
    assert rest["next_cursor"] is None
    assert [h["name"] for h in searched["items"]] == ["Guo", "Li"]
    assert is_problem(wrong, 422)


async def test_a_household_added_twice_with_one_key_is_added_once(intake: Intake) -> None:
    place = await intake.place()
    base = f"/v1/sites/{place.site_id}/households"
    body = {"unit_id": place.unit_id, "name": "Guo Tao", "phones": [phone()]}
    admin = {**intake.headers(sub=hex_id("admin-")), "Idempotency-Key": hex_id("form-")}

    first = await intake.request("POST", base, json=body, as_=admin)
    again = await intake.request("POST", base, json=body, as_=admin)
    other = await intake.request("POST", base, json={**body, "name": "Guo Li"}, as_=admin)
    without = await intake.request("POST", base, json=body)
    listed = await intake.ok("GET", base, params={"unit_id": place.unit_id})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert is_problem(other, 422)  # the key was used for another household
    assert without.status_code == 201
    names = sorted(h["name"] for h in listed["items"])
    assert names == ["Guo Tao", "Guo Tao", "Zhang Min"]


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
