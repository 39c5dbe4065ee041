"""Bulk import of units and households: 20,000 rows at once, all rows or none."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

import orjson
import pytest
from intake_harness import Intake, eventually, is_problem, site_body

pytestmark = pytest.mark.integration

CSV = {"Content-Type": "text/csv; charset=utf-8"}
JSON = {"Content-Type": "application/json"}


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _rows(count: int, *, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "building": f"B{n // 400 + 1}",
            "unit": f"{n % 400 + 101}",
            "floor": str((n % 400) // 10 + 1),
            "name": f"Resident {n}",
            "phones": f"138{n:08d};139{n:08d}",
            "occupancy": "tenant" if n % 3 else "owner",
            "moved_in_on": "2021-06-01",
        }
        for n in range(start, start + count)
    ]


def _json(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "phones": r["phones"].split(";"), "floor": int(r["floor"])} for r in rows]


async def _site(intake: Intake) -> str:
    body = site_body()
    await intake.ok("POST", "/v1/sites", json=body, status=201)
    return str(body["id"])


async def _count(intake: Intake, table: str, site_id: str) -> int:
    return int(await intake.scalar(f"SELECT count(*) FROM {table} WHERE site_id = :s", s=site_id))


async def test_twenty_thousand_csv_rows_import_in_one_request(intake: Intake) -> None:
    site_id = await _site(intake)
    body = _csv(_rows(20_000))

    started = time.perf_counter()
    result = await intake.ok(
        "POST", f"/v1/sites/{site_id}/directory-import", content=body, headers=CSV
    )
    seconds = time.perf_counter() - started

    print(f"\n20,000-row CSV import took {seconds:.2f} s")
    assert seconds < 60
    assert result == {
        "rows": 20_000,
        "buildings_created": 50,
        "units_created": 20_000,
        "households_created": 20_000,
        "households_updated": 0,
        "households_unchanged": 0,
    }
    assert await _count(intake, "household", site_id) == 20_000
    assert await _count(intake, "unit", site_id) == 20_000
    assert await intake.scalar("SELECT count(*) FROM household_phone") == 40_000
    upserts = "SELECT count(*) FROM outbox WHERE type = 'household.upserted'"
    assert await intake.scalar(upserts) == 20_000
    unpublished = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
    assert await eventually(lambda: intake.scalar(unpublished), 0, timeout=120) == 0


async def test_importing_again_updates_what_changed_and_leaves_the_rest(intake: Intake) -> None:
    site_id = await _site(intake)
    rows = _rows(30)
    await intake.ok(
        "POST", f"/v1/sites/{site_id}/directory-import", json={"rows": _json(rows)}, status=200
    )
    rows[0]["phones"] = "13700000000"
    rows[1]["occupancy"] = "owner" if rows[1]["occupancy"] == "tenant" else "tenant"
    extra = _rows(1, start=500)

    result = await intake.ok(
        "POST", f"/v1/sites/{site_id}/directory-import", json={"rows": _json(rows + extra)}
    )

    assert result["households_created"] == 1
    assert result["households_updated"] == 2
    assert result["households_unchanged"] == 28
    assert result["units_created"] == 1
    versions = await intake.rows(
        "SELECT name, version FROM household WHERE site_id = :s AND version > 1", s=site_id
    )
    assert sorted(r.name for r in versions) == ["Resident 0", "Resident 1"]
    assert {r.version for r in versions} == {2}
    bodies = await intake.rows(
        "SELECT body FROM outbox WHERE type = 'household.upserted' ORDER BY seq"
    )
    last = [orjson.loads(r.body) for r in bodies[-3:]]
    assert {e["data"]["name"]: e["aggregate_version"] for e in last} == {
        "Resident 500": 1,
        "Resident 0": 2,
        "Resident 1": 2,
    }
    listed = await intake.ok("GET", f"/v1/sites/{site_id}/households", params={"limit": 500})
    phones = {h["name"]: h["phones"] for h in listed["items"]}
    assert phones["Resident 0"] == ["13700000000"]
    assert phones["Resident 2"] == ["13800000002", "13900000002"]


async def test_a_bad_import_changes_nothing_and_lists_every_bad_row(intake: Intake) -> None:
    site_id = await _site(intake)
    rows = _rows(10)
    rows[2]["phones"] = "not a phone"
    rows[5]["name"] = ""
    rows[7]["moved_in_on"] = "2021-13-45"
    rows[9] = {**rows[8], "phones": "13912345678"}
    outbox_before = await intake.scalar("SELECT count(*) FROM outbox")

    response = await intake.request(
        "POST", f"/v1/sites/{site_id}/directory-import", content=_csv(rows), headers=CSV
    )

    assert is_problem(response, 422)
    errors = response.json()["errors"]
    assert [e["line"] for e in errors] == [4, 7, 9, 11]
    assert "phones" in errors[0]["reason"]
    assert "name" in errors[1]["reason"]
    assert "moved_in_on" in errors[2]["reason"]
    assert errors[3]["reason"] == "the same household as line 10"
    assert [(p["field"], p["type"]) for p in errors[0]["problems"]] == [("phones.0", "value_error")]
    assert [(p["field"], p["type"]) for p in errors[1]["problems"]] == [("name", "missing")]
    assert errors[2]["problems"][0]["field"] == "moved_in_on"
    assert (errors[3]["same_as"], errors[3]["problems"][0]["type"]) == (10, "repeated")
    assert await _count(intake, "household", site_id) == 0
    assert await _count(intake, "unit", site_id) == 0
    assert await intake.scalar("SELECT count(*) FROM outbox") == outbox_before


async def test_json_import_reports_positions_and_refuses_unknown_fields(intake: Intake) -> None:
    site_id = await _site(intake)
    rows: list[Any] = _json(_rows(4))
    rows[1] = {**rows[1], "shoe_size": 42}
    rows[3] = "a string, not a row"

    response = await intake.request(
        "POST", f"/v1/sites/{site_id}/directory-import", json={"rows": rows}
    )

    assert is_problem(response, 422)
    assert [e["line"] for e in response.json()["errors"]] == [2, 4]
    assert "shoe_size" in response.json()["errors"][0]["reason"]
    assert await _count(intake, "household", site_id) == 0


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"building,unit,name\nB1,101,\xff\xfe\n", CSV, 400),
        (b"building,unit,colour\nB1,101,red\n", CSV, 422),
        (b"", CSV, 422),
        (b"building,unit,name\n", CSV, 422),
        (b"building,unit,name\nB1,101,Wu,extra\n", CSV, 422),
        (b"building,unit,name\nB1,101,Wu\x00Lin\n", CSV, 422),
        (b'{"rows": [', JSON, 400),
        (b'{"rows": {}}', JSON, 422),
        (b'[{"building": "B1"}]', JSON, 422),
        (b'{"rows": [], "more": 1}', JSON, 422),
        (b"building,unit,name\nB1,101,Wu\n", {"Content-Type": "application/xml"}, 415),
    ],
    ids=[
        "not-utf8",
        "unknown-column",
        "empty",
        "no-rows",
        "too-many-fields",
        "nul",
        "broken-json",
        "rows-not-a-list",
        "bare-list",
        "extra-key",
        "xml",
    ],
)
async def test_unreadable_imports_are_refused_whole(
    intake: Intake, body: bytes, headers: dict[str, str], status: int
) -> None:
    site_id = await _site(intake)

    response = await intake.request(
        "POST", f"/v1/sites/{site_id}/directory-import", content=body, headers=headers
    )

    assert is_problem(response, status), response.text
    assert await _count(intake, "household", site_id) == 0


async def test_an_import_too_large_is_refused_before_it_is_read(intake: Intake) -> None:
    site_id = await _site(intake)
    header = b"building,unit,name\n"
    body = header + b"B1,101,Wu\n" * (33 * 1024 * 1024 // 10)

    response = await intake.request(
        "POST", f"/v1/sites/{site_id}/directory-import", content=body, headers=CSV
    )

    assert is_problem(response, 413)


async def test_an_import_into_another_site_is_404(intake: Intake) -> None:
    site_id = await _site(intake)
    elsewhere = intake.headers(sites=["site-elsewhere"])

    response = await intake.request(
        "POST",
        f"/v1/sites/{site_id}/directory-import",
        content=_csv(_rows(1)),
        headers=CSV,
        as_=elsewhere,
    )

    assert is_problem(response, 404)
