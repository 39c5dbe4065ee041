"""Retention: after the site's period, personal data of finished records is replaced by a
marker, and every count a report needs is still there. Time is the shared frozen clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import structlog
from intake_harness import Intake, envelope, eventually, next_event, site_body, visitor
from prometheus_client import REGISTRY

from shared.contracts.intake import SiteRetentionSet
from shared.contracts.routing import CaseAssigned, CaseClosed, CaseResolved
from shared.timers import pending

pytestmark = pytest.mark.integration

MARKER = "[anonymised]"
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _close(intake: Intake, complaint: dict[str, Any], site_id: str, at: datetime) -> None:
    case_id = str(uuid.uuid4())
    steps = [
        CaseAssigned(
            case_id=case_id,
            complaint_id=complaint["id"],
            site_id=site_id,
            at=at,
            actor="handler-1",
            department="cleaning",
        ),
        CaseResolved(
            case_id=case_id,
            complaint_id=complaint["id"],
            site_id=site_id,
            at=at,
            actor="handler-1",
            result="done",
            reply="Cleaned, sorry Mr Li.",
        ),
        CaseClosed(case_id=case_id, complaint_id=complaint["id"], site_id=site_id, at=at),
    ]
    for version, event in enumerate(steps, start=1):
        await intake.publish(
            envelope(event, site_id=site_id, aggregate_id=case_id, aggregate_version=version)
        )
    status = await eventually(lambda: _field(intake, complaint["id"], "status"), "closed")
    assert status == "closed"


async def _field(intake: Intake, complaint_id: str, name: str) -> Any:
    return (await intake.ok("GET", f"/v1/complaints/{complaint_id}"))[name]


async def _counts(intake: Intake, site_id: str) -> list[Any]:
    return [
        tuple(r)
        for r in await intake.rows(
            "SELECT category, channel, kind, status, count(*) FROM complaint WHERE site_id = :s "
            "GROUP BY category, channel, kind, status ORDER BY category, status",
            s=site_id,
        )
    ]


async def test_retention_run_anonymises_finished_records_and_keeps_the_counts(
    intake: Intake, frozen_clock: Any
) -> None:
    frozen_clock.freeze(T0)
    place = await intake.place(retention_years=2)
    private = {
        "reporter": visitor(name="Li Lei", phone="13912345678", email="li.lei@example.com"),
        "location": {"building_id": place.building_id, "common_area": "bike shed by Li's door"},
        "immediate_reply": {"text": "Call me on 13912345678", "replied_by": "Wang Fang"},
    }
    closed = await intake.file(place.site_id, **private)
    await intake.ok(
        "POST",
        f"/v1/complaints/{closed['id']}/supplements",
        json={"text": "Li here again"},
        status=201,
    )
    withdrawn = await intake.file(place.site_id, category="security", **private)
    await intake.ok("POST", f"/v1/complaints/{withdrawn['id']}/withdrawal", json={}, status=201)
    still_open = await intake.file(place.site_id, category="fees", **private)
    recent = await intake.file(place.site_id, category="greening", **private)
    await _close(intake, closed, place.site_id, T0)
    await _close(intake, recent, place.site_id, T0 + timedelta(days=700))
    moved_out = await intake.ok(
        "POST",
        f"/v1/sites/{place.site_id}/households",
        json={
            "unit_id": place.unit_id,
            "name": "Zhao Qiang",
            "phones": ["13800009999"],
            "email": "zq@example.com",
        },
        status=201,
    )
    await intake.ok("DELETE", f"/v1/sites/{place.site_id}/households/{moved_out['id']}", status=204)
    counts_before = await _counts(intake, place.site_id)
    runs = _sample("careloop_intake_retention_runs_total", outcome="completed")
    complaints = _sample("careloop_intake_records_anonymised_total", record="complaint")
    households = _sample("careloop_intake_records_anonymised_total", record="household")

    with structlog.testing.capture_logs() as logs:
        frozen_clock.advance(timedelta(days=2 * 365 + 2))
        anonymised = await eventually(lambda: _field(intake, closed["id"], "anonymised"), True)

    assert anonymised is True
    gone = await intake.ok("GET", f"/v1/complaints/{closed['id']}")
    assert gone["description"] == MARKER
    assert gone["reporter"]["name"] == gone["reporter"]["phone"] == MARKER
    assert gone["reporter"]["email"] == MARKER
    assert gone["location"]["common_area"] == gone["location"]["text"] == MARKER
    assert gone["immediate_reply"]["text"] == MARKER
    assert (gone["category"], gone["channel"], gone["status"]) == (
        "cleaning",
        "call_center",
        "closed",
    )
    assert [e["detail"] for e in gone["timeline"] if e["detail"]] == [MARKER] * 3
    assert {e["actor"] for e in gone["timeline"] if e["actor"]} == {MARKER}
    assert "Li" not in str(gone)
    assert "13912345678" not in str(gone)
    assert await _field(intake, withdrawn["id"], "anonymised") is True
    for kept in (still_open, recent):
        detail = await intake.ok("GET", f"/v1/complaints/{kept['id']}")
        assert detail["anonymised"] is False
        assert detail["reporter"]["name"] == "Li Lei"
    household = await intake.ok("GET", f"/v1/sites/{place.site_id}/households/{moved_out['id']}")
    assert (household["name"], household["phones"], household["email"]) == (MARKER, [], MARKER)
    resident = await intake.ok("GET", f"/v1/sites/{place.site_id}/households/{place.household_id}")
    assert resident["name"] == "Zhang Min"
    assert await _counts(intake, place.site_id) == counts_before
    assert _sample("careloop_intake_retention_runs_total", outcome="completed") == runs + 1
    assert _sample("careloop_intake_records_anonymised_total", record="complaint") == complaints + 2
    assert _sample("careloop_intake_records_anonymised_total", record="household") == households + 1
    runs_logged = [e for e in logs if e["event"] == "retention run finished"]
    assert [
        (e["site_id"], e["complaints_anonymised"], e["households_anonymised"]) for e in runs_logged
    ] == [(place.site_id, 2, 1)]
    async with intake.db.sessions() as session:
        timer = await pending(session, kind="intake.retention", key=place.site_id)
    assert timer is not None
    assert timer.due_at > frozen_clock.now()


async def test_a_longer_retention_period_keeps_records_longer(
    intake: Intake, frozen_clock: Any
) -> None:
    frozen_clock.freeze(T0)
    announced = await intake.watch("site.retention_set")
    place = await intake.place(retention_years=5)
    closed = await intake.file(place.site_id)
    await _close(intake, closed, place.site_id, T0)
    _, created = await next_event(announced)

    frozen_clock.advance(timedelta(days=3 * 365))
    async with intake.db.sessions() as session:
        timer = await pending(session, kind="intake.retention", key=place.site_id)
    assert timer is not None
    fired = await eventually(lambda: _timer_due_after(intake, place.site_id, frozen_clock), True)

    assert fired is True
    assert await _field(intake, closed["id"], "anonymised") is False
    # The run says the policy again, unchanged, for a service that has not heard it yet.
    _, again = await next_event(announced)
    assert again == created
    assert (again.retention_years, again.set_at) == (5, T0)


async def _timer_due_after(intake: Intake, site_id: str, clock: Any) -> bool:
    async with intake.db.sessions() as session:
        timer = await pending(session, kind="intake.retention", key=site_id)
    return timer is not None and timer.due_at > clock.now()


async def test_a_complaint_of_a_removed_then_anonymised_household_still_reads(
    intake: Intake, frozen_clock: Any
) -> None:
    frozen_clock.freeze(T0)
    place = await intake.place(retention_years=2)
    reporter = {"type": "household", "household_id": place.household_id}
    filed = await intake.file(place.site_id, reporter=reporter)
    await _close(intake, filed, place.site_id, T0)
    await intake.ok(
        "DELETE", f"/v1/sites/{place.site_id}/households/{place.household_id}", status=204
    )
    removed = await intake.ok("GET", f"/v1/complaints/{filed['id']}")
    assert (removed["reporter"]["name"], removed["reporter"]["phone"]) == ("Zhang Min", place.phone)

    frozen_clock.advance(timedelta(days=2 * 365 + 2))
    assert await eventually(lambda: _field(intake, filed["id"], "anonymised"), True) is True

    listed = await intake.ok("GET", "/v1/complaints", params={"id": filed["id"]})
    (gone,) = listed["items"]
    assert gone["reporter"] == {
        "type": "household",
        "household_id": place.household_id,
        "name": MARKER,
        "phone": None,
        "email": None,
        "staff_member": None,
        "department": None,
    }
    assert place.phone not in str(gone)


async def test_a_sites_retention_policy_is_announced_to_the_other_services(
    intake: Intake, frozen_clock: Any
) -> None:
    frozen_clock.freeze(T0)
    announced = await intake.watch("site.retention_set")
    body = site_body(retention_years=3, timezone="Asia/Hong_Kong")
    site_id = body["id"]
    await intake.ok("POST", "/v1/sites", json=body, status=201)
    frozen_clock.advance(timedelta(hours=1))
    await intake.ok("PATCH", f"/v1/sites/{site_id}", json={"retention_years": 5})
    await intake.ok("PATCH", f"/v1/sites/{site_id}", json={"name": "Renamed"})
    await intake.ok("PATCH", f"/v1/sites/{site_id}", json={"timezone": "Asia/Shanghai"})

    received = [await next_event(announced) for _ in range(3)]

    # A change of name announces nothing: the third is the change of time zone.
    later = T0 + timedelta(hours=1)
    assert [(env.site_id, env.source, event) for env, event in received] == [
        (
            site_id,
            "intake",
            SiteRetentionSet(
                site_id=site_id, retention_years=3, timezone="Asia/Hong_Kong", set_at=T0
            ),
        ),
        (
            site_id,
            "intake",
            SiteRetentionSet(
                site_id=site_id, retention_years=5, timezone="Asia/Hong_Kong", set_at=later
            ),
        ),
        (
            site_id,
            "intake",
            SiteRetentionSet(
                site_id=site_id, retention_years=5, timezone="Asia/Shanghai", set_at=later
            ),
        ),
    ]
