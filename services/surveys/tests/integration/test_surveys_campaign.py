"""A whole campaign on a real database and broker: the frame from intake's events, the
draw with its key sample, invitations on the exchange, answers by link and by interviewer,
the close at its time, the results and exactly the targets missed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from surveys_harness import (
    Surveys,
    campaign_body,
    complaint,
    drain,
    envelope,
    eventually,
    hex_id,
    household,
    removed,
    reopened,
)

from shared.contracts.surveys import (
    SurveyCallbackRequested,
    SurveyCompleted,
    SurveyInvitationIssued,
    SurveyTargetMissed,
)

pytestmark = pytest.mark.integration

SURVEY_EVENTS = (
    "survey.invitation_issued",
    "survey.completed",
    "survey.target_missed",
    "survey.callback_requested",
)
# (cleaning, security, greening, comment); None is a blank answer.
LINK_ANSWERS = [
    ("very_satisfied", "satisfied", "dissatisfied", "The trees by gate 2 are never trimmed."),
    ("satisfied", "neutral", None, None),
    ("fairly_satisfied", "dissatisfied", "satisfied", None),
]  # the fourth questionnaire household never answers
KEY_ANSWERS = [
    ("dissatisfied", "satisfied", "satisfied", "The lift broke down again last week."),
    ("satisfied", "satisfied", "neutral", None),
]
RANDOM_ANSWERS = [
    ("very_satisfied", "very_satisfied", "very_satisfied", None),
    ("satisfied", None, "satisfied", None),
]


async def _frame(surveys: Surveys, site_id: str) -> dict[str, Any]:
    """20 households (12 in B1 with phones, 8 in B2 without), one removed, two complainers."""
    b1 = [
        household(site_id, building="B1", unit=f"1{n:02}", phones=["13900000000"])
        for n in range(12)
    ]
    b2 = [household(site_id, building="B2", unit=f"2{n:02}") for n in range(8)]
    gone = household(site_id, building="B1", unit="199", phones=["13900000001"])
    for one in [*b1, *b2, gone]:
        await surveys.upsert(one)
    await surveys.publish(
        envelope(
            removed(site_id, gone.household_id), aggregate_id=gone.household_id, aggregate_version=2
        )
    )
    complained, grumbled, asked = b2[0], b1[0], b1[1]
    await surveys.publish(envelope(complaint(site_id, complained.household_id)))
    await surveys.publish(envelope(complaint(site_id, asked.household_id, kind="inquiry")))
    # The case is reopened before routing's copy of the complaint reaches surveys.
    grievance = complaint(site_id, grumbled.household_id, kind="grievance")
    await surveys.publish(envelope(reopened(site_id, grievance.complaint_id)))
    await surveys.publish(envelope(grievance))
    assert await eventually(lambda: surveys.frame_size(site_id), 20) == 20
    registry = await _complainants(surveys, site_id, 2)
    return {"key": {complained.household_id, grumbled.household_id}, "registry": registry}


async def _complainants(surveys: Surveys, site_id: str, count: int) -> list[dict[str, Any]]:
    async def listed() -> int:
        page = await surveys.ok("GET", f"/v1/sites/{site_id}/complainants")
        return len([c for c in page["items"] if c["complaints"] + c["grievances"]])

    assert await eventually(listed, count) == count
    return list((await surveys.ok("GET", f"/v1/sites/{site_id}/complainants"))["items"])


def _form(answers: tuple[str | None, ...], language: str) -> dict[str, str]:
    cleaning, security, greening, comment = answers
    fields = {"lang": language, "comment": comment or ""}
    for topic, level in (("cleaning", cleaning), ("security", security), ("greening", greening)):
        if level is not None:
            fields[f"topic.{topic}"] = level
    return fields


def _entry(household_id: str, answers: tuple[str | None, ...]) -> dict[str, Any]:
    cleaning, security, greening, comment = answers
    return {
        "household_id": household_id,
        "method": "door_to_door",
        "form": "paper",
        "paper_ref": hex_id("P-"),
        "answers": {"cleaning": cleaning, "security": security, "greening": greening},
        "comment": comment,
    }


async def _answer_links(surveys: Surveys, invitations: list[SurveyInvitationIssued]) -> str:
    html = {"Accept": "text/html"}
    for invite, answers in zip(invitations, LINK_ANSWERS, strict=False):
        path = invite.url.removeprefix("https://survey.example")
        shown = await surveys.client.get(path, headers=html)
        assert shown.status_code == 200
        assert "清洁" in shown.text
        assert "很满意" in shown.text
        sent = await surveys.client.post(path, data=_form(answers, "en"), headers=html)
        assert sent.status_code == 200, sent.text
        assert "Thank you" in sent.text
    unused = invitations[3].url.removeprefix("https://survey.example")
    wrong = await surveys.client.post(unused, data={"topic.cleaning": "ecstatic"}, headers=html)
    assert wrong.status_code == 422  # the form again, with the reason; the link is not spent
    assert "ecstatic" in wrong.text
    assert (await surveys.client.get(unused, headers=html)).status_code == 200
    again = await surveys.client.post(
        invitations[0].url.removeprefix("https://survey.example"),
        data=_form(LINK_ANSWERS[1], "zh-CN"),
        headers=html,
    )
    assert again.status_code == 410
    assert "此链接已使用" in again.text
    return unused


async def _interview(surveys: Surveys, campaign_id: str, key: list[str], rest: list[str]) -> None:
    surveyor = surveys.headers(roles=["surveyor"], sites=["*"], sub="surveyor-wang")
    tasks = await surveys.ok("GET", f"/v1/campaigns/{campaign_id}/tasks", as_=surveyor)
    assert sorted(t["household_id"] for t in tasks["items"]) == sorted([*key, *rest])
    for household_id, answers in [
        *zip(key, KEY_ANSWERS, strict=True),
        *zip(rest, RANDOM_ANSWERS, strict=True),
    ]:
        made = await surveys.ok(
            "POST",
            f"/v1/campaigns/{campaign_id}/responses",
            as_=surveyor,
            json=_entry(household_id, answers),
            status=201,
        )
        assert made["collected_by"] == "surveyor-wang"
    done = await surveys.ok("GET", f"/v1/campaigns/{campaign_id}/tasks?status=done", as_=surveyor)
    assert len(done["items"]) == 4


async def _recheck(surveys: Surveys, campaign_id: str) -> None:
    """recheck_rate 0.5: exactly two of the four interviewer entries wait for a supervisor."""
    pending = await surveys.ok("GET", f"/v1/campaigns/{campaign_id}/responses?recheck=pending")
    assert len(pending["items"]) == 2
    supervisor = surveys.headers(roles=["dept_head"], sites=["*"])
    for item in pending["items"]:
        verdict = await surveys.ok(
            "POST",
            f"/v1/campaigns/{campaign_id}/responses/{item['id']}/recheck",
            as_=supervisor,
            json={"outcome": "confirmed"},
        )
        assert verdict["recheck_status"] == "confirmed"


def _topic(results: dict[str, Any], topic: str) -> dict[str, Any]:
    return next(t for t in results["topics"] if t["topic"] == topic)


def _check_results(results: dict[str, Any]) -> None:
    assert (results["sample_size"], results["responses"], results["final"]) == (8, 7, True)
    assert results["response_rate"] == pytest.approx(7 / 8)
    expected = {
        "cleaning": (7, 6, 26 / 7, True),
        "security": (6, 4, 20 / 6, False),
        "greening": (6, 4, 20 / 6, True),
        "overall": (19, 14, 66 / 19, False),
    }
    for topic, (valid, satisfied, mean, met) in expected.items():
        found = _topic(results, topic)
        assert (found["valid"], found["satisfied"], found["met"]) == (valid, satisfied, met)
        assert found["rate"] == pytest.approx(satisfied / valid)
        assert found["mean_score"] == pytest.approx(mean)
        assert found["ci_low"] < found["rate"] < found["ci_high"]
    assert _topic(results, "security")["blank"] == 1
    key = next(g for g in results["by_sample"] if g["name"] == "key")
    assert (key["sample_size"], key["responses"]) == (2, 2)
    assert _topic(key, "cleaning")["satisfied"] == 1


async def test_a_whole_campaign_from_frame_to_targets_missed(
    surveys: Surveys, frozen_clock: Any
) -> None:
    frozen_clock.freeze(frozen_clock.now())
    site_id = hex_id("site-")
    watch = await surveys.watch(*SURVEY_EVENTS)
    frame = await _frame(surveys, site_id)
    body = campaign_body(
        site_id,
        targets={"cleaning": 0.5, "greening": 0.6, "overall": 0.75},
        sampling={"size": 6, "stratify": True},
        recheck_rate=0.5,
    )
    created = await surveys.ok("POST", "/v1/campaigns", json=body, status=201)
    drawn = await surveys.ok("POST", f"/v1/campaigns/{created['id']}/draw", json={}, status=201)

    assert (drawn["frame_size"], drawn["key_size"], drawn["random_size"]) == (20, 2, 6)
    assert drawn["allocation"] == {"B1": 4, "B2": 2}
    sample = (await surveys.ok("GET", f"/v1/campaigns/{created['id']}/sample"))["items"]
    key = sorted(m["household_id"] for m in sample if m["key"])
    assert set(key) == frame["key"]
    assert {m["reason"] for m in sample if m["key"]} == {"key_recent_complaint"}
    linked = sorted(m["household_id"] for m in sample if m["method"] == "questionnaire")
    rest = sorted(
        m["household_id"] for m in sample if not m["key"] and m["method"] != "questionnaire"
    )

    invitations = [
        e
        for _, e in await drain(watch, at_least=4, after=[surveys.app])
        if isinstance(e, SurveyInvitationIssued)
    ]
    assert sorted(i.household_id for i in invitations) == linked
    assert len(linked) == 4
    invitations.sort(key=lambda i: i.household_id)
    unused = await _answer_links(surveys, invitations)
    await _interview(surveys, created["id"], key, rest)
    await _recheck(surveys, created["id"])

    frozen_clock.advance(timedelta(days=15))  # past closes_at: the close timer fires
    status = await eventually(lambda: _status(surveys, created["id"]), "closed", timeout=30)
    assert status == "closed"
    events = [e for _, e in await drain(watch, at_least=5, after=[surveys.app])]
    results = await surveys.ok("GET", f"/v1/campaigns/{created['id']}/results")
    _check_results(results)
    completed = [e for e in events if isinstance(e, SurveyCompleted)]
    missed = [e for e in events if isinstance(e, SurveyTargetMissed)]
    callbacks = [e for e in events if isinstance(e, SurveyCallbackRequested)]
    assert len(completed) == 1
    assert completed[0].responses == 7
    assert sorted(m.topic for m in missed) == ["overall", "security"]
    assert {m.topic: round(m.rate, 4) for m in missed} == {"security": 0.6667, "overall": 0.7368}
    assert sorted((c.topic, c.level, c.score) for c in callbacks) == [
        ("cleaning", "dissatisfied", 1),
        ("greening", "dissatisfied", 1),
    ]
    assert all(c.due_at == completed[0].closed_at + timedelta(days=15) for c in callbacks)
    await _check_exports(surveys, created["id"])
    refused = await surveys.client.get(unused, headers={"Accept": "text/html"})
    assert refused.status_code == 410
    assert "expired" in refused.text or "失效" in refused.text
    metrics = (await surveys.client.get("/metrics")).text
    assert f'careloop_satisfaction_rate{{site="{site_id}",topic="security"}} 0.6666' in metrics
    assert f'careloop_satisfaction_target{{site="{site_id}",topic="security"}} 0.9' in metrics


async def _check_exports(surveys: Surveys, campaign_id: str) -> None:
    csv = await surveys.request("GET", f"/v1/campaigns/{campaign_id}/results.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = [line.split(",") for line in csv.text.splitlines()]
    header, rows = lines[0], lines[1:]
    security = next(r for r in rows if r[2:5] == ["site", "all", "security"])
    assert security[header.index("rate")] == "0.6667"
    assert security[header.index("met")] == "false"
    assert {tuple(r[2:4]) for r in rows} >= {("building", "B1"), ("sample", "key")}
    page = await surveys.request("GET", f"/v1/campaigns/{campaign_id}/results.html")
    assert page.headers["content-type"].startswith("text/html")
    assert page.text.count("<svg") == 2
    assert '<html lang="zh-CN">' in page.text
    assert "各项目满意率与质量目标" in page.text
    assert "治安" in page.text
    assert "未达标" in page.text
    assert "很满意" in page.text
    assert "very_satisfied" not in page.text
    assert ">security<" not in page.text
    english = await surveys.request("GET", f"/v1/campaigns/{campaign_id}/results.html?lang=en")
    assert "Satisfaction rate against target" in english.text
    assert "Very satisfied" in english.text
    assert "治安" not in english.text


async def _status(surveys: Surveys, campaign_id: str) -> str:
    return str((await surveys.ok("GET", f"/v1/campaigns/{campaign_id}"))["status"])
