"""Phone numbers as people write them (issue 15.3): every spelling of a number is one number
in the directory, on a complaint and in the caller lookup; an invalid one is a 422."""

from __future__ import annotations

import random
import string
from typing import Any

import orjson
import pytest
from intake_harness import Intake, complaint_body, is_problem, site_body, visitor

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}
CSV = {"Content-Type": "text/csv; charset=utf-8"}


def _spellings() -> tuple[str, list[str]]:
    """A random mainland mobile, and the four ways people write it."""
    number = "138" + "".join(random.choices(string.digits, k=8))
    spaced = f"{number[:3]} {number[3:7]} {number[7:]}"
    return number, [
        f"+86{number}",
        f"+86 {spaced}",
        f"0086 {spaced}",
        f"{number[:3]}-{number[3:7]}-{number[7:]}",
    ]


async def _site(intake: Intake) -> str:
    body = site_body()
    await intake.ok("POST", "/v1/sites", json=body, status=201)
    return str(body["id"])


def _row(name: str, phones: list[str], unit: str = "101") -> dict[str, Any]:
    return {"building": "B1", "unit": unit, "name": name, "phones": phones}


async def test_four_spellings_import_as_one_number_that_lookup_and_search_find(
    intake: Intake,
) -> None:
    site_id = await _site(intake)
    number, spellings = _spellings()
    rows = {"rows": [_row("Zhang Min", spellings)]}

    await intake.ok(
        "POST", f"/v1/sites/{site_id}/directory-import", content=orjson.dumps(rows), headers=JSON
    )

    listed = await intake.ok("GET", f"/v1/sites/{site_id}/households")
    assert [h["phones"] for h in listed["items"]] == [[number]]
    household_id = listed["items"][0]["id"]
    for spelling in spellings:
        caller = await intake.ok("GET", "/v1/callers", params={"phone": spelling})
        found = await intake.ok("GET", f"/v1/sites/{site_id}/households", params={"q": spelling})
        assert caller["phone"] == number
        assert [h["id"] for h in caller["households"]] == [household_id]
        assert [h["id"] for h in found["items"]] == [household_id]


async def test_a_household_created_and_changed_with_any_spelling_keeps_one_number(
    intake: Intake,
) -> None:
    place = await intake.place()
    number, spellings = _spellings()
    base = f"/v1/sites/{place.site_id}/households"

    created = await intake.ok(
        "POST",
        base,
        json={"unit_id": place.unit_id, "name": "Wu", "phones": spellings[:2]},
        status=201,
    )
    changed = await intake.ok(
        "PATCH", f"{base}/{created['id']}", json={"phones": [spellings[2], spellings[3]]}
    )

    assert created["phones"] == [number]
    assert changed["phones"] == [number]


async def test_a_visitors_number_in_any_spelling_is_one_number_for_the_caller_lookup(
    intake: Intake,
) -> None:
    place = await intake.place()
    number, spellings = _spellings()

    filed = [
        await intake.file(place.site_id, reporter=visitor(phone=spelling)) for spelling in spellings
    ]

    stored = await intake.rows(
        "SELECT DISTINCT reporter_phone FROM complaint WHERE reporter_phone = :p", p=number
    )
    assert [r[0] for r in stored] == [number]
    for spelling in spellings:
        caller = await intake.ok("GET", "/v1/callers", params={"phone": spelling})
        assert sorted(c["id"] for c in caller["other_open_complaints"]) == sorted(
            c["id"] for c in filed
        )


async def test_another_countrys_number_is_kept_in_e164(intake: Intake) -> None:
    place = await intake.place()

    created = await intake.ok(
        "POST",
        f"/v1/sites/{place.site_id}/households",
        json={"unit_id": place.unit_id, "name": "Chan", "phones": ["00852 5123-4567"]},
        status=201,
    )

    assert created["phones"] == ["+85251234567"]


