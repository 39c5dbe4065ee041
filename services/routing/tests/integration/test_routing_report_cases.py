"""Every number of the report leads to its cases; the open cases are what the queues list.

The data set is the complaint report's own (`test_routing_report.build`): cases through the
real handlers and many written straight into the tables. The cases behind each figure are
compared with the test's own records (which cases, not only how many), the open and
overdue counts with the work queues they lead to, and every list is walked page by page.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from routing_harness import Routing
from test_routing_report import (
    DataSet,
    Record,
    _met,
    _missed,
    build,
    headline_of,
    report,
)

from shared.clock import utcnow
from shared.contracts.reports import DRILLABLE, NOW
from shared.testing.checks import is_problem

pytestmark = pytest.mark.integration

PERIOD_FIGURES = tuple(f for f in DRILLABLE if f not in NOW)  # the period's counts
OPEN = ("assigned", "in_progress", "transmitted", "with_developer")


def counted_by(figure: str, r: Record, now: Any) -> bool:
    """Whether the test's record is one of the cases `figure` counts."""
    if figure in ("valid", "invalid"):
        return r.validity == figure
    simple = {
        "complaints": True,
        "unjudged": r.validity is None,
        "escalated_cases": bool(r.escalations),
        "reopened_cases": r.reopens > 0,
        "callbacks_satisfied": r.closed and not r.closed_unreachable,
        "callbacks_unreachable": r.unreachable > 0,
    }
    if figure in simple:
        return simple[figure]
    step, outcome = figure.split("_", 1)
    done = r.acknowledged_at if step == "acknowledge" else r.resolved_at
    due = getattr(r, f"{step}_due_at")
    breached = getattr(r, f"{step}_breached")
    was_met, was_missed = _met(done, due, breached), _missed(done, due, breached, now)
    return {"met": was_met, "missed": was_missed, "open": not was_met and not was_missed}[outcome]


