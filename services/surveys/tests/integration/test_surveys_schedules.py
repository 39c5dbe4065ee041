"""A site's regular campaign opens by itself each period: planned, drawn and opened once per
period across a restart and two replicas, a campaign planned by hand kept, a period missed
while the service was down skipped, and the schedule set, read and removed over the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from surveys_harness import (
    Surveys,
    campaign_body,
    drain,
    eventually,
    hex_id,
    household,
    is_problem,
    running,
)

from shared.contracts.surveys import SurveyInvitationIssued
from surveys.schedules.service import SCHEDULE_TIMER
from surveys.settings import SurveysSettings

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _schedule(every: str = "month", **changes: Any) -> dict[str, Any]:
    body = {
        "every": every,
        "title": "Resident satisfaction",
        "day": 1,
        "hour": 9,
        "days_open": 10,
        "campaign": {
            "topics": ["cleaning", "security"],
            "methods": ["questionnaire"],
            "sampling": {"size": 3},
        },
    }
    return {**body, **changes}


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def _households(surveys: Surveys, site_id: str, count: int = 3) -> None:
    for n in range(count):
        await surveys.upsert(household(site_id, unit=f"10{n}", phones=["13900000000"]))
    assert await eventually(lambda: surveys.frame_size(site_id), count) == count


async def _campaigns(surveys: Surveys, site_id: str) -> list[dict[str, Any]]:
    return list((await surveys.ok("GET", f"/v1/campaigns?site_id={site_id}"))["items"])


async def _schedule_of(surveys: Surveys, site_id: str) -> dict[str, Any]:
    return dict(await surveys.ok("GET", f"/v1/sites/{site_id}/campaign-schedule"))


async def _next_period(surveys: Surveys, site_id: str) -> str:
    return str((await _schedule_of(surveys, site_id))["next_period"])


async def _waits_for(surveys: Surveys, site_id: str, period: str) -> bool:
    return await _next_period(surveys, site_id) != period


async def test_the_next_period_opens_once_after_a_restart_with_two_replicas(
    surveys_settings: SurveysSettings, frozen_clock: Any
) -> None:
    frozen_clock.freeze(frozen_clock.now())
    site_id = hex_id("site-")
    setter = hex_id("manager-")
    async with running(surveys_settings) as first:
        await _households(first, site_id)
        manager = first.headers(roles=["gm"], sites=[site_id], sub=setter)
        path = f"/v1/sites/{site_id}/campaign-schedule"
        put = await first.ok("PUT", path, as_=manager, json=_schedule())
        assert await first.ok("GET", path, as_=manager) == put
    opens = _at(put["next_opens_at"])
    local = opens.astimezone(SHANGHAI)
    assert (local.day, local.hour, local.minute) == (1, 9, 0)
    assert opens >= frozen_clock.now()
    assert put["next_period"] == f"{local.year}-{local.month:02}"
    assert _at(put["next_closes_at"]) == opens + timedelta(days=10)

    # Stopped, then two replicas on the same database and broker when the day comes.
    async with running(surveys_settings) as one, running(surveys_settings) as two:
        watch = await one.watch("survey.invitation_issued")
        frozen_clock.advance(opens - frozen_clock.now() + timedelta(minutes=1))
        assert await eventually(lambda: _waits_for(one, site_id, put["next_period"]), True)
        invited = [e for _, e in await drain(watch, at_least=3, after=[one.app, two.app])]
        [campaign] = await _campaigns(two, site_id)

    assert (campaign["period"], campaign["kind"], campaign["status"]) == (
        put["next_period"],
        "regular",
        "open",
    )
    assert campaign["title"] == f"Resident satisfaction {put['next_period']}"
    assert (campaign["created_by"], campaign["drawn_by"]) == (setter, setter)
    assert (_at(campaign["opens_at"]), _at(campaign["closes_at"])) == (
        opens,
        opens + timedelta(days=10),
    )
    assert (campaign["topics"], campaign["random_size"]) == (["cleaning", "security"], 3)
    assert len(invited) == 3
    assert all(isinstance(e, SurveyInvitationIssued) for e in invited)
    assert {e.campaign_id for e in invited} == {campaign["id"]}


async def test_a_campaign_planned_by_hand_is_kept_and_a_missed_period_is_skipped(
    surveys: Surveys, frozen_clock: Any
) -> None:
    frozen_clock.freeze(frozen_clock.now())
    site_id = hex_id("site-")
    await _households(surveys, site_id)
    path = f"/v1/sites/{site_id}/campaign-schedule"
    put = await surveys.ok("PUT", path, json=_schedule("quarter", days_open=20))
    assert put["next_period"][4:6] == "-Q"
    opens = _at(put["next_opens_at"])
    by_hand = campaign_body(
        site_id,
        period=put["next_period"],
        opens_at=(opens - timedelta(days=1)).isoformat(),
        closes_at=(opens + timedelta(days=30)).isoformat(),
    )
    planned = await surveys.ok("POST", "/v1/campaigns", json=by_hand, status=201)

    frozen_clock.advance(opens - frozen_clock.now() + timedelta(minutes=1))
    assert await eventually(lambda: _waits_for(surveys, site_id, put["next_period"]), True)
    reached = await _schedule_of(surveys, site_id)
    assert reached["last_campaign_id"] == planned["id"]
    assert [c["id"] for c in await _campaigns(surveys, site_id)] == [planned["id"]]

    # The service "sleeps" through the whole of the next period: nothing opens for it.
    missed = _at(reached["next_closes_at"]) + timedelta(minutes=1)
    frozen_clock.advance(missed - frozen_clock.now())
    assert await eventually(lambda: _waits_for(surveys, site_id, reached["next_period"]), True)
    assert [c["id"] for c in await _campaigns(surveys, site_id)] == [planned["id"]]
    assert _at((await _schedule_of(surveys, site_id))["next_opens_at"]) > frozen_clock.now()


async def _schedule_timers(surveys: Surveys, site_id: str) -> int:
    return int(
        await surveys.scalar(
            "SELECT count(*) FROM timer WHERE kind = :k AND key = :s", k=SCHEDULE_TIMER, s=site_id
        )
    )


async def test_a_removed_schedule_opens_nothing_and_writes_are_checked(
    surveys: Surveys, frozen_clock: Any
) -> None:
    frozen_clock.freeze(frozen_clock.now())
    site_id = hex_id("site-")
    path = f"/v1/sites/{site_id}/campaign-schedule"
    surveyor = surveys.headers(roles=["surveyor"], sites=[site_id])
    callcenter = surveys.headers(roles=["callcenter"], sites=[site_id])
    refused = [
        await surveys.request("PUT", path, as_=surveyor, json=_schedule()),
        await surveys.request("PUT", path, json=_schedule(timezone="Mars/Olympus_Mons")),
        await surveys.request("PUT", path, json=_schedule("month", days_open=40)),
        await surveys.request(
            "PUT",
            path,
            json=_schedule(
                campaign={"scale": [{"key": "a", "score": 1, "zh": "好", "en": "ok"}] * 2}
            ),
        ),
        await surveys.request("GET", path),
    ]
    assert [r.status_code for r in refused] == [403, 422, 422, 422, 404]
    assert all(is_problem(r, r.status_code) for r in refused)

    put = await surveys.ok("PUT", path, json=_schedule("half_year", hour=8))
    replaced = await surveys.ok("PUT", path, json=_schedule("year", day=15))
    assert put["next_period"][4:6] == "-H"
    assert replaced["next_period"].isdigit()
    assert (await surveys.ok("GET", path, as_=callcenter))["every"] == "year"
    assert await _schedule_timers(surveys, site_id) == 1
    assert (await surveys.request("DELETE", path, as_=callcenter)).status_code == 403
    assert (await surveys.request("DELETE", path)).status_code == 204
    assert is_problem(await surveys.request("GET", path), 404)
    assert is_problem(await surveys.request("DELETE", path), 404)
    assert await _schedule_timers(surveys, site_id) == 0

    frozen_clock.advance(_at(replaced["next_opens_at"]) - frozen_clock.now() + timedelta(days=1))
    assert await surveys.app.state.runtime.scheduler.fire_due() == 0
    assert await _campaigns(surveys, site_id) == []
