"""Everyone with work is told (issue 14.5): an escalation or a missed deadline names the
department and the handler by name and carries the complaint's text, so the superior
alerted can act without looking the case up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from routing_harness import Routing

from shared.clock import clock, utcnow

pytestmark = pytest.mark.integration

POLICY = {
    "sla_policies": [
        {"acknowledge_within": "PT60S", "resolve_within": "PT600S", "clock": "calendar"}
    ]
}
TEXT = "电梯停在十二楼两天了"


@pytest.fixture
def frozen() -> Iterator[None]:
    clock.freeze(utcnow())
    yield
    clock.unfreeze()


async def policy(routing: Routing) -> None:
    response = await routing.client.put(
        f"/v1/sites/{routing.staff.site}/rules",
        json=POLICY,
        headers=routing.headers(routing.staff.admin, "admin"),
    )
    assert response.status_code == 200, response.text


def name_of(routing: Routing, staff_id: str) -> str:
    people = routing.staff.organisation()["staff"]
    return str(next(p["name"] for p in people if p["id"] == staff_id))


async def test_a_missed_deadline_names_the_department_and_handler_and_carries_the_text(
    routing: Routing, frozen: None
) -> None:
    await policy(routing)
    case = await routing.opened(description=TEXT)
    clock.advance(timedelta(seconds=61))

    (breach,) = await routing.wait_event(case["complaint_id"], "sla.breached")
    (escalation,) = await routing.wait_event(case["complaint_id"], "case.escalated")

    handler = case["handler"]
    assert handler is not None
    for event in (breach["data"], escalation["data"]):
        assert event["department"] == "customer_service"
        assert (event["department_name"], event["department_name_zh"]) == (
            "Customer service",
            "客服中心",
        )
        assert (event["handler"], event["handler_name"]) == (handler, name_of(routing, handler))
        assert event["description"] == TEXT


async def test_a_transmittal_names_the_department_and_carries_the_text(routing: Routing) -> None:
    case = await routing.opened(description=TEXT)
    path = f"/v1/cases/{case['case_id']}"
    assert (await routing.post(f"{path}/accept", case["handler"])).status_code == 200

    slip = await routing.post(f"{path}/transmittals", case["handler"], {"reason": "需要工程部"})
    assert slip.status_code in (200, 201), slip.text

    (escalation,) = await routing.wait_event(case["complaint_id"], "case.escalated")
    assert escalation["data"]["reason"] == "transmittal"
    assert escalation["data"]["department_name_zh"] == "客服中心"
    assert escalation["data"]["handler_name"] == name_of(routing, case["handler"])
    assert escalation["data"]["description"] == TEXT
