"""SLA deadlines in-process, with the shared clock frozen and moved past them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from routing_harness import Routing, committed

from shared.clock import clock, utcnow
from shared.testing.inprocess import timer_rounds

pytestmark = pytest.mark.integration

POLICY = {
    "sla_policies": [
        {"acknowledge_within": "PT60S", "resolve_within": "PT600S", "clock": "calendar"}
    ]
}


async def policy(routing: Routing, **extra: Any) -> None:
    response = await routing.client.put(
        f"/v1/sites/{routing.staff.site}/rules",
        json={**POLICY, **extra},
        headers=routing.headers(routing.staff.admin, "admin"),
    )
    assert response.status_code == 200, response.text


async def settle(routing: Routing) -> None:
    """Until two whole rounds of the timer scheduler, begun now, have ended: every deadline
    due by the (frozen) clock has fired and committed its events to the outbox."""
    await timer_rounds(routing.app)


async def test_an_unacknowledged_case_escalates_once_past_its_deadline(
    routing: Routing, frozen: None
) -> None:
    await policy(routing)
    case = await routing.opened()
    clock.advance(timedelta(seconds=59))
    await settle(routing)
    assert len(await committed(routing, "sla.breached", complaint_id=case["complaint_id"])) == 0
    assert routing.of(case["complaint_id"], "sla.breached") == []

    clock.advance(timedelta(seconds=2))
    (breach,) = await routing.wait_event(case["complaint_id"], "sla.breached")
    (escalation,) = await routing.wait_event(case["complaint_id"], "case.escalated")
    await settle(routing)

    assert breach["data"]["deadline"] == "acknowledge"
    assert (breach["data"]["level"], breach["data"]["department"]) == (
        "handler",
        "customer_service",
    )
    assert breach["data"]["due_at"] == case["acknowledge_due_at"]
    assert escalation["data"]["reason"] == "sla"
    assert (escalation["data"]["level"], escalation["data"]["owner"]) == (
        "dept_head",
        routing.staff.cs_head,
    )
    assert (breach["aggregate_version"], escalation["aggregate_version"]) == (2, 3)
    assert len(await committed(routing, "sla.breached", complaint_id=case["complaint_id"])) == 1
    detail = (await routing.get(f"/v1/cases/{case['case_id']}", routing.staff.cs_head)).json()
    assert (detail["status"], detail["level"], detail["overdue"]) == ("assigned", "dept_head", True)
    assert datetime.fromisoformat(detail["acknowledge_breached_at"]) == utcnow()
    assert detail["resolve_breached_at"] is None
    (listed,) = (await routing.get("/v1/cases", routing.staff.cs_head)).json()["items"]
    assert listed["acknowledge_breached_at"] == detail["acknowledge_breached_at"]


async def test_deadlines_count_from_when_the_complaint_was_received(
    routing: Routing, frozen: None
) -> None:
    await policy(routing)
    received = utcnow() - timedelta(minutes=5)  # routing was down when it came in
    case = await routing.opened(received_at=received)
    assert datetime.fromisoformat(case["acknowledge_due_at"]) == received + timedelta(seconds=60)
    assert datetime.fromisoformat(case["resolve_due_at"]) == received + timedelta(seconds=600)
    (breach,) = await routing.wait_event(case["complaint_id"], "sla.breached")
    await settle(routing)
    assert breach["data"]["deadline"] == "acknowledge"
    assert len(await committed(routing, "sla.breached", complaint_id=case["complaint_id"])) == 1


async def test_an_unresolved_case_escalates_past_its_resolve_deadline(
    routing: Routing, frozen: None
) -> None:
    await policy(routing)
    case = await routing.opened()
    accepted = await routing.post(f"/v1/cases/{case['case_id']}/accept", case["handler"])
    assert accepted.status_code == 200
    clock.advance(timedelta(seconds=601))
    (breach,) = await routing.wait_event(case["complaint_id"], "sla.breached")
    await routing.wait_event(case["complaint_id"], "case.escalated")
    await settle(routing)

    assert breach["data"]["deadline"] == "resolve"
    assert len(await committed(routing, "case.escalated", complaint_id=case["complaint_id"])) == 1
    detail = (await routing.get(f"/v1/cases/{case['case_id']}", routing.staff.cs_head)).json()
    assert detail["acknowledge_breached_at"] is None
    assert datetime.fromisoformat(detail["resolve_breached_at"]) == utcnow()


async def test_a_case_acknowledged_in_time_does_not_breach(routing: Routing, frozen: None) -> None:
    await policy(routing)
    case = await routing.opened()
    await routing.post(f"/v1/cases/{case['case_id']}/accept", case["handler"])
    resolved = await routing.post(
        f"/v1/cases/{case['case_id']}/resolution", case["handler"], {"result": "r", "reply": "r"}
    )
    assert resolved.status_code == 200
    clock.advance(timedelta(hours=2))
    await settle(routing)
    assert len(await committed(routing, "sla.breached", complaint_id=case["complaint_id"])) == 0
    assert routing.of(case["complaint_id"], "sla.breached") == []


async def test_the_resolve_clock_stops_while_the_developer_is_awaited(
    routing: Routing, frozen: None
) -> None:
    await policy(routing, developer_follow_up="P1D")
    case = await routing.opened()
    handler = case["handler"]
    for action, body in (
        ("accept", None),
        ("validity", {"valid": False, "reason": "developer"}),
        ("developer-forwarding", {}),
    ):
        assert (
            await routing.post(f"/v1/cases/{case['case_id']}/{action}", handler, body)
        ).is_success
    clock.advance(timedelta(seconds=601))
    await settle(routing)
    assert len(await committed(routing, "sla.breached", complaint_id=case["complaint_id"])) == 0
    assert routing.of(case["complaint_id"], "sla.breached") == []

    answered = await routing.post(
        f"/v1/cases/{case['case_id']}/developer-answer", handler, {"answer": "a"}
    )
    assert answered.status_code == 200
    clock.advance(timedelta(seconds=601))
    (breach,) = await routing.wait_event(case["complaint_id"], "sla.breached")
    assert breach["data"]["deadline"] == "resolve"


async def test_at_the_top_of_the_chain_a_breach_is_recorded_without_escalation(
    routing: Routing, frozen: None
) -> None:
    await policy(routing)
    staff = routing.staff
    case = await routing.opened()
    path = f"/v1/cases/{case['case_id']}"
    await routing.post(f"{path}/accept", case["handler"])
    for sub in (case["handler"], staff.cs_head, staff.vp):
        assert (await routing.post(f"{path}/transmittals", sub, {"reason": "r"})).is_success
    clock.advance(timedelta(seconds=601))
    (breach,) = await routing.wait_event(case["complaint_id"], "sla.breached")
    await settle(routing)
    assert breach["data"]["level"] == "gm"
    escalations = routing.of(case["complaint_id"], "case.escalated")
    assert [e["data"]["reason"] for e in escalations] == ["transmittal"] * 3
    assert len(await committed(routing, "case.escalated", complaint_id=case["complaint_id"])) == 3
