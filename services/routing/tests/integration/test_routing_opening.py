"""complaint.received opens a case: department, handler, SLA timers, case.assigned."""

from __future__ import annotations

from datetime import datetime

import pytest
from routing_harness import Routing, committed, make_complaint
from sqlalchemy import func, select

from routing.cases.deadlines import FOLLOW_UP, SLA
from routing.cases.models import Case
from shared import timers
from shared.db.engine import reading
from shared.db.tables import timer
from shared.testing.inprocess import Consumed

pytestmark = pytest.mark.integration


async def test_a_complaint_opens_an_assigned_case_with_deadlines(routing: Routing) -> None:
    complaint = await routing.complaint(category="other")
    (event,) = await routing.wait_event(complaint.complaint_id, "case.assigned")

    data = event["data"]
    assert event["aggregate_version"] == 1
    assert event["aggregate_id"] == data["case_id"]
    assert event["site_id"] == routing.staff.site
    assert data["department"] == "customer_service"
    assert data["handler"] in routing.staff.cs_handlers
    assert (data["department_name"], data["department_name_zh"]) == ("Customer service", "客服中心")
    handler_names = dict(zip(routing.staff.cs_handlers, ("张三", "刘敏"), strict=True))
    assert data["handler_name"] == handler_names[data["handler"]]
    assert data["reference"] == complaint.reference
    assert data["already_resolved"] is False
    acknowledge = datetime.fromisoformat(data["acknowledge_due_at"])
    resolve = datetime.fromisoformat(data["resolve_due_at"])
    assert complaint.received_at < acknowledge < resolve
    async with reading(routing.db) as session:
        armed = await timers.pending(session, kind=SLA, key=data["case_id"])
        reminder = await timers.pending(session, kind=FOLLOW_UP, key=data["case_id"])
    assert armed is not None
    assert armed.due_at == acknowledge  # the earliest deadline it has to meet
    assert reminder is None


async def test_the_correlation_id_of_the_complaint_flow_is_kept(routing: Routing) -> None:
    complaint = make_complaint(routing.staff.site)
    envelope = await routing.publish(complaint)
    (event,) = await routing.wait_event(complaint.complaint_id, "case.assigned")
    assert event["correlation_id"] == envelope["correlation_id"]


async def test_handlers_of_the_department_take_new_cases_in_turn(routing: Routing) -> None:
    handlers = []
    for _ in range(4):
        handlers.append((await routing.opened(category="other"))["handler"])
    assert sorted(handlers) == sorted(routing.staff.cs_handlers * 2)


async def test_the_routing_rules_choose_the_department(routing: Routing) -> None:
    site = routing.staff.site
    rules = {
        "default_department": "engineering",
        "routes": [
            {"category": "cleaning", "severity": "urgent", "department": "customer_service"}
        ],
    }
    put = await routing.client.put(
        f"/v1/sites/{site}/rules", json=rules, headers=routing.headers(routing.staff.admin, "admin")
    )
    assert put.status_code == 200, put.text

    urgent = await routing.opened(category="cleaning", severity="urgent")
    ordinary = await routing.opened(category="cleaning", severity="normal")
    assert urgent["department"] == "customer_service"
    assert ordinary["department"] == "engineering"
    assert ordinary["handler"] == routing.staff.eng_handler


async def test_an_immediately_answered_complaint_opens_resolved(routing: Routing) -> None:
    complaint = await routing.complaint(immediate_reply="已告知业主明早八点停水")
    (assigned,) = await routing.wait_event(complaint.complaint_id, "case.assigned")
    (resolved,) = await routing.wait_event(complaint.complaint_id, "case.resolved")

    assert assigned["data"]["already_resolved"] is True
    assert (assigned["aggregate_version"], resolved["aggregate_version"]) == (1, 2)
    assert resolved["data"]["reply"] == "已告知业主明早八点停水"
    assert resolved["data"]["immediate"] is True
    case = await routing.get(f"/v1/cases/{assigned['data']['case_id']}", routing.staff.cs_head)
    assert case.json()["status"] == "resolved"
    async with reading(routing.db) as session:
        left = await session.scalar(
            select(func.count())
            .select_from(timer)
            .where(timer.c.key == assigned["data"]["case_id"])
        )
    assert left == 0


async def test_long_names_from_intake_fit(routing: Routing) -> None:
    complaint = make_complaint(
        routing.staff.site, immediate_reply="已答复", location="楼" * 500, reference="R" * 64
    )
    complaint = complaint.model_copy(
        update={
            "immediate_reply": complaint.immediate_reply.model_copy(  # type: ignore[union-attr]
                update={"replied_by": "客服" * 50}
            )
        }
    )
    await routing.publish(complaint)
    (resolved,) = await routing.wait_event(complaint.complaint_id, "case.resolved")
    assert resolved["data"]["actor"] == "客服" * 50


async def test_a_complaint_delivered_twice_opens_one_case(routing: Routing) -> None:
    complaint = make_complaint(routing.staff.site)
    consumed = Consumed("routing", "complaint.received")
    envelope = await routing.publish(complaint)
    await routing.publish_envelope(envelope)  # the same message again
    await routing.publish(complaint)  # the same complaint in a new message
    await consumed.reach(3)  # all three were handled or absorbed, and committed

    await routing.wait_event(complaint.complaint_id, "case.assigned")
    assert len(await committed(routing, "case.assigned", complaint_id=complaint.complaint_id)) == 1
    async with reading(routing.db) as session:
        cases = await session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.complaint_id == complaint.complaint_id)  # type: ignore[arg-type]
        )
    assert cases == 1


async def test_a_site_without_an_organisation_still_gets_cases(routing: Routing) -> None:
    lonely = f"lonely-{routing.staff.site}"
    complaint = make_complaint(lonely, category="fees")
    await routing.publish(complaint, site_id=lonely)
    (event,) = await routing.wait_event(complaint.complaint_id, "case.assigned")
    assert event["data"]["department"] == "finance"
    assert event["data"]["handler"] is None
