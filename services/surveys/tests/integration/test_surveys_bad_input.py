"""Bad input is refused with a problem+json that says what to change, never with a 500."""

from __future__ import annotations

from typing import Any

import pytest
from surveys_harness import Surveys, campaign_body, eventually, hex_id, household, is_problem

pytestmark = pytest.mark.integration


async def _site_with(surveys: Surveys, count: int) -> tuple[str, list[str]]:
    site_id = hex_id("site-")
    members = [household(site_id, unit=str(n)) for n in range(count)]
    for one in members:
        await surveys.upsert(one)
    assert await eventually(lambda: surveys.frame_size(site_id), count) == count
    return site_id, [m.household_id for m in members]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"closes_at": "2020-01-01T00:00:00+00:00"}, "closes_at"),
        ({"period": None}, "period"),
        ({"kind": "special"}, "special"),
        ({"topics": ["cleaning", "parking"]}, "topics"),
        ({"methods": ["carrier_pigeon"]}, "methods"),
        ({"targets": {"cleaning": 1.5}}, "targets"),
        ({"sampling": {"rate": 0.1, "size": 10}}, "rate or a size"),
        ({"scale": [{"key": "yes", "score": 1, "zh": "是", "en": "Yes"}] * 2}, "satisfied_levels"),
        (
            {
                "scale": [
                    {"key": "yes", "score": 2, "zh": "是", "en": "Yes"},
                    {"key": "no", "score": 1, "zh": "否", "en": "No"},
                ],
                "satisfied_levels": ["yes", "no"],
            },
            "not satisfied",
        ),
        ({"surprise": True}, "surprise"),
    ],
)
async def test_a_campaign_that_cannot_run_is_refused_with_the_reason(
    surveys: Surveys, changes: dict[str, Any], words: str
) -> None:
    response = await surveys.request(
        "POST", "/v1/campaigns", json=campaign_body(hex_id("site-"), **changes)
    )
    assert is_problem(response, 422), response.text
    assert words in response.json()["detail"]


async def test_a_validators_refusal_is_said_in_chinese_and_stays_the_same_in_english(
    surveys: Surveys,
) -> None:
    backwards = campaign_body(hex_id("site-"), closes_at="2020-01-01T00:00:00+00:00")
    chinese = {**surveys.headers(), "Accept-Language": "zh-CN"}
    zh = await surveys.request("POST", "/v1/campaigns", json=backwards, as_=chinese)
    assert is_problem(zh, 422), zh.text
    said = "closes_at（结束时间）须晚于 opens_at（开始时间）"
    assert [(e["field"], e["message"]) for e in zh.json()["errors"]] == [("body", said)]
    assert zh.json()["detail"] == f"请求无效：body：{said}"
    en = await surveys.request("POST", "/v1/campaigns", json=backwards)
    assert is_problem(en, 422), en.text
    english = "Value error, closes_at must be after opens_at"
    assert en.json()["errors"] == [
        {"in": "body", "field": "body", "message": english, "type": "value_error"}
    ]
    assert en.json()["detail"] == f"The request is not valid: body: {english}"


async def test_malformed_bodies_cursors_and_queries_are_problems(surveys: Surveys) -> None:
    answers = [
        await surveys.request(
            "POST",
            "/v1/campaigns",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        ),
        await surveys.request("GET", "/v1/campaigns?cursor=bm90LWEtY3Vyc29y"),
        await surveys.request("GET", "/v1/campaigns?status=lost"),
        await surveys.request("GET", "/v1/sampling/size"),
        await surveys.request("GET", f"/v1/campaigns/{hex_id()}"),
    ]
    assert [a.status_code for a in answers] == [422, 400, 422, 422, 404]
    assert all(is_problem(a) for a in answers)


