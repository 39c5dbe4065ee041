"""A mainland Chinese site's SLA deadlines follow the State Council's calendar (issue 14.8).

The shared clock is frozen at each complaint's arrival, as routing would meet it then; the
deadlines on `case.assigned` are read as the case opened. 2026: the Spring Festival is off
from 15 to 23 February and worked on Saturday 14 February; National Day is off from 1 to 7
October and worked on Sunday 20 September and Saturday 10 October.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from routing_harness import Routing

from shared.clock import clock

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = {"start": "09:00", "end": "18:00"}
WEEK = {d: DAY for d in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": {"start": "09:00", "end": "12:00"}
}
TERMS = {"acknowledge_within": "PT4H", "resolve_within": "PT27H", "clock": "working_hours"}
SITE_DAYS = [
    {"day": "2026-02-24", "name": "管理处年休"},  # closed one day more than the country
    {"day": "2026-10-07", "name": "国庆值班", "working": True},  # on duty on a holiday
]


def at(m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, m, d, hh, mm, tzinfo=SHANGHAI)


async def put_rules(routing: Routing, calendar: dict[str, Any]) -> Any:
    return await routing.client.put(
        f"/v1/sites/{routing.staff.site}/rules",
        json={"sla_policies": [TERMS], "calendar": calendar},
        headers=routing.headers(routing.staff.admin, "admin"),
    )


async def office(routing: Routing, **changes: Any) -> None:
    response = await put_rules(
        routing, {"timezone": "Asia/Shanghai", "week": WEEK, "holidays": SITE_DAYS, **changes}
    )
    assert response.status_code == 200, response.text


async def deadlines(routing: Routing, received: datetime) -> tuple[datetime, datetime]:
    """The deadlines of a complaint received (and routed) at `received`, in Shanghai time."""
    clock.freeze(received)
    case = await routing.opened()
    return (
        datetime.fromisoformat(case["acknowledge_due_at"]).astimezone(SHANGHAI),
        datetime.fromisoformat(case["resolve_due_at"]).astimezone(SHANGHAI),
    )


async def test_deadlines_across_the_spring_festival(routing: Routing, frozen: None) -> None:
    await office(routing)
    # Friday 17:30: half an hour, then Saturday 14th worked in full (not its usual morning);
    # nothing from the 15th to the 23rd, nor on the site's own 24th.
    assert await deadlines(routing, at(2, 13, 17, 30)) == (at(2, 14, 12, 30), at(2, 26, 17, 30))
    # Received on New Year's Eve (a holiday): the clock starts on Wednesday 25th.
    assert await deadlines(routing, at(2, 16, 10)) == (at(2, 25, 13), at(2, 27, 18))


async def test_deadlines_across_the_national_day_week(routing: Routing, frozen: None) -> None:
    await office(routing)
    # Saturday morning, then Sunday 20th worked with the weekdays' hours.
    assert await deadlines(routing, at(9, 19, 11)) == (at(9, 20, 12), at(9, 22, 17))
    # The eve: nothing from the 1st to the 6th; the site is on duty on the 7th.
    assert await deadlines(routing, at(9, 30, 17)) == (at(10, 7, 12), at(10, 9, 17))
    # Friday 9th 17:30: Saturday 10th is a full make-up day.
    assert await deadlines(routing, at(10, 9, 17, 30)) == (at(10, 10, 12, 30), at(10, 13, 17, 30))


async def test_a_site_may_follow_only_its_own_days(routing: Routing, frozen: None) -> None:
    await office(routing, public_holidays="none")
    assert await deadlines(routing, at(9, 30, 17)) == (at(10, 1, 12), at(10, 5, 14))
    await office(routing)  # left out: the setting stays
    rules = (await routing.get(f"/v1/sites/{routing.staff.site}/rules", routing.staff.gm)).json()
    assert (rules["calendar"]["public_holidays"], rules["public_holidays_known_until"]) == (
        "none",
        None,
    )
    await office(routing, public_holidays=None)  # null: by the time zone again
    assert await deadlines(routing, at(9, 30, 17)) == (at(10, 7, 12), at(10, 9, 17))


async def test_the_rules_say_which_calendar_a_site_follows(routing: Routing) -> None:
    path = f"/v1/sites/{routing.staff.site}/rules"
    shipped = (await routing.get(path, routing.staff.gm)).json()
    assert shipped["calendar"]["public_holidays"] == "cn"
    assert shipped["public_holidays_known_until"] >= 2026
    berlin = await put_rules(routing, {"timezone": "Europe/Berlin", "week": WEEK})
    assert berlin.status_code == 200, berlin.text
    assert berlin.json()["calendar"]["public_holidays"] == "none"
    assert berlin.json()["public_holidays_known_until"] is None
    bad = await put_rules(routing, {"week": WEEK, "public_holidays": "hk"})
    assert (bad.status_code, bad.headers["content-type"]) == (422, PROBLEM)
    assert "public_holidays" in bad.text
