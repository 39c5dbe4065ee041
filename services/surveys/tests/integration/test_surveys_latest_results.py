"""The latest satisfaction of each site and topic: the last closed campaign that asked it.

Site A closes a regular campaign on three topics, then a special one on cleaning alone:
cleaning (and overall) come from the special, security and greening from the regular. Site
B has a closed campaign and an open one whose answers must not count yet. Each principal
sees only its own sites' figures.
"""

from __future__ import annotations

from typing import Any

import pytest
from surveys_harness import Surveys, campaign_body, eventually, hex_id, household

pytestmark = pytest.mark.integration


async def _site_with_households(surveys: Surveys, n: int) -> tuple[str, list[str]]:
    site_id = hex_id("site-")
    people = [household(site_id) for _ in range(n)]
    for one in people:
        await surveys.upsert(one)
    assert await eventually(lambda: surveys.frame_size(site_id), n) == n
    return site_id, [one.household_id for one in people]


async def _run(
    surveys: Surveys,
    site_id: str,
    answers: list[dict[str, str]],
    *,
    close: bool = True,
    **body: Any,
) -> dict[str, Any]:
    """Plan, draw, answer (one household per answer set) and close a campaign."""
    made = await surveys.ok(
        "POST", "/v1/campaigns", json=campaign_body(site_id, **body), status=201
    )
    base = f"/v1/campaigns/{made['id']}"
    await surveys.ok("POST", f"{base}/draw", json={}, status=201)
    sample = (await surveys.ok("GET", f"{base}/sample"))["items"]
    for member, given in zip(sample, answers, strict=False):
        entry = {"household_id": member["household_id"], "method": "door_to_door", "answers": given}
        await surveys.ok("POST", f"{base}/responses", json=entry, status=201)
    if close:
        await surveys.ok("POST", f"{base}/close")
    return dict(made)


async def test_each_site_and_topic_shows_its_last_closed_campaign(surveys: Surveys) -> None:
    a, _ = await _site_with_households(surveys, 6)
    b, _ = await _site_with_households(surveys, 4)
    happy = {"cleaning": "satisfied", "security": "satisfied", "greening": "dissatisfied"}
    unhappy = {"cleaning": "dissatisfied", "security": "very_satisfied", "greening": "satisfied"}
    regular = await _run(
        surveys, a, [happy, happy, unhappy], sampling={"size": 3}, title="A 季度测评"
    )
    special = await _run(
        surveys, a, [{"cleaning": "dissatisfied"}, {"cleaning": "satisfied"}],
        kind="special", period=None, topics=["cleaning"], sampling={"size": 2},
        title="A 清洁专项", targets={"cleaning": 0.9},
    )  # fmt: skip
    closed_b = await _run(surveys, b, [happy], sampling={"size": 2}, period="2026-Q3")
    await _run(surveys, b, [unhappy, unhappy], sampling={"size": 2}, close=False)

    everything = await surveys.ok("GET", "/v1/results/latest")
    mine = {(t["site_id"], t["topic"]): t for t in everything["items"] if t["site_id"] in (a, b)}
    assert set(mine) == {
        (site, topic)
        for site in (a, b)
        for topic in ("cleaning", "security", "greening", "overall")
    }
    cleaning = mine[(a, "cleaning")]
    assert (cleaning["campaign_id"], cleaning["title"], cleaning["kind"]) == (
        special["id"], "A 清洁专项", "special",
    )  # fmt: skip
    assert (cleaning["valid"], cleaning["satisfied"], cleaning["rate"]) == (2, 1, 0.5)
    assert (cleaning["target"], cleaning["met"]) == (0.9, False)
    assert mine[(a, "overall")]["campaign_id"] == special["id"]
    security = mine[(a, "security")]
    assert security["campaign_id"] == regular["id"]
    assert (security["valid"], security["satisfied"]) == (3, 3)
    assert security["rate"] == pytest.approx(1.0)
    greening = mine[(a, "greening")]
    assert (greening["satisfied"], greening["valid"]) == (1, 3)
    assert greening["met"] is False
    assert {t["campaign_id"] for (site, _), t in mine.items() if site == b} == {closed_b["id"]}
    frozen = await surveys.rows(
        "SELECT topic, rate FROM topic_result WHERE campaign_id = :c", c=regular["id"]
    )
    assert {t: r for t, r in frozen}["security"] == pytest.approx(security["rate"])


async def test_a_principal_sees_only_its_own_sites(surveys: Surveys) -> None:
    a, _ = await _site_with_households(surveys, 2)
    b, _ = await _site_with_households(surveys, 2)
    for site in (a, b):
        await _run(surveys, site, [{"cleaning": "satisfied"}], sampling={"size": 1})

    def sites_of(found: dict[str, Any]) -> set[str]:
        return {t["site_id"] for t in found["items"]}

    head_of_a = surveys.headers(roles=["dept_head"], sites=[a])
    assert sites_of(await surveys.ok("GET", "/v1/results/latest", as_=head_of_a)) == {a}
    asked_for_b = await surveys.ok(
        "GET", "/v1/results/latest", as_=head_of_a, params={"site_id": [b]}
    )
    assert asked_for_b["items"] == []
    gm = surveys.headers(roles=["gm"], sites=["*"])
    both = await surveys.ok("GET", "/v1/results/latest", as_=gm, params={"site_id": [a, b]})
    assert sites_of(both) == {a, b}
    just_b = await surveys.ok("GET", "/v1/results/latest", as_=gm, params={"site_id": [b]})
    assert sites_of(just_b) == {b}
    stranger = surveys.headers(roles=["gm"], sites=[hex_id("site-")])
    assert (await surveys.ok("GET", "/v1/results/latest", as_=stranger))["items"] == []
