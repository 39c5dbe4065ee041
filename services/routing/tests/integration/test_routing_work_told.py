"""Everyone with work is told (issue 14.5): the handler is warned when a share of a
deadline's time has passed (per SLA policy, 80 % by default); an escalation or a missed
deadline names the department and the handler by name and carries the complaint's text,
so the superior alerted can act without looking the case up."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from routing_harness import Routing
from sqlalchemy import func, select

from routing.cases.deadlines import WARNING
from shared import timers
from shared.clock import clock, utcnow
from shared.db.engine import reading
from shared.db.tables import outbox
from shared.testing.checks import eventually

pytestmark = pytest.mark.integration

POLICY = {
    "sla_policies": [
        {"acknowledge_within": "PT60S", "resolve_within": "PT600S", "clock": "calendar"}
    ]
}
TEXT = "电梯停在十二楼两天了"


async def policy(routing: Routing, **terms: Any) -> None:
    response = await put_rules(routing, [{**POLICY["sla_policies"][0], **terms}])
    assert response.status_code == 200, response.text


async def put_rules(routing: Routing, policies: list[dict[str, Any]]) -> Any:
    return await routing.client.put(
        f"/v1/sites/{routing.staff.site}/rules",
        json={"sla_policies": policies},
        headers=routing.headers(routing.staff.admin, "admin"),
    )


async def warning_due(routing: Routing, case_id: str, deadline: str) -> datetime | None:
    async with reading(routing.db) as session:
        found = await timers.pending(session, kind=WARNING, key=f"{case_id}:{deadline}")
    return found.due_at if found is not None else None


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


async def test_the_handler_is_warned_at_the_policys_share_of_each_deadline(
    routing: Routing, frozen: None
) -> None:
    await policy(routing, warn_percent=50)
    start = utcnow()
    case = await routing.opened(description=TEXT)
    assert await warning_due(routing, case["case_id"], "acknowledge") == start + timedelta(
        seconds=30
    )
    assert await warning_due(routing, case["case_id"], "resolve") == start + timedelta(seconds=300)
    assert routing.of(case["complaint_id"], "sla.warned") == []

    clock.advance(timedelta(seconds=31))
    (warned,) = await routing.wait_event(case["complaint_id"], "sla.warned")

    data = warned["data"]
    assert (data["deadline"], data["share"], data["level"]) == ("acknowledge", 50, "handler")
    assert data["due_at"] == case["acknowledge_due_at"]
    assert (data["handler"], data["handler_name"]) == (
        case["handler"],
        name_of(routing, case["handler"]),
    )
    assert (data["department_name_zh"], data["description"]) == ("客服中心", TEXT)
    assert routing.of(case["complaint_id"], "sla.breached") == []
    path = f"/v1/cases/{case['case_id']}/accept"
    assert (await routing.post(path, case["handler"])).status_code == 200

    clock.advance(timedelta(seconds=270))
    await routing.wait_event(case["complaint_id"], "sla.warned", count=2)
    last = routing.of(case["complaint_id"], "sla.warned")[-1]["data"]
    assert (last["deadline"], last["due_at"]) == ("resolve", case["resolve_due_at"])
    assert routing.of(case["complaint_id"], "sla.breached") == []


async def test_a_deadline_met_in_time_warns_nobody(routing: Routing, frozen: None) -> None:
    await policy(routing)  # 80 % by default
    case = await routing.opened()
    assert await warning_due(routing, case["case_id"], "acknowledge") == datetime.fromisoformat(
        case["acknowledge_due_at"]
    ) - timedelta(seconds=12)
    path = f"/v1/cases/{case['case_id']}"
    assert (await routing.post(f"{path}/accept", case["handler"])).status_code == 200
    resolved = await routing.post(
        f"{path}/resolution", case["handler"], {"result": "修好了", "reply": "已修复"}
    )
    assert resolved.status_code == 200

    clock.advance(timedelta(seconds=601))
    await routing.wait_event(case["complaint_id"], "case.resolved")

    async def fired() -> bool:
        found = [await warning_due(routing, case["case_id"], d) for d in ("acknowledge", "resolve")]
        return found == [None, None]

    assert await eventually(fired, True)
    # The warning would have been written with its timer's removal, in one transaction.
    (assigned,) = routing.of(case["complaint_id"], "case.assigned")
    assert await outbox_count(routing, "sla.warned", assigned["correlation_id"]) == 0
    assert routing.of(case["complaint_id"], "sla.warned") == []


async def outbox_count(routing: Routing, type_: str, correlation_id: str) -> int:
    query = select(func.count()).where(
        outbox.c.type == type_, outbox.c.correlation_id == correlation_id
    )
    async with reading(routing.db) as session:
        return int(await session.scalar(query) or 0)


async def test_a_warning_share_from_1_to_99_percent_is_taken_and_any_other_is_a_422_problem(
    routing: Routing,
) -> None:
    for share in (1, 99):
        taken = await put_rules(routing, [{**POLICY["sla_policies"][0], "warn_percent": share}])
        assert taken.status_code == 200, taken.text

    for share in (0, 100, 150, -5, "eighty"):
        refused = await put_rules(routing, [{**POLICY["sla_policies"][0], "warn_percent": share}])
        assert refused.status_code == 422, share
        assert refused.headers["content-type"] == "application/problem+json"
        assert "warn_percent" in refused.text


async def test_a_policy_shows_its_warning_share_80_by_default(routing: Routing) -> None:
    await put_rules(
        routing,
        [
            POLICY["sla_policies"][0],
            {**POLICY["sla_policies"][0], "severity": "urgent", "warn_percent": 90},
        ],
    )

    shown = (await routing.get(f"/v1/sites/{routing.staff.site}/rules", routing.staff.admin)).json()

    assert [p["warn_percent"] for p in shown["sla_policies"]] == [80, 90]