async def every_case(
    routing: Routing, headers: dict[str, str], **params: str
) -> list[dict[str, Any]]:
    """Every case of /v1/reports/cases, page by page (small pages, to walk the cursor)."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": "7", **({"cursor": cursor} if cursor else {})}
        answer = await routing.client.get("/v1/reports/cases", params=query, headers=headers)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        found += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


async def queue_length(routing: Routing, headers: dict[str, str], **params: str) -> int:
    """How many cases a work queue lists, page by page."""
    total, cursor = 0, None
    while True:
        query = {**params, "limit": "200", **({"cursor": cursor} if cursor else {})}
        page = (await routing.client.get("/v1/cases", params=query, headers=headers)).json()
        total += len(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return total


def _site_headers(routing: Routing, data: DataSet) -> dict[str, str]:
    return routing.headers(routing.staff.vp, "vp", sites=[data.site])


async def test_each_figure_lists_exactly_the_cases_it_counts(routing: Routing) -> None:
    data = await build(routing)
    now_records, _before = data.of({data.site})
    period = {"from": data.first, "to": data.last, "site_id": data.site}
    headers = _site_headers(routing, data)
    body = (await report(routing, routing.staff.vp, "vp", [data.site], **period)).json()
    figures = {f["name"]: f["value"] for f in body["figures"]}
    expected = headline_of(now_records, utcnow())
    for figure in PERIOD_FIGURES:
        listed = await every_case(routing, headers, figure=figure, **period)
        ids = [c["id"] for c in listed]
        assert len(ids) == len(set(ids)) == figures[figure] == expected[figure], figure
        mine = {r.id for r in now_records if counted_by(figure, r, utcnow())}
        assert set(ids) == mine, figure
        assert all(c["site_id"] == data.site for c in listed)


async def test_each_breakdown_line_lists_its_cases(routing: Routing) -> None:
    data = await build(routing)
    period = {"from": data.first, "to": data.last}
    gm = routing.headers(routing.staff.gm, "gm", sites=["*"])
    body = (await report(routing, routing.staff.gm, "gm", ["*"], **period)).json()
    everyone = [r for r in data.now if r.site in {data.site, data.neighbour, data.faraway}]
    for line in body["lines"]:
        dimension, key = line["dimension"], line["key"]
        if dimension == "escalation_reason":
            continue  # counted with the level, below
        narrow = {"site_id": key} if dimension == "site" else {dimension: key}
        listed = await every_case(routing, gm, figure="complaints", **period, **narrow)
        if dimension == "escalation_level":
            # The line counts escalations; the list, the cases that reached the level.
            reached = {r.id for r in everyone if any(level == key for level, _ in r.escalations)}
            assert {c["id"] for c in listed} == reached, key
            times = Counter(level for r in everyone for level, _ in r.escalations)
            assert line["value"] == times[key]
            continue
        assert len(listed) == line["value"], (dimension, key)
    valid_escalated = await every_case(
        routing, gm, figure="valid", escalation_level="vp", escalation_reason="sla", **period
    )
    assert {c["id"] for c in valid_escalated} == {
        r.id for r in everyone if r.validity == "valid" and ("vp", "sla") in r.escalations
    }


async def test_open_and_overdue_are_what_the_queues_list(routing: Routing) -> None:
    data = await build(routing)
    headers = _site_headers(routing, data)
    answer = await routing.client.get(
        "/v1/reports/open", params={"site_id": data.site}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["scope"], found["sites"]) == ("site", [data.site])
    assert found["open"] == sum(line["count"] for line in found["lines"]) > 0
    assert {line["status"] for line in found["lines"]} <= set(OPEN)
    for line in found["lines"]:
        narrow = {"department": line["department"], "status": line["status"]}
        assert await queue_length(routing, headers, queue="all", **narrow) == line["count"]
        listed = await every_case(routing, headers, figure="open", site_id=data.site, **narrow)
        assert len(listed) == line["count"]
        late = await queue_length(routing, headers, queue="overdue", department=line["department"])
        assert late == sum(
            one["overdue"] for one in found["lines"] if one["department"] == line["department"]
        )
    counts = (await routing.client.get("/v1/cases/counts", headers=headers)).json()
    assert found["overdue"] == counts["overdue"] > 0
    overdue = await every_case(routing, headers, figure="overdue", site_id=data.site)
    assert len(overdue) == counts["overdue"]
    assert all(c["overdue"] for c in overdue)
    everyone = await queue_length(routing, headers, queue="all")
    open_ones = sum([await queue_length(routing, headers, status=s) for s in OPEN])
    assert found["open"] == open_ones < everyone


async def test_scopes_offer_what_the_report_accepts(routing: Routing) -> None:
    data = await build(routing)
    staff = routing.staff

    async def scopes(sites: list[str], role: str = "vp") -> dict[str, Any]:
        answer = await routing.client.get(
            "/v1/reports/scopes", headers=routing.headers(staff.vp, role, sites=sites)
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    both = await scopes([data.site, data.neighbour])
    assert both["group"] is False
    assert both["regions"] == [{"region": "south", "sites": sorted([data.site, data.neighbour])}]
    named = {s["site_id"]: (s["name"], s["region"]) for s in both["sites"]}
    assert named == {
        data.site: ("翠湖花园管理处", "south"),
        data.neighbour: ("碧水苑管理处", "south"),
    }
    assert both["departments"] == [
        {"code": "customer_service", "name": "Customer service", "name_zh": "客服中心"},
        {"code": "engineering", "name": "Engineering", "name_zh": "工程部"},
    ]
    stranger = await scopes(["somewhere-else"])
    assert (stranger["sites"], stranger["regions"], stranger["departments"]) == ([], [], [])
    alone = await scopes([data.site])
    assert (alone["regions"], [s["site_id"] for s in alone["sites"]]) == ([], [data.site])
    group = await scopes(["*"], role="gm")
    assert group["group"] is True
    assert {"south", "north"} <= {r["region"] for r in group["regions"]}
    for region in both["regions"]:  # what is offered is accepted
        sites = [data.site, data.neighbour]
        answer = await report(routing, staff.vp, "vp", sites, region=region["region"])
        assert answer.status_code == 200, answer.text


async def test_the_cases_behind_a_figure_are_scoped_like_the_report(routing: Routing) -> None:
    data = await build(routing)
    staff = routing.staff
    mine = routing.headers(staff.vp, "vp", sites=[data.site])
    params = {"figure": "complaints", "from": data.first, "to": data.last}
    elsewhere = await routing.client.get(
        "/v1/reports/cases", params={**params, "site_id": data.faraway}, headers=mine
    )
    assert is_problem(elsewhere, 404)
    group = await routing.client.get("/v1/reports/cases", params=params, headers=mine)
    assert is_problem(group, 403)
    region = await routing.client.get(
        "/v1/reports/cases", params={**params, "region": "south"}, headers=mine
    )
    assert is_problem(region, 403)
    for path in ("/v1/reports/cases", "/v1/reports/open", "/v1/reports/scopes"):
        handler = await routing.client.get(
            path,
            params={**params, "site_id": data.site},
            headers=routing.headers(staff.cs_handlers[0], "handler"),
        )
        assert is_problem(handler, 403), path
    unknown = await routing.client.get(
        "/v1/reports/cases", params={**params, "figure": "everything"}, headers=mine
    )
    assert is_problem(unknown, 422)
    bad_key = await routing.client.get(
        "/v1/reports/cases",
        params={**params, "site_id": data.site, "category": "Not A Code"},
        headers=mine,
    )
    assert is_problem(bad_key, 422)
    faraway = await routing.client.get(
        "/v1/reports/open", params={"site_id": data.faraway}, headers=mine
    )
    assert is_problem(faraway, 404)
