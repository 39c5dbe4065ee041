"""Work queues: mine, my department's, escalated to me, overdue, waiting on the developer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from routing_harness import Routing, wait_published

from shared.clock import clock
from shared.testing.inprocess import timer_rounds

pytestmark = pytest.mark.integration


async def queue(routing: Routing, sub: str, **params: Any) -> list[str]:
    response = await routing.get("/v1/cases", sub, params=params)
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["items"]]


async def step(
    routing: Routing, case: dict[str, Any], action: str, sub: str, body: Any = None
) -> None:
    response = await routing.post(f"/v1/cases/{case['case_id']}/{action}", sub, body)
    assert response.status_code == 200, response.text


async def test_each_queue_holds_the_right_cases(routing: Routing, frozen: None) -> None:
    staff = routing.staff
    opened = []
    for category in ("other", "other", "other", "maintenance"):
        opened.append(await routing.opened(category=category))
        clock.advance(timedelta(seconds=1))  # queues list the oldest case first
    plain, escalated, developer, engineering = opened
    await step(routing, escalated, "accept", escalated["handler"])
    await step(routing, escalated, "transmittals", escalated["handler"], {"reason": "r"})
    h = developer["handler"]
    await step(routing, developer, "accept", h)
    await step(routing, developer, "validity", h, {"valid": False, "reason": "developer"})
    await step(routing, developer, "developer-forwarding", h, {})
    mine = {c["handler"] for c in (plain, escalated, developer)}

    for handler in staff.cs_handlers:
        expected = [c["case_id"] for c in (plain, escalated, developer) if c["handler"] == handler]
        assert await queue(routing, handler, queue="mine") == expected
    assert mine <= set(staff.cs_handlers)
    department = [c["case_id"] for c in (plain, escalated, developer)]
    assert await queue(routing, staff.cs_head, queue="department") == department
    assert await queue(routing, staff.cs_handlers[0], queue="department") == department
    assert await queue(routing, staff.eng_handler, queue="department") == [engineering["case_id"]]
    assert await queue(routing, staff.cs_head, queue="escalated_to_me") == [escalated["case_id"]]
    assert await queue(routing, staff.vp, queue="escalated_to_me") == []
    assert await queue(routing, staff.gm, queue="waiting_on_developer") == [developer["case_id"]]
    assert await queue(routing, staff.gm, queue="overdue") == []

    clock.advance(timedelta(days=30))
    overdue = await queue(routing, staff.gm, queue="overdue")
    assert overdue == [plain["case_id"], escalated["case_id"], engineering["case_id"]]


QUEUES = ("mine", "department", "escalated_to_me", "overdue", "waiting_on_developer")


async def counts(routing: Routing, headers: dict[str, str], **params: Any) -> dict[str, int]:
    response = await routing.client.get("/v1/cases/counts", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def listed_counts(routing: Routing, sub: str) -> dict[str, int]:
    """What each queue lists for `sub`, counted from the lists themselves."""
    return {name: len(await queue(routing, sub, queue=name, limit=500)) for name in QUEUES}


async def timers_ran(routing: Routing, *, breaches: int) -> None:
    """Wait for `breaches` SLA breaches, then for two whole timer rounds: every deadline
    due by the (frozen) clock has fired, with its escalation, and is committed."""
    await wait_published(routing, "sla.breached", count=breaches)
    await timer_rounds(routing.app)


async def test_counts_are_the_lengths_of_the_queues(routing: Routing, frozen: None) -> None:
    staff = routing.staff
    opened = []
    for category in ("other", "other", "other", "maintenance"):
        opened.append(await routing.opened(category=category))
        clock.advance(timedelta(seconds=1))
    _, escalated, developer, _ = opened
    await step(routing, escalated, "accept", escalated["handler"])
    await step(routing, escalated, "transmittals", escalated["handler"], {"reason": "r"})
    h = developer["handler"]
    await step(routing, developer, "accept", h)
    await step(routing, developer, "validity", h, {"valid": False, "reason": "developer"})
    await step(routing, developer, "developer-forwarding", h, {})
    people = (staff.cs_head, *staff.cs_handlers, staff.eng_handler, staff.vp, staff.gm)

    head = routing.headers(staff.cs_head)
    assert await counts(routing, head) == {
        "mine": 1,
        "department": 3,
        "escalated_to_me": 1,
        "overdue": 0,
        "waiting_on_developer": 1,
    }
    for sub in people:
        assert await counts(routing, routing.headers(sub)) == await listed_counts(routing, sub)
    clock.advance(timedelta(days=30))
    await timers_ran(routing, breaches=5)
    assert (await counts(routing, routing.headers(staff.gm)))["overdue"] == 3
    for sub in people:
        assert await counts(routing, routing.headers(sub)) == await listed_counts(routing, sub)

    zeros = dict.fromkeys(QUEUES, 0)
    assert await counts(routing, head, site_id=staff.site) == await listed_counts(
        routing, staff.cs_head
    )
    assert await counts(routing, head, site_id="some-other-site") == zeros
    for sub in (staff.cs_head, staff.gm):
        elsewhere = routing.headers(sub, sites=["some-other-site"])
        assert await counts(routing, elsewhere) == zeros
        assert await counts(routing, elsewhere, site_id=staff.site) == zeros


async def test_a_listed_case_reads_its_reporter_place_and_summary(routing: Routing) -> None:
    long_text = "楼道灯坏了三天，无人来修。" * 20
    complaint = await routing.complaint(description=long_text, location="5-1-302 楼道")
    (assigned,) = await routing.wait_event(complaint.complaint_id, "case.assigned")
    case = assigned["data"]
    short = await routing.opened(reporter_type="visitor", household_id=None, location=None)
    (listed, other) = (await routing.get("/v1/cases", routing.staff.gm)).json()["items"]

    assert listed["id"] == case["case_id"]
    assert (listed["reporter_type"], listed["location"]) == ("household", "5-1-302 楼道")
    assert complaint.household_id is not None
    assert listed["household_id"] == complaint.household_id
    assert listed["summary"] == long_text[:140] + "…"
    assert (listed["acknowledge_breached_at"], listed["resolve_breached_at"]) == (None, None)
    assert "description" not in listed
    assert other["id"] == short["case_id"]
    assert (other["reporter_type"], other["household_id"], other["location"]) == (
        "visitor",
        None,
        None,
    )
    assert other["summary"] == "楼道灯坏了三天 <b>无人修</b>"
    detail = (await routing.get(f"/v1/cases/{case['case_id']}", routing.staff.gm)).json()
    assert detail["description"] == long_text
    assert {k: detail[k] for k in listed} == listed


async def test_filters_narrow_any_queue(routing: Routing) -> None:
    staff = routing.staff
    fees = await routing.opened(category="fees", severity="urgent")
    other = await routing.opened(category="other")
    gm = staff.gm
    assert await queue(routing, gm, category="fees") == [fees["case_id"]]
    assert await queue(routing, gm, severity="urgent") == [fees["case_id"]]
    assert await queue(routing, gm, department="finance") == [fees["case_id"]]
    assert await queue(routing, gm, complaint_id=other["complaint_id"]) == [other["case_id"]]
    assert await queue(routing, gm, status="assigned") == [fees["case_id"], other["case_id"]]
    assert await queue(routing, gm, status="closed") == []
    opened = (await routing.get(f"/v1/cases/{other['case_id']}", gm)).json()["opened_at"]
    assert await queue(routing, gm, opened_from=opened) == [other["case_id"]]
    assert await queue(routing, gm, opened_to=opened) == [fees["case_id"]]


async def test_pages_follow_each_other_without_gaps_or_repeats(routing: Routing) -> None:
    opened = [(await routing.opened())["case_id"] for _ in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await routing.get("/v1/cases", routing.staff.gm, params=params)).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == opened


@pytest.mark.parametrize(
    "params",
    [
        {"queue": "everything"},
        {"status": "lost"},
        {"category": "weather"},
        {"limit": 0},
        {"limit": 10_000},
        {"opened_from": "yesterday"},
        {"opened_from": "2026-01-01T00:00:00"},
        {"cursor": "not-a-cursor"},
        {"cursor": "WyIyMDI2LTAxLTAxVDAwOjAwOjAwIiwgIngiXQ"},
    ],
)
async def test_bad_queries_are_4xx_problems(routing: Routing, params: dict[str, Any]) -> None:
    response = await routing.get("/v1/cases", routing.staff.gm, params=params)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"] == "application/problem+json"
