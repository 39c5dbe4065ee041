"""Every surveys route is guarded: no token is 401; another site's principal finds nothing.

The walk reads the app's own route list, so a route added later without a case here fails
the test instead of going unchecked.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from surveys_harness import Surveys, campaign_body, eventually, hex_id, household

from shared.testing.routes import api_routes, call_every_route

pytestmark = pytest.mark.integration

ALL_ROLES = ["handler", "dept_head", "vp", "gm", "surveyor", "callcenter", "admin"]
# Routes that name no object of a site: lists answer empty, writes naming a site are 403.
UNSCOPED = {
    ("GET", "/v1/campaigns"): 200,
    ("GET", "/v1/sampling/size"): 200,
    ("GET", "/v1/results/latest"): 200,
    ("POST", "/v1/campaigns"): 403,
}


SCHEDULE = {"every": "quarter", "title": "Resident satisfaction"}


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: ids[m.group(1)], path)


def _bodies(ids: dict[str, str]) -> dict[tuple[str, str], Any]:
    """A valid body for each write, so that only the site check can refuse it."""
    base = "/v1/campaigns/{campaign_id}"
    return {
        ("POST", "/v1/campaigns"): campaign_body(ids["site_id"], period="2027-Q1"),
        ("POST", f"{base}/draw"): {},
        ("POST", f"{base}/close"): {},
        ("POST", f"{base}/responses"): {
            "household_id": ids["household_id"],
            "method": "door_to_door",
            "answers": {"cleaning": "dissatisfied"},
        },
        ("POST", f"{base}/responses/{{response_id}}/recheck"): {"outcome": "confirmed"},
        ("PUT", "/v1/sites/{site_id}/campaign-schedule"): SCHEDULE,
    }


async def test_every_route_without_a_token_is_401_problem(surveys: Surveys) -> None:
    answers = await call_every_route(surveys.app)

    assert len(answers) >= 17
    assert [a for a in answers if a.status != 401] == []
    assert {a.content_type for a in answers} == {"application/problem+json"}


async def _campaign_with_a_response(surveys: Surveys) -> dict[str, str]:
    site_id = hex_id("site-")
    one = household(site_id)
    await surveys.upsert(one)
    assert await eventually(lambda: surveys.frame_size(site_id), 1) == 1
    created = await surveys.ok("POST", "/v1/campaigns", json=campaign_body(site_id), status=201)
    await surveys.ok("POST", f"/v1/campaigns/{created['id']}/draw", json={}, status=201)
    entry = {"household_id": one.household_id, "method": "door_to_door", "answers": {}}
    made = await surveys.ok(
        "POST", f"/v1/campaigns/{created['id']}/responses", json=entry, status=201
    )
    return {
        "site_id": site_id,
        "campaign_id": created["id"],
        "household_id": one.household_id,
        "response_id": made["id"],
    }


async def test_another_sites_principal_finds_nothing_on_any_route(surveys: Surveys) -> None:
    ids = await _campaign_with_a_response(surveys)
    outsider = surveys.headers(roles=ALL_ROLES, sites=[hex_id("site-")])
    bodies = _bodies(ids)
    answers = []
    for method, path in api_routes(surveys.app):
        params = {"population": 1000} if path == "/v1/sampling/size" else None
        response = await surveys.request(
            method, _fill(path, ids), as_=outsider, json=bodies.get((method, path)), params=params
        )
        expected = UNSCOPED.get((method, path), 404)
        leaked = ids["household_id"] in response.text and method == "GET"
        answers.append((method, path, response.status_code, expected, leaked))

    assert [a for a in answers if a[2] != a[3] or a[4]] == []
    assert {(m, p) for m, p, *_ in answers if m in ("POST", "PUT")} == set(_bodies(ids))
    listed = await surveys.ok("GET", "/v1/campaigns", as_=outsider)
    assert listed["items"] == []
    campaign = await surveys.ok("GET", f"/v1/campaigns/{ids['campaign_id']}")
    assert campaign["status"] == "open"  # neither drawn again nor closed by the outsider
    own = surveys.headers(roles=["gm"], sites=[ids["site_id"]])
    assert (await surveys.ok("GET", "/v1/campaigns", as_=own))["items"][0]["id"] == ids[
        "campaign_id"
    ]


async def test_roles_limit_who_plans_enters_and_verifies(surveys: Surveys) -> None:
    ids = await _campaign_with_a_response(surveys)
    base = f"/v1/campaigns/{ids['campaign_id']}"
    callcenter = surveys.headers(roles=["callcenter"], sites=[ids["site_id"]])
    surveyor = surveys.headers(roles=["surveyor"], sites=[ids["site_id"]])

    refused = [
        await surveys.request(
            "POST", "/v1/campaigns", as_=surveyor, json=campaign_body(ids["site_id"])
        ),
        await surveys.request("POST", f"{base}/close", as_=surveyor),
        await surveys.request(
            "PUT", f"/v1/sites/{ids['site_id']}/campaign-schedule", as_=surveyor, json=SCHEDULE
        ),
        await surveys.request("GET", f"{base}/tasks", as_=callcenter),
        await surveys.request(
            "POST",
            f"{base}/responses/{ids['response_id']}/recheck",
            as_=surveyor,
            json={"outcome": "confirmed"},
        ),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403, 403]
    assert (await surveys.request("GET", f"{base}/results", as_=callcenter)).status_code == 200
