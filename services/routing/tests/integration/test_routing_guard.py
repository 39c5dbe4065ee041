"""Every route needs a token, and to another site's principal routing's objects do not exist."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from routing_harness import Routing

from shared.testing.routes import api_routes, call_every_route

pytestmark = pytest.mark.integration

FUTURE = (datetime.now(UTC) + timedelta(days=30)).isoformat()

# A valid body for every write, so that only the site can be what refuses it.
BODIES: dict[tuple[str, str], Any] = {
    ("PUT", "/v1/sites/{site_id}/organisation"): {"departments": [], "staff": []},
    ("PUT", "/v1/sites/{site_id}/leadership"): {},
    ("POST", "/v1/sites/{site_id}/departments"): {"code": "laundry", "name": "Laundry"},
    ("PATCH", "/v1/sites/{site_id}/departments/{code}"): {"name": "CS"},
    ("POST", "/v1/sites/{site_id}/staff"): {"id": "x", "name": "X", "role": "gm"},
    ("PATCH", "/v1/sites/{site_id}/staff/{staff_id}"): {"name": "Y"},
    ("PUT", "/v1/sites/{site_id}/rules"): {"default_department": "engineering"},
    ("POST", "/v1/cases/{case_id}/accept"): None,
    ("POST", "/v1/cases/{case_id}/progress"): {"note": "n"},
    ("POST", "/v1/cases/{case_id}/validity"): {"valid": True},
    ("POST", "/v1/cases/{case_id}/transmittals"): {"reason": "r"},
    ("POST", "/v1/cases/{case_id}/assignment-notices"): {
        "department": "engineering",
        "instructions": "i",
        "due_at": FUTURE,
    },
    ("POST", "/v1/cases/{case_id}/developer-forwarding"): {},
    ("POST", "/v1/cases/{case_id}/developer-answer"): {"answer": "a"},
    ("POST", "/v1/cases/{case_id}/resolution"): {"result": "r", "reply": "r"},
    ("GET", "/v1/sites/{site_id}/organisation"): None,
    ("GET", "/v1/sites/{site_id}/rules"): None,
    ("GET", "/v1/cases/{case_id}"): None,
    ("GET", "/v1/cases/{case_id}/documents/complaint-record"): None,
    ("GET", "/v1/cases/{case_id}/slips/{number}/document"): None,
    ("GET", "/v1/cases/{case_id}/notices/{number}/document"): None,
}
LISTS = {("GET", "/v1/cases"), ("GET", "/v1/cases/counts")}
# Their own tests walk these routes by role and site (test_routing_rectification.py,
# test_routing_corrective.py and test_routing_report.py); the token check below still
# covers them.
GUARDED_ELSEWHERE = ("/v1/rectifications", "/v1/corrective-actions", "/v1/reports")


async def _a_case_with_a_slip_and_a_notice(routing: Routing) -> dict[str, str]:
    case = await routing.opened()
    path = f"/v1/cases/{case['case_id']}"
    await routing.post(f"{path}/accept", case["handler"])
    await routing.post(f"{path}/transmittals", case["handler"], {"reason": "r"})
    notice = {"department": "engineering", "instructions": "i", "due_at": FUTURE}
    noticed = await routing.post(f"{path}/assignment-notices", routing.staff.cs_head, notice)
    assert noticed.status_code == 200, noticed.text
    return case


async def test_every_route_is_known_to_this_test(routing: Routing) -> None:
    routes = {r for r in api_routes(routing.app) if not r[1].startswith(GUARDED_ELSEWHERE)}
    assert routes == set(BODIES) | LISTS


async def test_every_route_refuses_a_missing_or_forged_token(routing: Routing) -> None:
    for headers in (None, {"Authorization": "Bearer not-a-token"}):
        answers = await call_every_route(routing.app, headers=headers)
        assert {(a.status, a.content_type) for a in answers} == {(401, "application/problem+json")}


async def test_another_sites_principal_finds_nothing(routing: Routing) -> None:
    case = await _a_case_with_a_slip_and_a_notice(routing)
    values = {
        "site_id": routing.staff.site,
        "case_id": case["case_id"],
        "code": "customer_service",
        "staff_id": routing.staff.cs_handlers[0],
    }
    stranger = routing.headers("admin-elsewhere", "admin", sites=["some-other-site"])
    for (method, template), body in BODIES.items():
        number = f"{case['reference']}-{'T' if 'slips' in template else 'N'}1"
        path = template.format(**values, number=number)
        response = await routing.client.request(method, path, json=body, headers=stranger)
        assert response.status_code == 404, (method, template, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        mine = (
            await routing.client.request("GET", path, headers=routing.headers(routing.staff.gm))
            if method == "GET"
            else None
        )
        assert mine is None or mine.status_code == 200, (template, mine.text if mine else "")

    listed = await routing.client.get("/v1/cases", headers=stranger)
    assert listed.json()["items"] == []
    narrowed = await routing.client.get(
        "/v1/cases", params={"site_id": routing.staff.site}, headers=stranger
    )
    assert narrowed.json()["items"] == []
    zeros = dict.fromkeys(
        ("mine", "department", "escalated_to_me", "overdue", "waiting_on_developer"), 0
    )
    for params in ({}, {"site_id": routing.staff.site}):
        counted = await routing.client.get("/v1/cases/counts", params=params, headers=stranger)
        assert counted.json() == zeros
    # The same person scoped to another site counts nothing either; on their own, something.
    own = routing.headers(routing.staff.eng_handler)
    assert (await routing.client.get("/v1/cases/counts", headers=own)).json()["mine"] == 1
    theirs = routing.headers(routing.staff.eng_handler, sites=["some-other-site"])
    assert (await routing.client.get("/v1/cases/counts", headers=theirs)).json() == zeros


@pytest.mark.parametrize(
    ("method", "template"),
    [(m, t) for (m, t) in BODIES if t.startswith("/v1/sites") and m != "GET"],
)
async def test_only_admins_change_the_organisation_and_rules(
    routing: Routing, method: str, template: str
) -> None:
    path = template.format(
        site_id=routing.staff.site, code="customer_service", staff_id=routing.staff.vp
    )
    for sub in (routing.staff.gm, routing.staff.cs_handlers[0]):
        response = await routing.client.request(
            method, path, json=BODIES[(method, template)], headers=routing.headers(sub)
        )
        assert (response.status_code, response.headers["content-type"]) == (
            403,
            "application/problem+json",
        )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/sites/" + "s" * 65 + "/organisation"),
        ("GET", "/v1/sites/site%20with%20spaces/rules"),
        ("GET", "/v1/cases/" + "c" * 65),
        ("POST", "/v1/cases/%00/accept"),
        ("PATCH", "/v1/sites/s-1/departments/Not-A-Code"),
        ("PATCH", "/v1/sites/s-1/staff/" + "x" * 65),
        ("GET", "/v1/cases/c-1/slips/" + "n" * 81 + "/document"),
    ],
)
async def test_junk_in_the_path_is_a_422_problem_never_a_500(
    routing: Routing, method: str, path: str
) -> None:
    body = {} if method != "GET" else None
    response = await routing.client.request(
        method, path, json=body, headers=routing.headers("root", "admin", sites=["*"])
    )
    assert (response.status_code, response.headers["content-type"]) == (
        422,
        "application/problem+json",
    )
