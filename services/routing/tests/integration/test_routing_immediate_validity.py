"""A complaint answered on the spot is judged valid or invalid like any other (issue 14.7).

Its case opens resolved and is never in progress, yet its validity is judged through the
same route, by the same people, with the same event, and the complaint report counts it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from routing_harness import Routing, wait_published

from shared.clock import utcnow

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


async def answered(routing: Routing, **changes: Any) -> dict[str, Any]:
    """A complaint answered on the spot, once its case is open (resolved)."""
    complaint = await routing.complaint(immediate_reply="已告知业主明早八点恢复供水", **changes)
    (resolved,) = await routing.wait_event(complaint.complaint_id, "case.resolved")
    return dict(resolved["data"])


async def judge(routing: Routing, case: dict[str, Any], sub: str, body: Any) -> Any:
    return await routing.post(f"/v1/cases/{case['case_id']}/validity", sub, body)


async def offered(routing: Routing, case: dict[str, Any], sub: str) -> list[str]:
    response = await routing.get(f"/v1/cases/{case['case_id']}", sub)
    assert response.status_code == 200, response.text
    return list(response.json()["actions"])


async def figures(routing: Routing) -> dict[str, Any]:
    today = utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date()
    period = {"from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat()}
    response = await routing.client.get(
        "/v1/reports/complaints",
        params={"site_id": routing.staff.site, **period},
        headers=routing.headers(routing.staff.vp),
    )
    assert response.status_code == 200, response.text
    return {f["name"]: f["value"] for f in response.json()["figures"]}


async def test_an_immediately_answered_complaint_is_judged_and_counted(routing: Routing) -> None:
    handler = routing.staff.cs_handlers[0]
    valid, invalid, _unjudged = [await answered(routing) for _ in range(3)]
    assert await offered(routing, valid, handler) == ["judge_validity"]

    judged = await judge(routing, valid, handler, {"valid": True})
    assert judged.status_code == 200, judged.text
    assert (judged.json()["status"], judged.json()["validity"]) == ("resolved", "valid")
    body = {"valid": False, "reason": "public_facility_outside_jurisdiction"}
    judged = await judge(routing, invalid, routing.staff.cs_head, body)
    assert judged.status_code == 200, judged.text
    assert judged.json()["invalid_reason"] == "public_facility_outside_jurisdiction"

    (event,) = await routing.wait_event(valid["complaint_id"], "case.validity_judged")
    assert (event["aggregate_version"], event["data"]["valid"]) == (3, True)
    assert event["data"]["actor"] == handler
    (event,) = await routing.wait_event(invalid["complaint_id"], "case.validity_judged")
    assert (event["data"]["valid"], event["data"]["reason"]) == (False, body["reason"])
    found = await figures(routing)
    assert (found["complaints"], found["valid"], found["invalid"], found["unjudged"]) == (
        3,
        1,
        1,
        1,
    )


async def test_it_can_still_be_judged_after_the_callback_closed_it(routing: Routing) -> None:
    case = await answered(routing)
    await routing.callback(case, satisfied=True)
    await routing.wait_event(case["complaint_id"], "case.closed")
    judged = await judge(
        routing, case, routing.staff.cs_handlers[1], {"valid": False, "reason": "developer"}
    )
    assert judged.status_code == 200, judged.text
    assert (judged.json()["status"], judged.json()["validity"]) == ("closed", "invalid")
    await wait_published(routing, "case.validity_judged", case_id=case["case_id"])
    assert (await figures(routing))["unjudged"] == 0


async def test_only_the_departments_people_on_its_site_judge_it(routing: Routing) -> None:
    case = await answered(routing)
    staff = routing.staff
    outsider = await judge(routing, case, staff.eng_handler, {"valid": True})
    assert (outsider.status_code, outsider.headers["content-type"]) == (403, PROBLEM)
    assert await offered(routing, case, staff.eng_handler) == []
    callcenter = await routing.client.post(
        f"/v1/cases/{case['case_id']}/validity",
        json={"valid": True},
        headers=routing.headers(staff.cs_head, "callcenter"),
    )
    assert (callcenter.status_code, callcenter.headers["content-type"]) == (403, PROBLEM)
    elsewhere = await routing.client.post(
        f"/v1/cases/{case['case_id']}/validity",
        json={"valid": True},
        headers=routing.headers(staff.cs_head, "dept_head", sites=["another-site"]),
    )
    assert (elsewhere.status_code, elsewhere.headers["content-type"]) == (404, PROBLEM)
    assert (await routing.get(f"/v1/cases/{case['case_id']}", staff.cs_head)).json()[
        "validity"
    ] is None

    judged = await judge(routing, case, staff.cs_head, {"valid": True})
    assert judged.status_code == 200, judged.text
    (event,) = await routing.wait_event(case["complaint_id"], "case.validity_judged")
    assert event["data"]["actor"] == staff.cs_head


async def test_a_bad_judgement_is_a_422_problem_and_a_good_one_then_counts(
    routing: Routing,
) -> None:
    case = await answered(routing)
    bad = [{"valid": False}, {"valid": True, "reason": "developer"}, {"valid": "perhaps"}, {}]
    for body in bad:
        response = await judge(routing, case, routing.staff.cs_head, body)
        assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM), body
        assert response.json()["detail"], body
    judged = await judge(
        routing, case, routing.staff.cs_head, {"valid": False, "reason": "developer"}
    )
    assert judged.status_code == 200, judged.text
    assert (await figures(routing))["invalid"] == 1


async def test_only_a_complaint_answered_on_the_spot_is_judged_once_answered(
    routing: Routing,
) -> None:
    on_the_spot = await answered(routing)
    judged = await judge(routing, on_the_spot, routing.staff.cs_head, {"valid": True})
    assert judged.status_code == 200, judged.text
    case = await routing.opened()
    handler = case["handler"]
    for action, body in (("accept", None), ("resolution", {"result": "r", "reply": "r"})):
        done = await routing.post(f"/v1/cases/{case['case_id']}/{action}", handler, body)
        assert done.status_code == 200, done.text
    refused = await judge(routing, case, handler, {"valid": True})
    assert (refused.status_code, refused.headers["content-type"]) == (409, PROBLEM)
    assert refused.json()["case_status"] == "resolved"
