"""Routing's domain figures move with what happens to cases, and only once it is committed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client import REGISTRY
from routing_harness import Routing

from shared.clock import clock
from shared.db.engine import after_commit, transaction
from shared.testing import checks

pytestmark = pytest.mark.integration


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def eventually(name: str, value: float, **labels: str) -> float:
    async def read() -> float:
        return sample(name, **labels)

    return float(await checks.eventually(read, value, timeout=5))


async def test_open_cases_by_site_and_department(routing: Routing) -> None:
    site = routing.staff.site
    first = await routing.opened()
    await routing.opened()
    await routing.opened(category="maintenance")
    gauge = "careloop_routing_open_cases"
    assert await eventually(gauge, 2, site=site, department="customer_service") == 2
    assert await eventually(gauge, 1, site=site, department="engineering") == 1

    path = f"/v1/cases/{first['case_id']}"
    await routing.post(f"{path}/accept", first["handler"])
    await routing.post(f"{path}/resolution", first["handler"], {"result": "r", "reply": "r"})
    assert await eventually(gauge, 1, site=site, department="customer_service") == 1
    text = (await routing.client.get("/metrics")).text
    assert f'careloop_routing_open_cases{{department="customer_service",site="{site}"}} 1.0' in text


async def test_breaches_escalations_timings_and_reopens_are_counted(
    routing: Routing, frozen: None
) -> None:
    site = routing.staff.site
    rules = {"sla_policies": [{"acknowledge_within": "PT60S", "resolve_within": "PT1H"}]}
    await routing.client.put(
        f"/v1/sites/{site}/rules", json=rules, headers=routing.headers(routing.staff.admin, "admin")
    )
    breach = {"site": site, "department": "customer_service", "deadline": "acknowledge"}
    sla_before = sample("careloop_sla_breaches_total", **breach)
    escalated_before = sample("careloop_routing_escalations_total", level="dept_head", reason="sla")
    unsatisfied_before = sample(
        "careloop_routing_escalations_total", level="dept_head", reason="unsatisfied"
    )
    acknowledged_before = sample(
        "careloop_routing_time_to_acknowledge_seconds_count", severity="normal"
    )
    resolved_before = sample("careloop_routing_time_to_resolve_seconds_count", severity="normal")

    late = await routing.opened()
    clock.advance(timedelta(seconds=61))
    await routing.wait_event(late["complaint_id"], "case.escalated")
    assert sample("careloop_sla_breaches_total", **breach) == sla_before + 1
    assert (
        sample("careloop_routing_escalations_total", level="dept_head", reason="sla")
        == escalated_before + 1
    )

    case = await routing.opened()
    path = f"/v1/cases/{case['case_id']}"
    clock.advance(timedelta(seconds=30))
    await routing.post(f"{path}/accept", case["handler"])
    clock.advance(timedelta(seconds=90))
    await routing.post(f"{path}/resolution", case["handler"], {"result": "r", "reply": "r"})
    await routing.callback(case, satisfied=False)
    await routing.wait_event(case["complaint_id"], "case.escalated")

    assert (
        sample("careloop_routing_time_to_acknowledge_seconds_count", severity="normal")
        == acknowledged_before + 1
    )
    assert (
        sample("careloop_routing_time_to_resolve_seconds_count", severity="normal")
        == resolved_before + 1
    )
    assert sample("careloop_routing_reopens_total", site=site) == 1
    assert (
        sample("careloop_routing_escalations_total", level="dept_head", reason="unsatisfied")
        == unsatisfied_before + 1
    )


async def test_figures_move_only_when_the_change_commits(routing: Routing) -> None:
    moved: list[str] = []

    async def failing_change() -> None:
        async with transaction(routing.db) as session:
            after_commit(session, lambda: moved.append("rolled back"))
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        await failing_change()
    async with transaction(routing.db) as session:
        after_commit(session, lambda: moved.append("committed"))
        assert moved == []
    assert moved == ["committed"]
