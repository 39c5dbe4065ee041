"""The loop's open ends with all four services as real processes (issue 14): a visitor is
answered by SMS and called back like a resident, and a withdrawn complaint lets go of its
deadlines. (An unreachable callback: test_unreachable_callback.py.)
"""

from __future__ import annotations

from typing import Any

import pytest
from test_satisfaction_loop import LINK, Loop, _timeline_until, loop, until

pytestmark = pytest.mark.e2e
__all__ = ["loop"]  # the fixture, shared with the satisfaction loop

VISITOR_PHONE = "13911112222"
FAST_SLA = {
    "routes": [{"category": "housing_management", "department": "customer_service"}],
    "sla_policies": [
        {"acknowledge_within": "PT3S", "resolve_within": "PT600S", "clock": "calendar"}
    ],
}


def complaint(loop: Loop, reporter: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "site_id": loop.site,
        "channel": "call_center",
        "kind": "complaint",
        "category": "housing_management",
        "description": description,
        "reporter": reporter,
    }


async def case_of(loop: Loop, complaint_id: str) -> str:
    path = f"/v1/complaints/{complaint_id}"

    async def has_case() -> bool:
        return (await loop.call("GET", "intake", path, "cc-1", "callcenter")).get(
            "case_id"
        ) is not None

    assert await until(has_case), "routing never opened the case"
    return str((await loop.call("GET", "intake", path, "cc-1", "callcenter"))["case_id"])


def sms_to(loop: Loop, phone: str) -> list[str]:
    return [hit.json["text"] for hit in loop.sms.at("/sms") if hit.json["to"] == phone]


async def test_a_visitor_is_acknowledged_answered_by_sms_and_called_back(loop: Loop) -> None:
    await loop.set_up()
    visitor = {"type": "visitor", "name": "周先生", "phone": VISITOR_PHONE}
    posted = await loop.call(
        "POST", "intake", "/v1/complaints", "cc-1", "callcenter",
        complaint(loop, visitor, "小区门口路灯不亮"),
    )  # fmt: skip

    async def acknowledged() -> bool:
        return any(posted["reference"] in text for text in sms_to(loop, VISITOR_PHONE))

    assert await until(acknowledged), "the visitor was never acknowledged"
    case = f"/v1/cases/{await case_of(loop, posted['id'])}"
    await loop.call("POST", "routing", f"{case}/accept", "h-zhang", "handler")
    reply = {"result": "更换了灯泡", "reply": "门口路灯已修好"}
    await loop.call("POST", "routing", f"{case}/resolution", "h-zhang", "handler", reply)

    async def answered() -> bool:
        return any(
            "门口路灯已修好" in text and LINK.search(text) for text in sms_to(loop, VISITOR_PHONE)
        )

    assert await until(answered), "the reply with its callback link never reached the visitor"

    found: list[dict[str, Any]] = []

    async def callback_opened() -> bool:
        nonlocal found
        path = f"/v1/callbacks?site_id={loop.site}"
        page = await loop.call("GET", "notify", path, "h-zhang", "handler")
        found = [c for c in page["items"] if c["complaint_id"] == posted["id"]]
        return bool(found)

    assert await until(callback_opened), "notify never opened the visitor's callback"
    (callback,) = found
    assert (callback["contact"]["name"], callback["contact"]["phone"]) == ("周先生", VISITOR_PHONE)
    satisfied = {"reached": True, "satisfied": True, "comment": "满意"}
    path = f"/v1/callbacks/{callback['id']}/attempts"
    await loop.call("POST", "notify", path, "h-zhang", "handler", satisfied)
    await loop.case_in(case.rsplit("/", 1)[1], "closed")
    await _timeline_until(loop, posted["id"], "case.closed")


async def test_a_withdrawn_complaint_never_escalates_when_its_deadline_passes(loop: Loop) -> None:
    household_id = await loop.set_up()
    await loop.call("PUT", "routing", f"/v1/sites/{loop.site}/rules", "a", "admin", FAST_SLA)
    resident = {"type": "household", "household_id": household_id}
    withdrawn = await loop.call(
        "POST", "intake", "/v1/complaints", "cc-1", "callcenter",
        complaint(loop, resident, "楼下装修噪音"),
    )  # fmt: skip
    control = await loop.call(
        "POST", "intake", "/v1/complaints", "cc-1", "callcenter",
        complaint(loop, resident, "电梯按钮失灵"),
    )  # fmt: skip
    withdrawn_case, control_case = (
        await case_of(loop, withdrawn["id"]),
        await case_of(loop, control["id"]),
    )
    path = f"/v1/complaints/{withdrawn['id']}/withdrawal"
    await loop.call("POST", "intake", path, "cc-1", "callcenter", {"reason": "已自行解决"})
    await loop.case_in(withdrawn_case, "withdrawn")

    # Neither case is acknowledged: the control case breaches and escalates; by then the
    # withdrawn one, whose deadline passed at the same time, must have done neither.
    async def control_escalated() -> bool:
        history = (await loop.case(control_case))["history"]
        return {"sla.breached", "case.escalated"} <= {entry["type"] for entry in history}

    assert await until(control_escalated), "the control case never breached"
    history = [entry["type"] for entry in (await loop.case(withdrawn_case))["history"]]
    assert "sla.breached" not in history
    assert "case.escalated" not in history
    assert history[-1] == "case.withdrawn"
    await _timeline_until(loop, withdrawn["id"], "case.withdrawn")