@pytest.mark.parametrize(
    ("target", "field", "why"),
    [
        ("household", "phones.0", "too short"),
        ("complaint", "reporter.visitor.phone", "too short"),
        ("caller", "phone", "too short"),
    ],
)
async def test_an_invalid_number_is_a_422_naming_the_field_and_why(
    intake: Intake, target: str, field: str, why: str
) -> None:
    place = await intake.place()
    bad = "13-80"

    if target == "household":
        response = await intake.request(
            "POST",
            f"/v1/sites/{place.site_id}/households",
            json={"unit_id": place.unit_id, "name": "Wu", "phones": [bad]},
        )
    elif target == "complaint":
        body = complaint_body(place.site_id, reporter=visitor(phone=bad))
        response = await intake.request("POST", "/v1/complaints", json=body)
    else:
        response = await intake.request("GET", "/v1/callers", params={"phone": bad})

    assert is_problem(response, 422)
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert "not a valid phone number" in errors[0]["message"]
    assert why in errors[0]["message"]


async def test_an_import_row_with_an_invalid_number_is_reported_with_its_line(
    intake: Intake,
) -> None:
    site_id = await _site(intake)
    _, spellings = _spellings()
    body = "\n".join(
        [
            "building,unit,name,phones",
            f"B1,101,Zhang Min,{spellings[1]}",
            f"B1,102,Wu Fang,{spellings[0]};1380013800",
            f"B1,103,Li Lei,{spellings[3]}",
        ]
    )

    response = await intake.request(
        "POST", f"/v1/sites/{site_id}/directory-import", content=body.encode(), headers=CSV
    )

    assert is_problem(response, 422)
    errors = response.json()["errors"]
    assert [e["line"] for e in errors] == [3]
    assert [p["field"] for p in errors[0]["problems"]] == ["phones.1"]
    assert "not a valid phone number" in errors[0]["reason"]
    assert await intake.scalar("SELECT count(*) FROM household WHERE site_id = :s", s=site_id) == 0


async def test_a_sites_country_decides_which_numbers_are_its_own(intake: Intake) -> None:
    # A Hong Kong estate: 9123 4567 is a number of its own; a mainland mobile keeps +86.
    body = site_body(country="HK", timezone="Asia/Hong_Kong")
    created = await intake.ok("POST", "/v1/sites", json=body, status=201)
    assert created["country"] == "HK"
    site_id = str(body["id"])
    rows = {
        "rows": [_row("Chan Tai Man", ["9123-4567"]), _row("Wong", ["+86 138 0013 8000"], "102")]
    }
    await intake.ok(
        "POST", f"/v1/sites/{site_id}/directory-import", content=orjson.dumps(rows), headers=JSON
    )
    listed = await intake.ok("GET", f"/v1/sites/{site_id}/households")
    assert sorted(h["phones"][0] for h in listed["items"]) == ["+8613800138000", "91234567"]
    unit_id = listed["items"][0]["unit_id"]
    added = await intake.ok(
        "POST",
        f"/v1/sites/{site_id}/households",
        json={"unit_id": unit_id, "name": "Lee", "phones": ["6123 4567"]},
        status=201,
    )
    assert added["phones"] == ["61234567"]
    filed = await intake.file(site_id, reporter=visitor(phone="5123 4567"))

    caller = await intake.ok("GET", "/v1/callers", params={"phone": "+852 5123-4567"})
    assert [c["id"] for c in caller["other_open_complaints"]] == [filed["id"]]
    chan = await intake.ok("GET", "/v1/callers", params={"phone": "+852 9123 4567"})
    assert [h["name"] for h in chan["households"]] == ["Chan Tai Man"]

    # The same local spelling is not a number of a mainland site: a 422 naming the field.
    place = await intake.place()
    refused = await intake.request(
        "POST",
        "/v1/complaints",
        json=complaint_body(place.site_id, reporter=visitor(phone="5123 4567")),
    )
    assert is_problem(refused, 422)
    assert [e["field"] for e in refused.json()["errors"]] == ["reporter.visitor.phone"]
