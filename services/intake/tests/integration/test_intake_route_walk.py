"""Every intake route is guarded: no token is 401; another site's principal finds nothing.

The walk reads the app's own route list, so a route added later without a case here fails
the test instead of going unchecked.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from intake_harness import Intake, complaint_body, hex_id, is_problem, site_body

from shared.testing.routes import api_routes

pytestmark = pytest.mark.integration

ALL_ROLES = ["handler", "dept_head", "vp", "gm", "surveyor", "callcenter", "admin"]


def _bodies(ids: dict[str, str]) -> dict[tuple[str, str], Any]:
    """A valid body for each write, so that only the site check can refuse it."""
    return {
        ("POST", "/v1/complaints"): complaint_body(ids["site_id"]),
        ("POST", "/v1/complaints/{complaint_id}/supplements"): {"text": "more"},
        ("POST", "/v1/complaints/{complaint_id}/withdrawal"): {},
        ("POST", "/v1/sites"): site_body(),
        ("PATCH", "/v1/sites/{site_id}"): {"name": "taken over"},
        ("POST", "/v1/sites/{site_id}/buildings"): {"code": "B9"},
        ("PATCH", "/v1/sites/{site_id}/buildings/{building_id}"): {"code": "B9"},
        ("POST", "/v1/sites/{site_id}/units"): {"building_id": ids["building_id"], "number": "9"},
        ("PATCH", "/v1/sites/{site_id}/units/{unit_id}"): {"number": "9"},
        ("POST", "/v1/sites/{site_id}/households"): {"unit_id": ids["unit_id"], "name": "X"},
        ("PATCH", "/v1/sites/{site_id}/households/{household_id}"): {"name": "X"},
        ("POST", "/v1/sites/{site_id}/directory-import"): {
            "rows": [{"building": "B1", "unit": "1", "name": "X"}]
        },
    }


# Routes that name no object of a site: lists answer empty, writes naming a site are 403.
UNSCOPED = {
    ("GET", "/v1/complaints"): 200,
    ("GET", "/v1/sites"): 200,
    ("GET", "/v1/callers"): 200,
    ("POST", "/v1/complaints"): 403,
    ("POST", "/v1/sites"): 403,
}


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: ids[m.group(1)], path)


async def test_every_route_without_a_token_is_401_problem(intake: Intake) -> None:
    routes = api_routes(intake.app)
    answers = []
    for method, path in routes:
        filled = re.sub(r"\{[^}]+\}", lambda _m: hex_id(), path)
        response = await intake.client.request(method, filled, json={})
        answers.append((method, path, response.status_code, is_problem(response, 401)))

    assert len(routes) >= 28
    assert [a for a in answers if not a[3]] == []


async def test_another_sites_principal_finds_nothing_on_any_route(intake: Intake) -> None:
    place = await intake.place()
    created = await intake.file(place.site_id)
    ids = {
        "site_id": place.site_id,
        "building_id": place.building_id,
        "unit_id": place.unit_id,
        "household_id": place.household_id,
        "complaint_id": created["id"],
        "reference": created["reference"],
    }
    # What only site A's readers may see; ids the caller sent may be echoed in errors.
    secrets = ["Zhang Min", place.phone, "Rubbish in stairwell", created["reference"]]
    outsider = intake.headers(roles=ALL_ROLES, sites=[hex_id("site-")])
    bodies = _bodies(ids)
    answers = []
    for method, path in api_routes(intake.app):
        params = {"phone": place.phone} if path == "/v1/callers" else None
        response = await intake.request(
            method, _fill(path, ids), as_=outsider, json=bodies.get((method, path)), params=params
        )
        expected = UNSCOPED.get((method, path), 404)
        sent = f"{_fill(path, ids)}?{params}"
        leaked = any(v in response.text and v not in sent for v in secrets)
        fine = response.status_code == expected and not leaked
        fine = fine and (expected == 200 or is_problem(response, expected))
        answers.append((method, path, response.status_code, leaked, fine))

    assert [a for a in answers if not a[4]] == []
    assert {(m, p) for m, p, *_ in answers if (m, p) in bodies or m in ("PATCH", "POST")} <= set(
        bodies
    )
    unchanged = await intake.ok("GET", f"/v1/complaints/{created['id']}")
    assert unchanged["version"] == 1
    household = await intake.ok("GET", f"/v1/sites/{place.site_id}/households/{place.household_id}")
    assert (household["name"], household["removed_at"]) == ("Zhang Min", None)
