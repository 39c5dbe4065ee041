"""An unreachable resident does not leave a case hanging, with all four services as real
processes: three unanswered calls and the case ends as the site's setting says.

By default routing closes the case as unreachable and intake's timeline says so; once the
site's rules say `unreachable_callbacks: escalate`, the next such case goes to the
department head, who is alerted by mail with the reason, and stays open.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_satisfaction_loop import HEAD, Loop, _timeline_until, loop, until

pytestmark = pytest.mark.e2e
__all__ = ["loop"]  # the fixture, shared with the satisfaction loop

MISS = {"reached": False, "comment": "无人接听"}


async def resolved_complaint(loop: Loop, household_id: str) -> tuple[str, str]:
    """A complaint filed, accepted and resolved; its complaint id and case id."""
    complaint = {
        "site_id": loop.site,
        "channel": "call_center",
        "kind": "complaint",
        "category": "housing_management",
        "description": "电梯按钮失灵",
        "reporter": {"type": "household", "household_id": household_id},
    }
    posted = await loop.call("POST", "intake", "/v1/complaints", "cc-1", "callcenter", complaint)
    path = f"/v1/complaints/{posted['id']}"

    async def has_case() -> bool:
        detail = await loop.call("GET", "intake", path, "cc-1", "callcenter")
        return detail.get("case_id") is not None

    assert await until(has_case), "routing never opened the case"
    case_id = (await loop.call("GET", "intake", path, "cc-1", "callcenter"))["case_id"]
    case = f"/v1/cases/{case_id}"
    await loop.call("POST", "routing", f"{case}/accept", "h-zhang", "handler")
    reply = {"result": "更换了按钮", "reply": "电梯按钮已更换"}
    await loop.call("POST", "routing", f"{case}/resolution", "h-zhang", "handler", reply)
    return str(posted["id"]), str(case_id)


async def call_nobody(loop: Loop, case_id: str) -> None:
    """Every call the callback allows, none answered."""
    callback = await _callback_of(loop, case_id)
    status = "open"
    while status == "open":
        path = f"/v1/callbacks/{callback['id']}/attempts"
        status = (await loop.call("POST", "notify", path, "h-zhang", "handler", MISS))["status"]
    assert status == "unreachable"


async def _callback_of(loop: Loop, case_id: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = []

    async def opened() -> bool:
        nonlocal found
        page = await loop.call(
            "GET", "notify", f"/v1/callbacks?site_id={loop.site}", "h-zhang", "handler"
        )
        found = [c for c in page["items"] if c["case_id"] == case_id]
        return bool(found)

    assert await until(opened), "notify never opened the callback"
    return found[0]


async def test_an_unreachable_callback_ends_as_the_sites_setting_says(loop: Loop) -> None:
    household_id = await loop.set_up()

    complaint_id, case_id = await resolved_complaint(loop, household_id)
    await call_nobody(loop, case_id)
    closed = await loop.case_in(case_id, "closed")
    assert closed["history"][-1]["type"] == "case.closed_unreachable"
    timeline = await _timeline_until(loop, complaint_id, "case.closed_unreachable")
    assert "case.closed" not in [entry["type"] for entry in timeline]

    site_rules = f"/v1/sites/{loop.site}/rules"
    setting = {"unreachable_callbacks": "escalate"}
    await loop.call("PUT", "routing", site_rules, "a", "admin", setting)
    complaint_id, case_id = await resolved_complaint(loop, household_id)
    await call_nobody(loop, case_id)
    escalated = await loop.case_in(case_id, "in_progress")
    assert (escalated["level"], escalated["owner"]) == ("dept_head", "cs-chen")

    async def alerted() -> bool:
        words = ("回访联系不上业户", "not reachable at callback")
        return any(w in m.body for m in loop.mail.to(HEAD) for w in words)

    assert await until(alerted), "the department head was never told why"
    await _timeline_until(loop, complaint_id, "case.escalated")
