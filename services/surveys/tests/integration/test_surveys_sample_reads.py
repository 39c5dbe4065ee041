"""What the console's survey pages read in one call each: the sample with each household's
unit and whether it answered (key or random only, or one household's), the responses with
a comment, and results that say which topics have too few answers to be judged."""

from __future__ import annotations

from typing import Any

import pytest
from surveys_harness import Surveys, campaign_body, complaint, envelope, eventually, hex_id
from surveys_harness import household as new_household

from surveys.sampling.rules import sample_size

pytestmark = pytest.mark.integration

COMMENT = "楼道很久没有打扫"


async def _drawn(surveys: Surveys) -> tuple[str, str, list[str]]:
    """Five households (three in B1 with phones, two in B2 without); one of B1 complained.
    A campaign drawn on all of them at ±50 %: (campaign, key household, the others)."""
    site_id = hex_id("site-")
    b1 = [new_household(site_id, building="B1", unit=f"10{n}", phones=["139"]) for n in range(3)]
    b2 = [new_household(site_id, building="B2", unit=f"20{n}") for n in range(2)]
    for one in [*b1, *b2]:
        await surveys.upsert(one)
    await surveys.publish(envelope(complaint(site_id, b1[0].household_id)))
    assert await eventually(lambda: surveys.frame_size(site_id), 5) == 5
    assert await eventually(lambda: _complained(surveys, site_id), True) is True
    body = campaign_body(
        site_id,
        topics=["cleaning", "security"],
        sampling={"rate": 1.0, "margin": 0.5},
        recheck_rate=0,
    )
    created = await surveys.ok("POST", "/v1/campaigns", json=body, status=201)
    await surveys.ok("POST", f"/v1/campaigns/{created['id']}/draw", json={}, status=201)
    return created["id"], b1[0].household_id, [h.household_id for h in [*b1[1:], *b2]]


async def _complained(surveys: Surveys, site_id: str) -> bool:
    page = await surveys.ok("GET", f"/v1/sites/{site_id}/complainants")
    return bool(page["items"])


async def _enter(surveys: Surveys, campaign_id: str, household_id: str, **answers: Any) -> None:
    comment = answers.pop("comment", None)
    entry = {
        "household_id": household_id,
        "method": "door_to_door",
        "answers": answers,
        "comment": comment,
    }
    await surveys.ok("POST", f"/v1/campaigns/{campaign_id}/responses", json=entry, status=201)


async def test_the_sample_reads_with_units_reasons_and_answers(surveys: Surveys) -> None:
    campaign_id, key, others = await _drawn(surveys)
    base = f"/v1/campaigns/{campaign_id}"

    keyed = (await surveys.ok("GET", f"{base}/sample?key=true"))["items"]
    assert [(m["household_id"], m["unit"], m["reason"]) for m in keyed] == [
        (key, "100", "key_recent_complaint")
    ]
    random = (await surveys.ok("GET", f"{base}/sample?key=false"))["items"]
    assert sorted(m["household_id"] for m in random) == sorted(others)
    assert {m["unit"] for m in random} == {"101", "102", "200", "201"}
    assert {m["response_id"] for m in [*keyed, *random]} == {None}
    drawn = await surveys.ok("GET", base)
    assert str(drawn["drawn_by"]).startswith("user-")  # who drew it, beside when

    await _enter(
        surveys, campaign_id, key, cleaning="dissatisfied", security="satisfied", comment=COMMENT
    )
    [one] = (await surveys.ok("GET", f"{base}/sample?household_id={key}"))["items"]
    assert (one["unit"], one["method"], one["key"]) == ("100", "door_to_door", True)
    assert one["response_id"] is not None
    missing = await surveys.ok("GET", f"{base}/sample?household_id={hex_id('household-')}")
    assert missing["items"] == []


async def test_commented_responses_and_topics_too_thin_to_judge(surveys: Surveys) -> None:
    campaign_id, key, others = await _drawn(surveys)
    base = f"/v1/campaigns/{campaign_id}"
    needed = sample_size(5, confidence=0.95, margin=0.5)
    assert needed == 3
    before = await surveys.ok("GET", f"{base}/results")
    assert (before["needed"], before["respondents"], before["margin"]) == (3, 0, 0.5)
    assert {t["topic"]: t["enough"] for t in before["topics"]} == {
        "cleaning": False,
        "security": False,
        "overall": False,
    }

    await _enter(
        surveys, campaign_id, key, cleaning="dissatisfied", security="satisfied", comment=COMMENT
    )
    await _enter(surveys, campaign_id, others[2], cleaning="satisfied", security=None)
    await _enter(surveys, campaign_id, others[3], cleaning="satisfied")

    results = await surveys.ok("GET", f"{base}/results")
    judged = {t["topic"]: (t["valid"], t["enough"]) for t in results["topics"]}
    assert judged == {"cleaning": (3, True), "security": (1, False), "overall": (4, True)}
    assert results["respondents"] == 3
    assert all(t["enough"] is None for g in results["by_building"] for t in g["topics"])

    commented = (await surveys.ok("GET", f"{base}/responses?commented=true"))["items"]
    assert [(r["household_id"], r["unit"], r["comment"]) for r in commented] == [
        (key, "100", COMMENT)
    ]
    silent = (await surveys.ok("GET", f"{base}/responses?commented=false"))["items"]
    assert sorted(r["household_id"] for r in silent) == sorted(others[2:])
    assert {r["unit"] for r in silent} == {"200", "201"}
