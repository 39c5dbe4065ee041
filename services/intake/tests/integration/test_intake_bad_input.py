"""Bad input of every kind is a 4xx problem+json, never a 5xx, on both databases."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from intake_harness import Intake, complaint_body, hex_id, is_problem

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}
NUL = "\u0000"
SURROGATE = "\ud800"


def _without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


def _bad_complaints(site_id: str, household_id: str) -> dict[str, tuple[Any, int]]:
    """Name -> (JSON body, expected status)."""
    good = complaint_body(site_id)
    cases: dict[str, tuple[Any, int]] = {
        "description-too-long": ({**good, "description": "x" * 5001}, 422),
        "description-empty": ({**good, "description": ""}, 422),
        "description-nul": ({**good, "description": f"leak{NUL}ing"}, 422),
        "description-bell": ({**good, "description": "ring \u0007"}, 422),
        "description-surrogate": ({**good, "description": f"broken {SURROGATE}"}, 422),
        "name-with-newline": ({**good, "reporter": {**good["reporter"], "name": "Li\nWei"}}, 422),
        "name-too-long": ({**good, "reporter": {**good["reporter"], "name": "L" * 101}}, 422),
        "phone-letters": ({**good, "reporter": {**good["reporter"], "phone": "call me"}}, 422),
        "email-malformed": ({**good, "reporter": {**good["reporter"], "email": "li@"}}, 422),
        "external-ref-nul": ({**good, "external_ref": f"CC{NUL}1"}, 422),
        "description-number": ({**good, "description": 12345}, 422),
        "severity-number": ({**good, "severity": 5}, 422),
        "channel-unknown": ({**good, "channel": "carrier_pigeon"}, 422),
        "category-null": ({**good, "category": None}, 422),
        "reporter-string": ({**good, "reporter": "Li Wei"}, 422),
        "reporter-type-unknown": ({**good, "reporter": {"type": "alien"}}, 422),
        "occurred-at-words": ({**good, "occurred_at": "yesterday"}, 422),
        "occurred-at-naive": ({**good, "occurred_at": "2024-05-01T08:00:00"}, 422),
        "occurred-at-future": ({**good, "occurred_at": "2999-01-01T00:00:00Z"}, 422),
        "reply-list": ({**good, "immediate_reply": ["ok"]}, 422),
        "location-empty": ({**good, "location": {}}, 422),
        "location-foreign-unit": ({**good, "location": {"unit_id": hex_id()}}, 422),
        "site-number": ({**good, "site_id": 123}, 422),
        "site-unknown": ({**good, "site_id": hex_id("site-")}, 422),
        "site-bad-id": ({**good, "site_id": "../etc/passwd"}, 422),
        "household-unknown": (
            {**good, "reporter": {"type": "household", "household_id": hex_id()}},
            422,
        ),
        "household-bad-id": (
            {**good, "reporter": {"type": "household", "household_id": NUL}},
            422,
        ),
        "unknown-field": ({**good, "priority": "high"}, 422),
        "unknown-nested-field": (
            {**good, "reporter": {**good["reporter"], "wechat": "li-wei-88"}},
            422,
        ),
        "not-an-object": ([good], 422),
        "empty-object": ({}, 422),
        "staff-reporter-not-staff-channel": (
            {**good, "reporter": {"type": "staff", "staff_member": "A", "department": "B"}},
            422,
        ),
    }
    for key in ("site_id", "channel", "kind", "category", "description", "reporter"):
        cases[f"missing-{key}"] = (_without(good, key), 422)
    return cases


@pytest.fixture
async def seeded(intake: Intake) -> tuple[Intake, Any]:
    return intake, await intake.place()


async def test_bad_complaint_bodies_are_refused_with_a_problem(
    seeded: tuple[Intake, Any],
) -> None:
    intake, place = seeded
    answers = {}
    for name, (body, status) in _bad_complaints(place.site_id, place.household_id).items():
        # ASCII-escaped JSON, so that a lone surrogate travels as `\ud800` as it would on the wire.
        response = await intake.request(
            "POST", "/v1/complaints", content=json.dumps(body), headers=JSON
        )
        answers[name] = (response.status_code, is_problem(response, status))

    assert {n: a for n, a in answers.items() if not a[1]} == {}
    assert await intake.scalar("SELECT count(*) FROM complaint") == 0


async def test_a_call_center_asking_for_chinese_is_told_what_to_fix_in_chinese(
    seeded: tuple[Intake, Any],
) -> None:
    intake, place = seeded
    body = {**_without(complaint_body(place.site_id), "category"), "description": ""}
    headers = {**JSON, "Accept-Language": "zh-CN"}
    response = await intake.request(
        "POST", "/v1/complaints", content=json.dumps(body), headers=headers
    )

    assert is_problem(response, 422), response.text
    assert response.headers["content-language"] == "zh-CN"
    problem = response.json()
    assert problem["title"] == "请求无效"
    messages = {e["field"]: e["message"] for e in problem["errors"]}
    assert messages["category"] == "必填"
    assert messages["description"] == "至少 1 个字符"
    missing = await intake.request("GET", f"/v1/complaints/{hex_id()}", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["detail"].endswith("不存在，或您无权查看")
    nowhere = hex_id("site-")
    unknown = await intake.request(
        "POST", "/v1/complaints", json=complaint_body(nowhere), headers=headers
    )
    assert is_problem(unknown, 422), unknown.text
    assert unknown.json()["detail"] == f"site_id {nowhere} 不是管理处"


async def test_a_validators_refusal_is_said_in_chinese_and_stays_the_same_in_english(
    seeded: tuple[Intake, Any],
) -> None:
    intake, place = seeded
    unreachable = complaint_body(place.site_id, reporter={"type": "visitor", "name": "周先生"})
    zh = await intake.request(
        "POST", "/v1/complaints", json=unreachable, headers={"Accept-Language": "zh-CN"}
    )
    assert is_problem(zh, 422), zh.text
    field = "reporter.visitor"
    said = "访客须留下电话或电子邮箱，以便答复"
    assert {e["field"]: e["message"] for e in zh.json()["errors"]} == {field: said}
    assert zh.json()["detail"] == f"请求无效：{field}：{said}"
    en = await intake.request("POST", "/v1/complaints", json=unreachable)
    assert is_problem(en, 422), en.text
    english = "Value error, a visitor leaves a phone or an e-mail address to be answered on"
    assert en.json()["errors"] == [
        {"in": "body", "field": field, "message": english, "type": "value_error"}
    ]
    assert en.json()["detail"] == f"The request is not valid: {field}: {english}"
    lettered = complaint_body(
        place.site_id, reporter={"type": "visitor", "name": "周先生", "phone": "call me"}
    )
    phone = await intake.request(
        "POST", "/v1/complaints", json=lettered, headers={"Accept-Language": "zh-CN"}
    )
    assert [e["message"] for e in phone.json()["errors"]] == [
        "不是有效的电话号码：含有电话号码中不会出现的字符"
    ]


async def test_a_refused_follow_up_is_told_in_the_readers_language(
    seeded: tuple[Intake, Any],
) -> None:
    intake, place = seeded
    filed = await intake.file(place.site_id)
    base = f"/v1/complaints/{filed['id']}"
    await intake.ok("POST", f"{base}/withdrawal", json={}, status=201)

    zh = await intake.request(
        "POST", f"{base}/supplements", json={"text": "还有"}, headers={"Accept-Language": "zh-CN"}
    )
    en = await intake.request("POST", f"{base}/supplements", json={"text": "one more"})

    assert is_problem(zh, 409), zh.text
    assert zh.headers["content-language"] == "zh-CN"
    assert zh.json()["title"] == "状态冲突"
    assert zh.json()["detail"] == f"投诉 {filed['reference']} 已撤回，不能再补充内容或撤回"
    assert en.json()["detail"] == (
        f"Complaint {filed['reference']} is withdrawn; it takes no follow-ups"
    )


async def test_a_body_too_large_is_refused_in_the_readers_language(intake: Intake) -> None:
    response = await intake.request(
        "POST",
        "/v1/complaints",
        content=b"{}" + b" " * (70 * 1024),
        headers={**JSON, "Accept-Language": "zh-CN"},
    )

    assert is_problem(response, 413), response.text
    assert response.json()["detail"] == "请求体超过该接口允许的大小（64 KB）"


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b'{"site_id": "\xff\xfe"}', "application/json", 422),
        (b'{"site_id": ', "application/json", 422),
        (b"site_id=x", "application/x-www-form-urlencoded", 422),
        (b"{}" + b" " * (70 * 1024), "application/json", 413),
    ],
    ids=["not-utf8", "truncated-json", "form", "too-large"],
)
async def test_unreadable_bodies_are_refused_with_a_problem(
    intake: Intake, content: bytes, content_type: str, status: int
) -> None:
    response = await intake.request(
        "POST", "/v1/complaints", content=content, headers={"Content-Type": content_type}
    )

    assert is_problem(response, status), response.text


async def test_a_streamed_body_past_the_limit_is_cut_off(intake: Intake) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b" " * 1024

    response = await intake.request(
        "POST", "/v1/complaints", content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert is_problem(response, 413), response.text


async def test_bad_queries_paths_and_headers_are_refused_with_a_problem(
    seeded: tuple[Intake, Any],
) -> None:
    intake, place = seeded
    created = await intake.file(place.site_id)
    cases = {
        "status-unknown": ("GET", "/v1/complaints?status=lost", 422),
        "limit-zero": ("GET", "/v1/complaints?limit=0", 422),
        "limit-huge": ("GET", "/v1/complaints?limit=99999999999999999999", 422),
        "naive-time": ("GET", "/v1/complaints?received_from=2024-01-01T00:00:00", 422),
        "q-nul": ("GET", "/v1/complaints?q=a%00b", 422),
        "q-too-long": ("GET", f"/v1/complaints?q={'a' * 201}", 422),
        "ids-nul": ("GET", "/v1/complaints?id=a&id=b%00c", 422),
        "ids-empty": ("GET", "/v1/complaints?id=", 422),
        "ids-101": ("GET", "/v1/complaints?" + "&".join(f"id=c{n}" for n in range(101)), 422),
        "cursor-garbage": ("GET", "/v1/complaints?cursor=%%%", 400),
        "cursor-wrong-types": ("GET", "/v1/complaints?cursor=WzEsMl0", 400),
        "cursor-naive-time": (
            "GET",
            "/v1/complaints?cursor=WyIyMDI0LTAxLTAxVDAwOjAwOjAwIiwiYSJd",
            400,
        ),
        "sites-cursor-number": ("GET", "/v1/sites?cursor=WzFd", 400),
        "id-nul": ("GET", "/v1/complaints/a%00b", 422),
        "id-surrogate": ("GET", "/v1/complaints/%ED%A0%80", 422),
        "id-too-long": ("GET", f"/v1/complaints/{'a' * 65}", 422),
        "reference-format": ("GET", "/v1/complaints/by-reference/not-a-reference", 422),
        "site-id-space": ("GET", "/v1/sites/a%20b", 422),
        "caller-letters": ("GET", "/v1/callers?phone=abc", 422),
        "caller-missing": ("GET", "/v1/callers", 422),
        "households-unit-nul": ("GET", f"/v1/sites/{place.site_id}/households?unit_id=%00", 422),
    }
    answers = {}
    for name, (method, path, status) in cases.items():
        response = await intake.request(method, path)
        answers[name] = (response.status_code, is_problem(response, status))
    long_key = await intake.request(
        "POST",
        "/v1/complaints",
        json=complaint_body(place.site_id),
        headers={"Idempotency-Key": "k" * 201},
    )
    empty_supplement = await intake.request(
        "POST", f"/v1/complaints/{created['id']}/supplements", json={"text": ""}
    )

    assert {n: a for n, a in answers.items() if not a[1]} == {}
    assert is_problem(long_key, 422)
    assert is_problem(empty_supplement, 422)


async def test_bad_directory_input_is_refused_with_a_problem(seeded: tuple[Intake, Any]) -> None:
    intake, place = seeded
    base = f"/v1/sites/{place.site_id}"
    cases = {
        "retention-huge": ("PATCH", base, {"retention_years": 10**30}, 422),
        "retention-zero": ("PATCH", base, {"retention_years": 0}, 422),
        "site-code-lower": ("POST", "/v1/sites", {"code": "gh", "name": "x"}, 422),
        "site-name-nul": ("POST", "/v1/sites", {"code": "NUL", "name": f"a{NUL}"}, 422),
        "site-unknown-field": ("POST", "/v1/sites", {"code": "UF", "name": "x", "x": 1}, 422),
        "building-empty-code": ("POST", f"{base}/buildings", {"code": "  "}, 422),
        "unit-floor-huge": (
            "POST",
            f"{base}/units",
            {"building_id": place.building_id, "number": "9", "floor": 10**12},
            422,
        ),
        "household-moved-in-bad": (
            "POST",
            f"{base}/households",
            {"unit_id": place.unit_id, "name": "A", "moved_in_on": "2024-02-30"},
            422,
        ),
        "household-six-phones": (
            "POST",
            f"{base}/households",
            {"unit_id": place.unit_id, "name": "A", "phones": ["1380000000"] * 6},
            422,
        ),
        "household-email": (
            "POST",
            f"{base}/households",
            {"unit_id": place.unit_id, "name": "A", "email": "not-an-email"},
            422,
        ),
        "household-null-phones": (
            "PATCH",
            f"{base}/households/{place.household_id}",
            {"phones": None},
            422,
        ),
    }
    answers = {}
    for name, (method, path, body, status) in cases.items():
        response = await intake.request(method, path, json=body)
        answers[name] = (response.status_code, is_problem(response, status))

    assert {n: a for n, a in answers.items() if not a[1]} == {}
