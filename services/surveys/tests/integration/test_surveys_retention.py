"""Retention in surveys: after the site's period (announced by intake), a closed campaign's
responses lose their comments, its interview tasks their phones, its sample members the
detail of why they were drawn, and a removed household its phone; the results stay. Time
is the shared frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import structlog
from prometheus_client import REGISTRY
from surveys_harness import (
    Surveys,
    campaign_body,
    complaint,
    envelope,
    eventually,
    hex_id,
    household,
    removed,
)

from shared.contracts.intake import SiteRetentionSet
from shared.timers import pending

pytestmark = pytest.mark.integration

MARKER = "[anonymised]"
KIND = "surveys.retention"
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
PHONE = "13912345678"
COMMENT = f"Li Lei on 3F, call {PHONE}"


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _policy(surveys: Surveys, site: str, years: int) -> None:
    event = SiteRetentionSet(
        site_id=site, retention_years=years, timezone="Asia/Shanghai", set_at=T0
    )
    await surveys.publish(envelope(event, aggregate_id=site))

    async def set_() -> bool:
        async with surveys.db.sessions() as session:
            return await pending(session, kind=KIND, key=site) is not None

    assert await eventually(set_, True) is True


async def _frame(surveys: Surveys, site: str) -> tuple[list[str], str]:
    """Four households with phones, one of them a complainer, and one removed."""
    homes = [household(site, building="B1", unit=f"1{n:02}", phones=[PHONE]) for n in range(4)]
    gone = household(site, building="B1", unit="199", phones=[PHONE])
    for one in [*homes, gone]:
        await surveys.upsert(one)
    await surveys.publish(
        envelope(
            removed(site, gone.household_id), aggregate_id=gone.household_id, aggregate_version=2
        )
    )
    await surveys.publish(envelope(complaint(site, homes[0].household_id)))
    assert await eventually(lambda: surveys.frame_size(site), 4) == 4

    async def marked() -> int:
        sql = "SELECT count(*) FROM complaint_mark WHERE site_id = :s"
        return int(await surveys.scalar(sql, s=site))

    assert await eventually(marked, 1) == 1
    return [h.household_id for h in homes], gone.household_id


async def _campaign(surveys: Surveys, site: str, now: datetime, period: str) -> str:
    body = campaign_body(
        site,
        period=period,
        methods=["door_to_door"],
        sampling={"size": 3, "stratify": False},
        opens_at=(now - timedelta(minutes=1)).isoformat(),
        closes_at=(now + timedelta(days=14)).isoformat(),
    )
    created = await surveys.ok("POST", "/v1/campaigns", json=body, status=201)
    await surveys.ok("POST", f"/v1/campaigns/{created['id']}/draw", json={}, status=201)
    return str(created["id"])


async def _interview(surveys: Surveys, campaign_id: str) -> None:
    surveyor = surveys.headers(roles=["surveyor"], sites=["*"], sub="surveyor-wang")
    tasks = await surveys.ok("GET", f"/v1/campaigns/{campaign_id}/tasks", as_=surveyor)
    for task in tasks["items"]:
        entry = {
            "household_id": task["household_id"],
            "method": "door_to_door",
            "form": "paper",
            "paper_ref": hex_id("P-"),
            "answers": {"cleaning": "satisfied", "security": "neutral", "greening": "satisfied"},
            "comment": COMMENT,
        }
        path = f"/v1/campaigns/{campaign_id}/responses"
        await surveys.ok("POST", path, as_=surveyor, json=entry, status=201)


async def _status(surveys: Surveys, campaign_id: str) -> str:
    return str((await surveys.ok("GET", f"/v1/campaigns/{campaign_id}"))["status"])


async def _comments(surveys: Surveys, campaign_id: str) -> set[Any]:
    rows = await surveys.rows("SELECT comment FROM response WHERE campaign_id = :c", c=campaign_id)
    return {r[0] for r in rows}


async def test_retention_run_anonymises_a_closed_campaign_and_keeps_its_results(
    surveys: Surveys, frozen_clock: Any
) -> None:
    frozen_clock.freeze(T0)
    site = hex_id("site-")
    await _policy(surveys, site, years=2)
    homes, gone = await _frame(surveys, site)
    closed = await _campaign(surveys, site, frozen_clock.now(), "2024-Q1")
    await _interview(surveys, closed)
    frozen_clock.advance(timedelta(days=15))
    assert await eventually(lambda: _status(surveys, closed), "closed") == "closed"
    open_now = await _campaign(surveys, site, frozen_clock.now(), "2024-Q2")
    await _interview(surveys, open_now)
    results_before = await surveys.ok("GET", f"/v1/campaigns/{closed}/results")
    runs = _sample("careloop_surveys_retention_runs_total", outcome="completed")
    responses = _sample("careloop_surveys_records_anonymised_total", record="response")

    with structlog.testing.capture_logs() as logs:
        frozen_clock.advance(timedelta(days=2 * 365 + 2))
        comments = await eventually(lambda: _comments(surveys, closed), {MARKER})

    assert comments == {MARKER}
    assert await surveys.ok("GET", f"/v1/campaigns/{closed}/results") == results_before
    phones = await surveys.rows("SELECT phone FROM interview_task WHERE campaign_id = :c", c=closed)
    assert phones
    assert {p[0] for p in phones} == {MARKER}
    details = await surveys.rows(
        "SELECT detail FROM sample_member WHERE campaign_id = :c", c=closed
    )
    assert {d[0] for d in details} <= {MARKER, None}
    sample = await surveys.ok("GET", f"/v1/campaigns/{closed}/sample")
    assert "Li" not in str(sample)
    assert PHONE not in str(sample)
    frame = await surveys.rows(
        "SELECT household_id, phone FROM frame_household WHERE site_id = :s", s=site
    )
    assert dict(map(tuple, frame)) == {gone: MARKER, **{h: PHONE for h in homes}}
    # The campaign still open when the clock moved closes only now: its comments stay.
    assert await _comments(surveys, open_now) == {COMMENT}
    assert _sample("careloop_surveys_retention_runs_total", outcome="completed") == runs + 1
    assert (
        _sample("careloop_surveys_records_anonymised_total", record="response") == responses + 4
    )  # 3 drawn, 1 key
    finished = [e for e in logs if e["event"] == "retention run finished"]
    assert [(e["site_id"], e["responses_anonymised"]) for e in finished] == [(site, 4)]
    async with surveys.db.sessions() as session:
        timer = await pending(session, kind=KIND, key=site)
    assert timer is not None
    assert timer.due_at > frozen_clock.now()