async def test_writes_out_of_turn_are_conflicts_and_wrong_answers_are_422(surveys: Surveys) -> None:
    site_id, ids = await _site_with(surveys, 3)
    outsider_household = hex_id()
    body = campaign_body(site_id, recheck_rate=0)  # so that no entry waits for a re-check
    created = await surveys.ok("POST", "/v1/campaigns", json=body, status=201)
    base = f"/v1/campaigns/{created['id']}"
    entry = {"household_id": ids[0], "method": "door_to_door", "answers": {"cleaning": "satisfied"}}

    early = await surveys.request("POST", f"{base}/responses", json=entry)
    again = await surveys.request("POST", "/v1/campaigns", json=campaign_body(site_id))
    await surveys.ok("POST", f"{base}/draw", json={}, status=201)
    redraw = await surveys.request("POST", f"{base}/draw", json={})
    chinese = {**surveys.headers(), "Accept-Language": "zh-CN"}
    redraw_zh = await surveys.request("POST", f"{base}/draw", json={}, as_=chinese)
    stranger = await surveys.request(
        "POST", f"{base}/responses", json={**entry, "household_id": outsider_household}
    )
    wrong_level = await surveys.request(
        "POST", f"{base}/responses", json={**entry, "answers": {"cleaning": "ecstatic"}}
    )
    wrong_topic = await surveys.request(
        "POST", f"{base}/responses", json={**entry, "answers": {"vehicles": "satisfied"}}
    )
    first = await surveys.ok("POST", f"{base}/responses", json=entry, status=201)
    second = await surveys.request("POST", f"{base}/responses", json=entry)
    unchecked = await surveys.request(
        "POST", f"{base}/responses/{first['id']}/recheck", json={"outcome": "confirmed"}
    )

    assert [r.status_code for r in (early, again, redraw, second, unchecked)] == [409] * 5
    assert [r.status_code for r in (stranger, wrong_level, wrong_topic)] == [422] * 3
    assert "ecstatic" in wrong_level.json()["detail"]
    assert is_problem(redraw_zh, 409), redraw_zh.text
    assert redraw_zh.headers["content-language"] == "zh-CN"
    assert (redraw_zh.json()["title"], redraw_zh.json()["detail"]) == (
        "状态冲突",
        f"测评活动 {created['id']} 当前为“进行中”，样本已抽取过",
    )
    wrong_level_zh = await surveys.request(
        "POST",
        f"{base}/responses",
        json={**entry, "answers": {"cleaning": "ecstatic"}},
        as_=chinese,
    )
    assert (
        wrong_level_zh.json()["detail"] == "答卷无效：不是本次测评量表中的等级：cleaning=ecstatic"
    )
    assert all(is_problem(r) for r in (early, again, redraw, stranger, wrong_level, second))


async def test_an_idempotency_key_returns_the_first_draw(surveys: Surveys) -> None:
    site_id, _ids = await _site_with(surveys, 4)
    created = await surveys.ok("POST", "/v1/campaigns", json=campaign_body(site_id), status=201)
    planner = {**surveys.headers(roles=["gm"], sub="gm-li"), "Idempotency-Key": hex_id("draw-")}
    path = f"/v1/campaigns/{created['id']}/draw"
    first = await surveys.request("POST", path, json={}, as_=planner)
    repeat = await surveys.request("POST", path, json={}, as_=planner)
    other = await surveys.request("POST", path, json={"seed": 7}, as_=planner)

    assert (first.status_code, repeat.status_code) == (201, 200)
    assert repeat.headers["Idempotent-Replayed"] == "true"
    assert repeat.json() == first.json()
    assert is_problem(other, 422)  # the same key for a different request


async def test_the_public_page_refuses_odd_tokens_and_bodies_without_a_500(
    surveys: Surveys,
) -> None:
    token = "A" * 32
    answers = [
        await surveys.client.get("/s/short"),
        await surveys.client.get(f"/s/{token}"),
        await surveys.client.get(f"/s/{token}", headers={"Accept": "text/html"}),
        await surveys.client.post(f"/s/{token}", json={"topic.cleaning": "satisfied"}),
        await surveys.client.post(f"/s/{token}", data={"topic.cleaning": "satisfied"}),
        await surveys.client.post(
            f"/s/{token}",
            content=b"comment=" + b"x" * 40_000,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
    ]
    assert [a.status_code for a in answers] == [404, 404, 404, 415, 404, 413]
    assert is_problem(answers[1], 404)
    assert answers[2].headers["content-type"].startswith("text/html")
    assert "找不到此问卷" in answers[2].text
    assert answers[1].headers["cache-control"] == "no-store"
    chinese = {"Accept-Language": "zh-CN"}
    unknown_zh = await surveys.client.get(f"/s/{token}", headers=chinese)
    assert is_problem(unknown_zh, 404)
    assert unknown_zh.json()["detail"] == "链接不完整或有误。请使用通知中的完整链接。"
    not_a_form = await surveys.client.post(f"/s/{token}", json={}, headers=chinese)
    assert not_a_form.json()["detail"] == "请以 application/x-www-form-urlencoded 格式提交表单"
