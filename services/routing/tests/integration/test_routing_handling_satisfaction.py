"""How the complaint was handled, measured apart from its outcome (issue 14.9): routing keeps
the callback's five-level answers on the case, and the complaint report and the metrics
count the complaint-handling satisfaction rate per site (answers on the speed and the
attitude that are very satisfied or satisfied)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from routing_harness import Routing
from test_routing_followups import handled
from test_routing_report import report
from test_routing_unreachable import resolved, row, rules

from shared.clock import utcnow
from shared.testing.checks import eventually, is_problem

pytestmark = pytest.mark.integration

SITE_REPORT = "careloop_routing_handling_satisfaction_answers_total"
TARGET = "careloop_routing_handling_satisfaction_target"


def figures(body: dict[str, Any]) -> dict[str, Any]:
    return {f["name"]: f["value"] for f in body["figures"]}


async def answered(routing: Routing, satisfied: bool, **levels: str) -> dict[str, Any]:
    """A resolved case whose callback gave these answers, handled."""
    case = await resolved(routing)
    envelope = await routing.callback(case, satisfied=satisfied, **levels)
    await handled(routing, envelope)
    return case


async def test_the_case_keeps_the_callbacks_levels_and_the_report_shows_the_rate(
    routing: Routing,
) -> None:
    first = await answered(
        routing,
        True,
        outcome_level="very_satisfied",
        speed_level="neutral",
        attitude_level="satisfied",
    )
    await answered(
        routing,
        False,
        outcome_level="dissatisfied",
        speed_level="dissatisfied",
        attitude_level="very_satisfied",
    )
    await answered(routing, True)  # an old client's callback: no levels, not counted

    stored = await row(routing, first)
    assert (stored.outcome_level, stored.speed_level, stored.attitude_level) == (
        "very_satisfied",
        "neutral",
        "satisfied",
    )
    assert stored.status == "closed"  # satisfied still closes the case
    zone = ZoneInfo(routing.settings.report_timezone)  # the report's days are the sites'
    site, today = routing.staff.site, utcnow().astimezone(zone).date().isoformat()
    period = {"from": today, "to": today}
    body = await report(routing, routing.staff.vp, "vp", [site], site_id=site, **period)
    assert body.status_code == 200, body.text
    shown = figures(body.json())
    assert (shown["handling_answers"], shown["handling_satisfied"]) == (4, 2)
    assert shown["handling_satisfaction_rate"] == pytest.approx(0.5)
    (line,) = body.json()["handling"]
    assert (line["site_id"], line["answers"], line["satisfied"]) == (site, 4, 2)
    assert (line["rate"], line["target"], line["below_target"]) == (0.5, 90, True)

    for lang, label in (("zh", "投诉处理满意率"), ("en", "Complaint-handling satisfaction rate")):
        page = await report(
            routing,
            routing.staff.vp,
            "vp",
            [site],
            site_id=site,
            format="html",
            lang=lang,
            **period,
        )
        assert page.status_code == 200, page.text
        assert label in page.text
        assert 'class="handling"' in page.text
        assert "50.0%" in page.text
        assert "90%" in page.text
    table = await report(
        routing, routing.staff.vp, "vp", [site], site_id=site, format="csv", **period
    )
    assert "handling_satisfaction_rate" in table.text
    assert f"handling_satisfaction_target,{site}," in table.text

    metrics = (await routing.client.get("/metrics")).text
    for aspect, level in (("speed", "neutral"), ("attitude", "very_satisfied")):
        sample = f'{SITE_REPORT}{{aspect="{aspect}",level="{level}",site="{site}"}} 1.0'
        assert sample in metrics


async def test_a_site_sets_its_handling_target_and_the_gauge_shows_it(routing: Routing) -> None:
    site = routing.staff.site
    assert (await rules(routing))["handling_satisfaction_target"] == 90
    await answered(routing, True, outcome_level="satisfied", speed_level="satisfied")

    async def shown() -> str | None:
        text = (await routing.client.get("/metrics")).text
        lines = [ln for ln in text.splitlines() if ln.startswith(f'{TARGET}{{site="{site}"}}')]
        return lines[0].split()[-1] if lines else None

    assert await eventually(shown, "90.0") == "90.0"  # the default, for a site that set none
    assert (await rules(routing, {"handling_satisfaction_target": 75}))[
        "handling_satisfaction_target"
    ] == 75
    assert await eventually(shown, "75.0") == "75.0"


@pytest.mark.parametrize("value", [0, 101, -5, "high", 12.5])
async def test_a_handling_target_out_of_1_to_100_is_a_422_problem(
    routing: Routing, value: Any
) -> None:
    response = await routing.client.put(
        f"/v1/sites/{routing.staff.site}/rules",
        json={"handling_satisfaction_target": value},
        headers=routing.headers(routing.staff.admin, "admin"),
    )
    assert is_problem(response, 422)
    assert "handling_satisfaction_target" in response.text
    assert (await rules(routing))["handling_satisfaction_target"] == 90
