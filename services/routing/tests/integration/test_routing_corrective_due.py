"""Corrective actions have due times that escalate like rectification items (issue 14.5):
a planned action not carried out by its due time goes one level up its owner's chain,
once per due time; one carried out in time goes nowhere. Overdue work names what it was."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from routing_harness import Routing, published, wait_published, watch
from sqlalchemy import func, select

from routing.corrective.escalation import DUE_TIMER
from shared import timers
from shared.clock import clock, utcnow
from shared.db.engine import reading
from shared.db.tables import outbox
from shared.testing.checks import eventually

pytestmark = pytest.mark.integration

PATH = "/v1/corrective-actions"


@pytest.fixture
async def acts(routing: Routing) -> Routing:
    await watch(routing, "corrective_action.*", "rectification.*")
    return routing


def plan(routing: Routing, seconds: int) -> dict[str, Any]:
    return {
        "analysis": "夜间保洁人手不足",
        "action": "增加夜班保洁一人，每日巡查",
        "owner": routing.staff.eng_handler,
        "due_at": (utcnow() + timedelta(seconds=seconds)).isoformat(),
    }


async def planned_action(routing: Routing, seconds: int) -> str:
    case = await routing.opened()
    body = {
        "case_ids": [case["case_id"]],
        "kind": "corrective",
        "problem": "楼道保洁不到位",
        "plan": plan(routing, seconds),
    }
    response = await routing.post(PATH, routing.staff.cs_head, body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def due_timer(routing: Routing, action_id: str) -> Any:
    async with reading(routing.db) as session:
        return await timers.pending(session, kind=DUE_TIMER, key=action_id)


async def test_an_overdue_action_goes_up_its_owners_chain_once_per_due_time(
    acts: Routing, frozen: None
) -> None:
    routing, staff = acts, acts.staff
    action_id = await planned_action(routing, 60)
    assert (await due_timer(routing, action_id)).due_at == utcnow() + timedelta(seconds=60)

    clock.advance(timedelta(seconds=61))
    (first,) = await wait_published(routing, "corrective_action.overdue", action_id=action_id)

    assert (first["data"]["level"], first["data"]["escalated_to"]) == ("dept_head", staff.eng_head)
    assert (first["data"]["owner"], first["data"]["department"]) == (
        staff.eng_handler,
        "engineering",
    )
    assert await eventually(lambda: due_timer(routing, action_id), None) is None
    detail = (await routing.get(f"{PATH}/{action_id}", staff.cs_head)).json()
    assert detail["overdue"] is True

    # A new plan with a new due time may escalate again, one level further.
    replanned = await routing.post(f"{PATH}/{action_id}/plan", staff.cs_head, plan(routing, 60))
    assert replanned.status_code == 200, replanned.text
    clock.advance(timedelta(seconds=61))
    await wait_published(routing, "corrective_action.overdue", action_id=action_id, count=2)
    second = published(routing, "corrective_action.overdue", action_id=action_id)[-1]
    assert (second["data"]["level"], second["data"]["escalated_to"]) == ("vp", staff.vp)
    assert [e["aggregate_version"] for e in published(routing, "corrective_action.overdue")] == [
        3,
        5,
    ]


async def test_an_action_carried_out_in_time_does_not_escalate(acts: Routing, frozen: None) -> None:
    routing, staff = acts, acts.staff
    in_time = await planned_action(routing, 60)
    late = await planned_action(routing, 60)
    done = await routing.post(f"{PATH}/{in_time}/completion", staff.eng_handler, {})
    assert done.json()["status"] == "completed", done.text

    clock.advance(timedelta(seconds=61))
    await wait_published(routing, "corrective_action.overdue", action_id=late)

    assert await due_timer(routing, in_time) is None
    # The late action's escalation was written with its timer's removal, in one transaction;
    # the one carried out in time has no timer left to write one.
    query = select(func.count()).where(outbox.c.type == "corrective_action.overdue")
    async with reading(routing.db) as session:
        assert await session.scalar(query) == 1
    assert published(routing, "corrective_action.overdue", action_id=in_time) == []


async def test_an_overdue_rectification_item_names_its_task_and_title(
    acts: Routing, frozen: None
) -> None:
    routing = acts
    due = (utcnow() + timedelta(seconds=60)).isoformat()
    body = {
        "site_id": routing.staff.site,
        "title": "地下车库整改",
        "problem": "车库照明不足",
        "measures": "更换灯具",
        "due_at": (utcnow() + timedelta(days=3)).isoformat(),
        "items": [{"team": "engineering", "task": "更换车库灯具", "due_at": due}],
    }
    opened = await routing.post("/v1/rectifications", routing.staff.cs_head, body)
    assert opened.status_code == 201, opened.text

    clock.advance(timedelta(seconds=61))
    rid = opened.json()["id"]
    (overdue,) = await wait_published(routing, "rectification.item_overdue", rectification_id=rid)

    assert (overdue["data"]["task"], overdue["data"]["title"]) == ("更换车库灯具", "地下车库整改")
