"""The resident's withdrawals and supplements reaching the case, with the clock frozen.

"Nothing happened" is shown by a positive marker, never by sleeping: the message's inbox
row (it was handled), the case's timer rows (gone), and a control case of the same site
whose deadline passes with the withdrawn one's and that does escalate.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from prometheus_client import REGISTRY
from routing_harness import Routing, wait_published
from sqlalchemy import func, select

from routing.cases.deadlines import FOLLOW_UP, SLA
from shared import timers
from shared.clock import clock, utcnow
from shared.contracts.intake import ComplaintSupplemented, ComplaintWithdrawn
from shared.db.engine import reading
from shared.db.tables import inbox
from shared.testing.checks import eventually

pytestmark = pytest.mark.integration

POLICY = {
    "sla_policies": [
        {"acknowledge_within": "PT60S", "resolve_within": "PT600S", "clock": "calendar"}
    ]
}


async def policy(routing: Routing) -> None:
    response = await routing.client.put(
        f"/v1/sites/{routing.staff.site}/rules",
        json=POLICY,
        headers=routing.headers(routing.staff.admin, "admin"),
    )
    assert response.status_code == 200, response.text


def withdrawal(routing: Routing, case: dict[str, Any]) -> ComplaintWithdrawn:
    return ComplaintWithdrawn(
        complaint_id=case["complaint_id"],
        site_id=routing.staff.site,
        reason="已自行解决",
        withdrawn_at=utcnow(),
    )


def supplement(routing: Routing, complaint_id: str, text: str) -> ComplaintSupplemented:
    return ComplaintSupplemented(
        complaint_id=complaint_id,
        site_id=routing.staff.site,
        text=text,
        added_by="业主 张女士",
        added_at=utcnow(),
    )


async def handled(routing: Routing, *envelopes: dict[str, Any]) -> None:
    """Wait until routing's inbox holds every envelope's id: each was handled (or skipped)."""
    ids = [e["id"] for e in envelopes]

    async def count() -> int:
        async with reading(routing.db) as session:
            query = select(func.count()).select_from(inbox).where(inbox.c.message_id.in_(ids))
            return int(await session.scalar(query) or 0)

    assert await eventually(count, len(ids), timeout=30) == len(ids)


async def armed(routing: Routing, case_id: str) -> set[str]:
    async with reading(routing.db) as session:
        found = [await timers.pending(session, kind=k, key=case_id) for k in (SLA, FOLLOW_UP)]
    return {t.kind for t in found if t is not None}


async def detail(routing: Routing, case: dict[str, Any]) -> dict[str, Any]:
    response = await routing.get(f"/v1/cases/{case['case_id']}", routing.staff.cs_head)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def act(routing: Routing, case: dict[str, Any], action: str, body: Any = None) -> int:
    path = f"/v1/cases/{case['case_id']}/{action}"
    return int((await routing.post(path, case["handler"], body)).status_code)


async def test_a_withdrawn_case_is_finished_and_never_escalates(
    routing: Routing, frozen: None
) -> None:
    await policy(routing)
    withdrawn, control = await routing.opened(), await routing.opened()
    assert await armed(routing, withdrawn["case_id"]) == {SLA}

    await routing.publish(withdrawal(routing, withdrawn))
    (event,) = await routing.wait_event(withdrawn["complaint_id"], "case.withdrawn")
    assert (event["aggregate_version"], event["data"]["from_status"]) == (2, "assigned")
    data = event["data"]
    assert (data["reason"], data["handler"]) == ("已自行解决", withdrawn["handler"])
    assert data["department"] == "customer_service"
    assert await armed(routing, withdrawn["case_id"]) == set()

    clock.advance(timedelta(seconds=601))  # past both deadlines of both cases
    await routing.wait_event(control["complaint_id"], "sla.breached", count=2)
    await routing.wait_event(control["complaint_id"], "case.escalated", count=2)
    assert [e["type"] for e in routing.of(withdrawn["complaint_id"])] == [
        "case.assigned",
        "case.withdrawn",
    ]
    found = await detail(routing, withdrawn)
    assert (found["status"], found["level"], found["overdue"]) == ("withdrawn", "handler", False)
    assert (found["closed_at"], found["actions"]) == (None, [])
    assert [h["type"] for h in found["history"]] == ["case.assigned", "case.withdrawn"]
    assert await act(routing, withdrawn, "accept") == 409
    # The report counts it, but not as a deadline missed: its deadlines stopped with it.
    today = utcnow().astimezone(ZoneInfo(routing.settings.report_timezone)).date().isoformat()
    period = {"site_id": routing.staff.site, "from": today, "to": today}
    headers = routing.headers(routing.staff.gm, "gm", sites=[routing.staff.site])
    answer = await routing.client.get("/v1/reports/complaints", params=period, headers=headers)
    assert answer.status_code == 200, answer.text
    figures = {f["name"]: f["value"] for f in answer.json()["figures"]}
    assert figures["complaints"] == 2
    assert (figures["acknowledge_missed"], figures["resolve_missed"]) == (1, 1)  # the control


async def test_a_redelivered_or_repeated_withdrawal_changes_nothing_twice(
    routing: Routing,
) -> None:
    case = await routing.opened()
    await act(routing, case, "accept")
    first = await routing.publish(withdrawal(routing, case))
    await routing.wait_event(case["complaint_id"], "case.withdrawn")
    await routing.publish_envelope(first)  # the broker delivers it again
    again = await routing.publish(withdrawal(routing, case))  # intake's second message
    await handled(routing, first, again)
    await wait_published(routing, "case.accepted", complaint_id=case["complaint_id"])
    assert [e["type"] for e in routing.of(case["complaint_id"])] == [
        "case.assigned",
        "case.accepted",
        "case.withdrawn",
    ]
    assert (await detail(routing, case))["version"] == 3


async def test_a_resolved_case_withdrawn_before_its_callback_ignores_the_late_callback(
    routing: Routing,
) -> None:
    case = await routing.opened()
    assert await act(routing, case, "accept") == 200
    assert await act(routing, case, "resolution", {"result": "修好了", "reply": "灯已修好"}) == 200
    await routing.publish(withdrawal(routing, case))
    (event,) = await routing.wait_event(case["complaint_id"], "case.withdrawn")
    assert event["data"]["from_status"] == "resolved"

    late = await routing.callback(case, satisfied=True)
    await handled(routing, late)
    found = await detail(routing, case)
    assert (found["status"], found["closed_at"]) == ("withdrawn", None)
    assert routing.of(case["complaint_id"], "case.closed") == []


async def test_a_withdrawal_after_the_case_was_closed_leaves_it_closed(routing: Routing) -> None:
    case = await routing.opened()
    assert await act(routing, case, "accept") == 200
    assert await act(routing, case, "resolution", {"result": "修好了", "reply": "灯已修好"}) == 200
    await routing.callback(case, satisfied=True)
    await routing.wait_event(case["complaint_id"], "case.closed")
    parked_before = _parked("complaint.withdrawn")

    late = await routing.publish(withdrawal(routing, case))
    await handled(routing, late)
    found = await detail(routing, case)
    assert (found["status"], found["version"]) == ("closed", 4)
    assert routing.of(case["complaint_id"], "case.withdrawn") == []
    assert _parked("complaint.withdrawn") == parked_before


async def test_a_withdrawal_ahead_of_its_complaint_waits_for_the_case(
    routing: Routing, frozen: None
) -> None:
    await policy(routing)
    complaint_id = "c-" + utcnow().strftime("%H%M%S%f")
    retried = _retried("complaint.withdrawn")
    early = await routing.publish(withdrawal(routing, {"complaint_id": complaint_id}))

    async def tried() -> bool:
        return _retried("complaint.withdrawn") > retried

    assert await eventually(tried, True)

    await routing.complaint(complaint_id=complaint_id)
    await routing.wait_event(complaint_id, "case.withdrawn", timeout=60)
    await handled(routing, early)
    assert [(e["aggregate_version"], e["type"]) for e in routing.of(complaint_id)] == [
        (1, "case.assigned"),
        (2, "case.withdrawn"),
    ]
    assert await armed(routing, routing.of(complaint_id)[0]["data"]["case_id"]) == set()


async def test_a_supplement_joins_the_history_for_the_handler_once(routing: Routing) -> None:
    case = await routing.opened()
    sent = await routing.publish(supplement(routing, case["complaint_id"], "晚上十点后更吵"))
    (event,) = await routing.wait_event(case["complaint_id"], "case.supplemented")
    await routing.publish_envelope(sent)
    await handled(routing, sent)

    data = event["data"]
    assert (data["text"], data["added_by"], data["handler"]) == (
        "晚上十点后更吵",
        "业主 张女士",
        case["handler"],
    )
    assert (data["department"], data["owner"], data["actor"]) == (
        "customer_service",
        case["handler"],
        None,
    )
    found = await detail(routing, case)
    (entry,) = [h for h in found["history"] if h["type"] == "case.supplemented"]
    assert (entry["version"], entry["data"]["text"]) == (2, "晚上十点后更吵")
    assert found["status"] == "assigned"
    assert len(routing.of(case["complaint_id"], "case.supplemented")) == 1


async def test_a_supplement_to_a_finished_case_is_still_kept(routing: Routing) -> None:
    case = await routing.opened()
    await routing.publish(withdrawal(routing, case))
    await routing.wait_event(case["complaint_id"], "case.withdrawn")
    await routing.publish(supplement(routing, case["complaint_id"], "附照片两张"))
    (event,) = await routing.wait_event(case["complaint_id"], "case.supplemented")
    assert event["aggregate_version"] == 3
    assert (await detail(routing, case))["status"] == "withdrawn"


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, {"service": "routing", **labels}) or 0.0


def _retried(event_type: str) -> float:
    return _sample("careloop_bus_retried_total", event_type=event_type)


def _parked(event_type: str) -> float:
    reasons = ("unhandled", "failed", "malformed")
    return sum(
        _sample("careloop_bus_parked_total", event_type=event_type, reason=r) for r in reasons
    )
