"""A callback that reached nobody: the case ends as its site's setting says.

By default the case is closed as unreachable — closed, but not a satisfied close; a site
that escalates such cases has them one level up and open for the superior. The setting is
read and set through the site's rules, and notify's word is handled once however often it
arrives.
"""

from __future__ import annotations

from typing import Any

import pytest
from routing_harness import Routing
from test_routing_followups import handled

from routing.cases.models import Case
from shared.db.engine import reading
from shared.testing.checks import is_problem

pytestmark = pytest.mark.integration


async def rules(routing: Routing, body: Any = None) -> dict[str, Any]:
    """The site's rules (after putting `body`, when given)."""
    path, admin = f"/v1/sites/{routing.staff.site}/rules", routing.staff.admin
    headers = routing.headers(admin, "admin")
    if body is None:
        response = await routing.client.get(path, headers=headers)
    else:
        response = await routing.client.put(path, json=body, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def act(routing: Routing, case: dict[str, Any], action: str, body: Any = None) -> None:
    response = await routing.post(f"/v1/cases/{case['case_id']}/{action}", case["handler"], body)
    assert response.status_code == 200, response.text


async def resolved(routing: Routing) -> dict[str, Any]:
    """A case accepted and resolved: the resident has a reply and a callback follows."""
    case = await routing.opened()
    await act(routing, case, "accept")
    await act(routing, case, "resolution", {"result": "已更换灯管", "reply": "楼道灯已修好"})
    return case


async def detail(routing: Routing, case: dict[str, Any]) -> dict[str, Any]:
    response = await routing.get(f"/v1/cases/{case['case_id']}", case["handler"])
    assert response.status_code == 200, response.text
    return dict(response.json())


async def row(routing: Routing, case: dict[str, Any]) -> Case:
    async with reading(routing.db) as session:
        found = await session.get(Case, case["case_id"])
    assert found is not None
    return found


async def test_by_default_an_unreachable_resident_closes_the_case_as_unreachable(
    routing: Routing,
) -> None:
    assert (await rules(routing))["unreachable_callbacks"] == "close"
    case = await resolved(routing)
    envelope = await routing.unreachable(case, attempts=3)
    await routing.publish_envelope(envelope)  # notify's relay may send it twice
    (closed,) = await routing.wait_event(case["complaint_id"], "case.closed_unreachable")
    await handled(routing, envelope)

    data = closed["data"]
    assert (data["callback_id"], data["attempts"]) == (envelope["data"]["callback_id"], 3)
    assert (data["department"], data["handler"]) == (case["department"], case["handler"])
    shown = await detail(routing, case)
    assert shown["status"] == "closed"
    assert [h["type"] for h in shown["history"]][-1] == "case.closed_unreachable"
    assert routing.of(case["complaint_id"], "case.closed") == []  # not a satisfied close
    assert routing.of(case["complaint_id"], "case.escalated") == []
    stored = await row(routing, case)
    assert (stored.closed_unreachable, stored.unreachable_count) == (True, 1)


async def test_a_resident_who_answers_the_link_later_makes_it_a_satisfied_close(
    routing: Routing,
) -> None:
    case = await resolved(routing)
    await routing.unreachable(case)
    await routing.wait_event(case["complaint_id"], "case.closed_unreachable")
    await routing.callback(case, satisfied=True)  # through the link sent with the reply
    await routing.wait_event(case["complaint_id"], "case.closed")

    stored = await row(routing, case)
    assert (stored.status, stored.closed_unreachable) == ("closed", False)
    types = [h["type"] for h in (await detail(routing, case))["history"]]
    assert types[-2:] == ["case.closed_unreachable", "case.closed"]


async def test_a_site_that_escalates_keeps_the_case_open_for_the_superior(
    routing: Routing,
) -> None:
    assert (await rules(routing, {"unreachable_callbacks": "escalate"}))[
        "unreachable_callbacks"
    ] == "escalate"
    assert (await rules(routing))["unreachable_callbacks"] == "escalate"
    case = await resolved(routing)
    envelope = await routing.unreachable(case)
    await routing.publish_envelope(envelope)
    (escalated,) = await routing.wait_event(case["complaint_id"], "case.escalated")
    await handled(routing, envelope)

    assert (escalated["data"]["reason"], escalated["data"]["level"]) == ("unreachable", "dept_head")
    head = escalated["data"]["owner"]
    assert head == routing.staff.cs_head
    shown = await detail(routing, case)
    assert (shown["status"], shown["level"], shown["owner"]) == ("in_progress", "dept_head", head)
    assert [h["type"] for h in shown["history"]][-1] == "case.escalated"
    assert routing.of(case["complaint_id"], "case.closed_unreachable") == []
    # The superior finishes it: a new reply, and this time the resident is reached.
    await act(routing, case, "resolution", {"result": "主管上门确认", "reply": "已再次确认修好"})
    await routing.callback(case, satisfied=True)
    await routing.wait_event(case["complaint_id"], "case.closed")
    stored = await row(routing, case)
    assert (stored.status, stored.closed_unreachable, stored.unreachable_count) == (
        "closed",
        False,
        1,
    )


async def test_each_unreachable_callback_goes_one_level_up_and_the_gm_closes_it(
    routing: Routing,
) -> None:
    await rules(routing, {"unreachable_callbacks": "escalate"})
    case = await resolved(routing)
    for round_, level in enumerate(("dept_head", "vp", "gm"), start=1):
        await routing.unreachable(case)
        (*_, escalated) = await routing.wait_event(
            case["complaint_id"], "case.escalated", count=round_
        )
        assert (escalated["data"]["level"], escalated["data"]["reason"]) == (level, "unreachable")
        await act(routing, case, "resolution", {"result": f"第{round_}次", "reply": "已处理"})
    await routing.unreachable(case)  # nobody above the general manager: closed as unreachable
    await routing.wait_event(case["complaint_id"], "case.closed_unreachable")
    assert (await detail(routing, case))["status"] == "closed"
    assert len(routing.of(case["complaint_id"], "case.escalated")) == 3
    assert (await row(routing, case)).unreachable_count == 4


@pytest.mark.parametrize("value", ["ignore", "", 3, ["close"]])
async def test_a_bad_setting_is_a_422_problem(routing: Routing, value: Any) -> None:
    response = await routing.client.put(
        f"/v1/sites/{routing.staff.site}/rules",
        json={"unreachable_callbacks": value},
        headers=routing.headers(routing.staff.admin, "admin"),
    )
    assert is_problem(response, 422)
    assert (await rules(routing))["unreachable_callbacks"] == "close"
