"""Retention in routing: after the site's period (announced by intake), personal data of
finished cases and accepted rectifications is replaced by a marker, and every figure the
complaint report counts is still there. Time is the shared frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import structlog
from prometheus_client import REGISTRY
from routing_harness import Routing, wait_published, watch
from sqlalchemy import text
from test_routing_rectification import PATH, finish_all, open_rect

from shared.contracts.intake import ComplaintSupplemented, ComplaintWithdrawn, SiteRetentionSet
from shared.testing.checks import eventually
from shared.timers import pending

pytestmark = pytest.mark.integration

MARKER = "[anonymised]"
KIND = "routing.retention"
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
PHONE = "13912345678"


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _act(
    routing: Routing, case: dict[str, Any], action: str, sub: str, body: Any = None
) -> Any:
    response = await routing.post(f"/v1/cases/{case['case_id']}/{action}", sub, body)
    assert response.status_code == 200, response.text
    return response.json()


async def _case(routing: Routing, case_id: str) -> Any:
    return (await routing.get(f"/v1/cases/{case_id}", routing.staff.gm)).json()


async def _figures(routing: Routing) -> list[Any]:
    # The finished cases' figures: an open case goes on escalating while the clock moves.
    async with routing.db.engine.connect() as conn:
        tallies = await conn.execute(
            text(
                'SELECT category, status, validity, level, escalation_count, count(*) FROM "case"'
                " WHERE site_id = :s AND (closed_at IS NOT NULL OR status = 'withdrawn')"
                " GROUP BY category, status, validity, level, escalation_count"
                " ORDER BY category, status"
            ),
            {"s": routing.staff.site},
        )
        entries = await conn.execute(
            text(
                'SELECT e.type, count(*) FROM case_entry e JOIN "case" c ON c.id = e.case_id'
                " WHERE c.site_id = :s AND (c.closed_at IS NOT NULL OR c.status = 'withdrawn')"
                " GROUP BY e.type ORDER BY e.type"
            ),
            {"s": routing.staff.site},
        )
        return [*map(tuple, tallies.all()), *map(tuple, entries.all())]


async def _policy(routing: Routing, years: int) -> None:
    site = routing.staff.site
    await routing.publish(
        SiteRetentionSet(site_id=site, retention_years=years, timezone="Asia/Shanghai", set_at=T0)
    )

    async def set_() -> bool:
        async with routing.db.sessions() as session:
            return await pending(session, kind=KIND, key=site) is not None

    assert await eventually(set_, True) is True


async def _closed_case(routing: Routing) -> dict[str, Any]:
    case = await routing.opened(description=f"Li Lei, call {PHONE}", location="Li's door")
    handler = case["handler"]
    await _act(routing, case, "accept", handler)
    await _act(routing, case, "progress", handler, {"note": f"rang Li on {PHONE}"})
    rect = await open_rect(routing, case_id=case["case_id"], problem=f"Li's lamp, {PHONE}")
    await finish_all(routing, rect["id"])
    accepted = await routing.post(
        f"{PATH}/{rect['id']}/acceptance", routing.staff.vp, {"note": "ok Li"}
    )
    assert accepted.status_code == 200, accepted.text
    await _act(
        routing, case, "resolution", handler, {"result": "fixed", "reply": f"Dear Li {PHONE}"}
    )
    await routing.callback(case, satisfied=True)
    await routing.wait_event(case["complaint_id"], "case.closed")
    return {**case, "rectification_id": rect["id"]}


async def _withdrawn_case(routing: Routing) -> dict[str, Any]:
    case = await routing.opened(description=f"Li Lei, {PHONE}")
    site, complaint_id = routing.staff.site, case["complaint_id"]
    added = ComplaintSupplemented(
        complaint_id=complaint_id, site_id=site, text=f"Li: {PHONE}", added_by="Li Lei", added_at=T0
    )
    await routing.publish(added)
    await routing.wait_event(complaint_id, "case.supplemented")
    await routing.publish(
        ComplaintWithdrawn(
            complaint_id=complaint_id, site_id=site, reason="Li moved", withdrawn_at=T0
        )
    )
    await routing.wait_event(complaint_id, "case.withdrawn")
    return case


async def _verified_action(routing: Routing, case: dict[str, Any]) -> str:
    staff, path = routing.staff, "/v1/corrective-actions"
    body = {"case_ids": [case["case_id"]], "kind": "corrective", "problem": f"Li's lamp {PHONE}"}
    opened = await routing.post(path, staff.cs_head, body)
    assert opened.status_code == 201, opened.text
    action = opened.json()["id"]
    plan = {
        "analysis": "Li's stairwell is dark",
        "action": f"ring Li on {PHONE} after each repair",
        "owner": staff.eng_handler,
        "due_at": (T0 + timedelta(days=14)).isoformat(),
    }
    for step, sub, payload in (
        ("plan", staff.cs_head, plan),
        ("completion", staff.eng_handler, {"note": "Li agreed"}),
        ("verification", staff.vp, {"effective": True, "note": "Li is content"}),
    ):
        done = await routing.post(f"{path}/{action}/{step}", sub, payload)
        assert done.status_code == 200, done.text
    return str(action)


async def test_retention_run_anonymises_finished_cases_and_keeps_the_report_figures(
    routing: Routing, frozen_clock: Any
) -> None:
    frozen_clock.freeze(T0)
    await watch(routing, "rectification.*")
    await _policy(routing, years=2)
    closed = await _closed_case(routing)
    action = await _verified_action(routing, closed)
    withdrawn = await _withdrawn_case(routing)
    still_open = await routing.opened(description=f"Li Lei again, {PHONE}")
    await wait_published(
        routing, "rectification.accepted", rectification_id=closed["rectification_id"]
    )
    figures_before = await _figures(routing)
    runs = _sample("careloop_routing_retention_runs_total", outcome="completed")
    cases = _sample("careloop_routing_records_anonymised_total", record="case")
    rects = _sample("careloop_routing_records_anonymised_total", record="rectification")
    actions = _sample("careloop_routing_records_anonymised_total", record="corrective_action")

    with structlog.testing.capture_logs() as logs:
        frozen_clock.advance(timedelta(days=2 * 365 + 2))
        description = await eventually(lambda: _description(routing, closed["case_id"]), MARKER)

    assert description == MARKER
    gone = await _case(routing, closed["case_id"])
    assert (gone["location"], gone["result"], gone["reply"]) == (MARKER, MARKER, MARKER)
    assert (gone["status"], gone["category"]) == ("closed", "other")
    notes = [h["data"].get("note") for h in gone["history"] if h["type"] == "case.progressed"]
    assert notes
    assert set(notes) == {MARKER}
    assert "Li" not in str(gone)
    assert PHONE not in str(gone)
    rect = (await routing.get(f"{PATH}/{closed['rectification_id']}", routing.staff.gm)).json()
    assert (rect["title"], rect["problem"], rect["measures"]) == (MARKER, MARKER, MARKER)
    assert {i["task"] for i in rect["items"]} == {MARKER}
    assert (rect["status"], rect["acceptance_note"]) == ("accepted", MARKER)
    assert "Li" not in str(rect)
    assert PHONE not in str(rect)
    verified = (await routing.get(f"/v1/corrective-actions/{action}", routing.staff.gm)).json()
    assert (verified["problem"], verified["analysis"], verified["action"]) == (MARKER,) * 3
    assert (verified["status"], verified["effective"]) == ("verified", True)
    assert "Li" not in str(verified)
    assert PHONE not in str(verified)
    out = await _case(routing, withdrawn["case_id"])
    assert (out["status"], out["description"]) == ("withdrawn", MARKER)
    added = [h["data"] for h in out["history"] if h["type"] == "case.supplemented"]
    assert [(a["text"], a["added_by"]) for a in added] == [(MARKER, MARKER)]
    assert "Li" not in str(out)
    kept = await _case(routing, still_open["case_id"])
    assert kept["description"] == f"Li Lei again, {PHONE}"
    assert await _figures(routing) == figures_before
    assert _sample("careloop_routing_retention_runs_total", outcome="completed") == runs + 1
    assert _sample("careloop_routing_records_anonymised_total", record="case") == cases + 2
    assert _sample("careloop_routing_records_anonymised_total", record="rectification") == rects + 1
    assert (
        _sample("careloop_routing_records_anonymised_total", record="corrective_action")
        == actions + 1
    )
    finished = [e for e in logs if e["event"] == "retention run finished"]
    assert [(e["site_id"], e["cases_anonymised"]) for e in finished] == [(routing.staff.site, 2)]
    async with routing.db.sessions() as session:
        timer = await pending(session, kind=KIND, key=routing.staff.site)
    assert timer is not None
    assert timer.due_at > frozen_clock.now()


async def _description(routing: Routing, case_id: str) -> str:
    return str((await _case(routing, case_id))["description"])


async def test_a_later_policy_wins_and_a_longer_period_keeps_cases_longer(
    routing: Routing, frozen_clock: Any
) -> None:
    frozen_clock.freeze(T0)
    site = routing.staff.site
    await _policy(routing, years=2)
    later = SiteRetentionSet(
        site_id=site, retention_years=5, timezone="Asia/Shanghai", set_at=T0 + timedelta(hours=1)
    )
    await routing.publish(later)

    async def years() -> int:
        async with routing.db.sessions() as session:
            timer = await pending(session, kind=KIND, key=site)
        return int(timer.payload["retention_years"]) if timer else 0

    assert await eventually(years, 5) == 5
    stale = await routing.publish(
        SiteRetentionSet(site_id=site, retention_years=1, timezone="Asia/Shanghai", set_at=T0)
    )

    async def handled() -> bool:
        async with routing.db.engine.connect() as conn:
            found = await conn.execute(
                text("SELECT count(*) FROM inbox WHERE message_id = :m"), {"m": stale["id"]}
            )
            return bool(found.scalar())

    assert await eventually(handled, True) is True
    assert await years() == 5  # the stale announcement changed nothing
    case = await routing.opened(description=f"Li Lei, {PHONE}")
    await _act(routing, case, "accept", case["handler"])
    await _act(routing, case, "resolution", case["handler"], {"result": "r", "reply": "r"})
    await routing.callback(case, satisfied=True)
    await routing.wait_event(case["complaint_id"], "case.closed")

    frozen_clock.advance(timedelta(days=3 * 365))

    async def ran() -> bool:
        async with routing.db.sessions() as session:
            timer = await pending(session, kind=KIND, key=site)
        return timer is not None and timer.due_at > frozen_clock.now()

    assert await eventually(ran, True) is True
    assert await _description(routing, case["case_id"]) == f"Li Lei, {PHONE}"
