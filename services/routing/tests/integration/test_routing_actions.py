"""Every case action over HTTP, the event each one emits, and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from routing_harness import Routing, committed

from routing.cases.deadlines import FOLLOW_UP, SLA
from shared import timers
from shared.clock import Clock, utcnow
from shared.db.engine import reading
from shared.testing.inprocess import timer_rounds

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


async def armed(routing: Routing, case_id: str) -> dict[str, datetime]:
    """The timers set for the case: kind -> due time."""
    async with reading(routing.db) as session:
        found = {
            kind: await timers.pending(session, kind=kind, key=case_id) for kind in (SLA, FOLLOW_UP)
        }
    return {kind: t.due_at for kind, t in found.items() if t is not None}


async def act(
    routing: Routing, case: dict[str, Any], action: str, sub: str, body: Any = None
) -> dict[str, Any]:
    response = await routing.post(f"/v1/cases/{case['case_id']}/{action}", sub, body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def versions(routing: Routing, complaint_id: str) -> list[tuple[int, str]]:
    found = [(e["aggregate_version"], e["type"]) for e in routing.of(complaint_id)]
    return sorted(found)


async def test_accept_progress_judge_resolve_and_a_satisfied_callback(routing: Routing) -> None:
    case = await routing.opened()
    handler = case["handler"]

    accepted = await act(routing, case, "accept", handler)
    assert (accepted["status"], accepted["acknowledged_at"] is not None) == ("in_progress", True)
    assert await armed(routing, case["case_id"]) == {
        SLA: datetime.fromisoformat(case["resolve_due_at"])
    }
    await act(routing, case, "progress", handler, {"note": "电工已上门检查"})
    await act(routing, case, "validity", handler, {"valid": True})
    resolved = await act(
        routing, case, "resolution", handler, {"result": "换了灯管", "reply": "灯已修好"}
    )
    assert resolved["status"] == "resolved"
    assert await armed(routing, case["case_id"]) == {}
    await routing.callback(case, satisfied=True)
    (closed,) = await routing.wait_event(case["complaint_id"], "case.closed")

    assert versions(routing, case["complaint_id"]) == [
        (1, "case.assigned"),
        (2, "case.accepted"),
        (3, "case.progressed"),
        (4, "case.validity_judged"),
        (5, "case.resolved"),
        (6, "case.closed"),
    ]
    by_type = {e["type"]: e["data"] for e in routing.of(case["complaint_id"])}
    assert by_type["case.accepted"]["actor"] == handler
    assert by_type["case.progressed"]["note"] == "电工已上门检查"
    assert (
        by_type["case.validity_judged"]["valid"],
        by_type["case.validity_judged"]["reason"],
    ) == (True, None)
    assert (by_type["case.resolved"]["result"], by_type["case.resolved"]["reply"]) == (
        "换了灯管",
        "灯已修好",
    )
    assert closed["data"]["callback_id"].startswith("cb-")
    detail = (await routing.get(f"/v1/cases/{case['case_id']}", handler)).json()
    assert detail["status"] == "closed"
    assert [h["type"] for h in detail["history"]] == [
        t for _, t in versions(routing, case["complaint_id"])
    ]


async def test_a_developer_complaint_is_chased_until_the_developer_answers(
    routing: Routing, frozen_clock: Clock
) -> None:
    admin = routing.headers(routing.staff.admin, "admin")
    rules = await routing.client.put(
        f"/v1/sites/{routing.staff.site}/rules", json={"developer_follow_up": "PT1S"}, headers=admin
    )
    assert rules.status_code == 200, rules.text
    case = await routing.opened(category="other")
    handler = case["handler"]
    await act(routing, case, "accept", handler)

    early = await routing.post(f"/v1/cases/{case['case_id']}/developer-forwarding", handler, {})
    assert (early.status_code, early.headers["content-type"]) == (409, PROBLEM)
    await act(routing, case, "validity", handler, {"valid": False, "reason": "developer"})
    forwarded = await act(
        routing, case, "developer-forwarding", handler, {"note": "外墙渗水，属保修"}
    )
    assert forwarded["status"] == "with_developer"
    assert set(await armed(routing, case["case_id"])) == {FOLLOW_UP}

    reminders = await routing.wait_event(case["complaint_id"], "case.follow_up_reminded", count=2)
    assert [r["data"]["reminder"] for r in reminders[:2]] == [1, 2]
    assert reminders[0]["data"]["handler"] == handler
    answered = await act(routing, case, "developer-answer", handler, {"answer": "发展商下周维修"})
    of_case = {"complaint_id": case["complaint_id"]}
    assert answered["status"] == "in_progress"
    assert await armed(routing, case["case_id"]) == {
        SLA: datetime.fromisoformat(answered["resolve_due_at"])
    }
    reminded = await committed(routing, "case.follow_up_reminded", **of_case)
    # Ten follow-up periods later by the clock, and two whole timer rounds after that: a
    # reminder still armed would have fired and been committed.
    frozen_clock.freeze(utcnow() + timedelta(seconds=10))
    await timer_rounds(routing.app)
    assert await committed(routing, "case.follow_up_reminded", **of_case) == reminded
    answer = await routing.wait_event(case["complaint_id"], "case.developer_answered")
    assert answer[0]["data"]["answer"] == "发展商下周维修"
    assert [v for v, _ in versions(routing, case["complaint_id"])] == list(
        range(1, len(routing.of(case["complaint_id"])) + 1)
    )


async def test_a_forwarding_and_its_reminders_carry_what_their_mails_say_and_the_answer_shows(
    routing: Routing,
) -> None:
    admin = routing.headers(routing.staff.admin, "admin")
    rules = await routing.client.put(
        f"/v1/sites/{routing.staff.site}/rules", json={"developer_follow_up": "PT1S"}, headers=admin
    )
    assert rules.status_code == 200, rules.text
    case = await routing.opened(category="other", description="外墙渗水", location="3-2-501")
    handler = case["handler"]
    await act(routing, case, "accept", handler)
    await act(routing, case, "validity", handler, {"valid": False, "reason": "developer"})
    await act(routing, case, "developer-forwarding", handler, {"note": "属保修"})

    (forwarded,) = await routing.wait_event(case["complaint_id"], "case.forwarded_to_developer")
    (reminder,) = await routing.wait_event(case["complaint_id"], "case.follow_up_reminded")
    told = {k: forwarded["data"][k] for k in ("reference", "description", "location", "note")}
    assert told == {
        "reference": case["reference"],
        "description": "外墙渗水",
        "location": "3-2-501",
        "note": "属保修",
    }
    for event in (forwarded, reminder):
        data = event["data"]
        assert (data["handler"], data["handler_name"]) == (handler, case["handler_name"])
        assert (data["department"], data["department_name_zh"]) == (
            case["department"],
            case["department_name_zh"],
        )
        assert data["handler_name"]
        assert data["department_name_zh"]
    assert (reminder["data"]["reference"], reminder["data"]["description"]) == (
        case["reference"],
        "外墙渗水",
    )

    await act(routing, case, "developer-answer", handler, {"answer": "发展商下周维修"})
    detail = (await routing.get(f"/v1/cases/{case['case_id']}", handler)).json()
    answers = [h for h in detail["history"] if h["type"] == "case.developer_answered"]
    assert len(answers) == 1, detail["history"]
    assert answers[0]["data"]["answer"] == "发展商下周维修"


async def test_transmittal_up_to_the_gm_and_a_notice_back_down(routing: Routing) -> None:
    staff = routing.staff
    case = await routing.opened()
    handler = case["handler"]
    await act(routing, case, "accept", handler)

    first = await act(routing, case, "transmittals", handler, {"reason": "需要工程部配合"})
    assert (first["status"], first["level"], first["owner"]) == (
        "transmitted",
        "dept_head",
        staff.cs_head,
    )
    again = await routing.post(
        f"/v1/cases/{case['case_id']}/transmittals", handler, {"reason": "x"}
    )
    assert (again.status_code, again.headers["content-type"]) == (403, PROBLEM)
    second = await act(
        routing, case, "transmittals", staff.cs_head, {"reason": "跨部门，需副总协调"}
    )
    assert (second["level"], second["owner"]) == ("vp", staff.vp)
    third = await act(routing, case, "transmittals", staff.vp, {"reason": "涉及费用，报总经理"})
    assert (third["level"], third["owner"]) == ("gm", staff.gm)
    top = await routing.post(f"/v1/cases/{case['case_id']}/transmittals", staff.gm, {"reason": "x"})
    assert (top.status_code, top.headers["content-type"]) == (409, PROBLEM)

    due = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    notice = {"department": "engineering", "instructions": "两日内修复并回复业主", "due_at": due}
    noticed = await act(routing, case, "assignment-notices", staff.gm, notice)
    assert (noticed["status"], noticed["department"], noticed["level"]) == (
        "in_progress",
        "engineering",
        "handler",
    )
    assert noticed["handler"] == noticed["owner"] == staff.eng_handler
    assert datetime.fromisoformat(noticed["resolve_due_at"]) == datetime.fromisoformat(due)
    await act(
        routing,
        case,
        "resolution",
        staff.eng_handler,
        {"result": "已修复", "reply": "已修复，请查看"},
    )

    await routing.wait_event(case["complaint_id"], "case.resolved")
    escalated = routing.of(case["complaint_id"], "case.escalated")
    ref = case["reference"]
    assert [
        (e["data"]["level"], e["data"]["reason"], e["data"]["slip_number"]) for e in escalated
    ] == [
        ("dept_head", "transmittal", f"{ref}-T1"),
        ("vp", "transmittal", f"{ref}-T2"),
        ("gm", "transmittal", f"{ref}-T3"),
    ]
    assert escalated[0]["data"]["note"] == "需要工程部配合"
    (noticed_event,) = routing.of(case["complaint_id"], "case.assignment_noticed")
    assert noticed_event["data"]["notice_number"] == f"{ref}-N1"
    assert noticed_event["data"]["slip_number"] == f"{ref}-T3"
    assert noticed_event["data"]["handler"] == staff.eng_handler
    names = {k: noticed_event["data"][k] for k in ("department_name", "department_name_zh")}
    assert names == {"department_name": "Engineering", "department_name_zh": "工程部"}
    assert noticed_event["data"]["handler_name"] == "钱师傅"

    detail = (await routing.get(f"/v1/cases/{case['case_id']}", staff.gm)).json()
    slips = {s["number"]: s for s in detail["slips"]}
    assert [(s["from_level"], s["to_level"], s["to_id"]) for s in slips.values()] == [
        ("handler", "dept_head", staff.cs_head),
        ("dept_head", "vp", staff.vp),
        ("vp", "gm", staff.gm),
    ]
    assert slips[f"{ref}-T1"]["decision"] == f"Transmitted further on slip {ref}-T2"
    assert slips[f"{ref}-T3"]["decision"] == f"Work assignment notice {ref}-N1 to engineering"
    assert {s["outcome"] for s in slips.values()} == {"已修复"}
    (filed,) = detail["notices"]
    assert (filed["issued_by"], filed["issued_level"], filed["outcome"]) == (
        staff.gm,
        "gm",
        "已修复",
    )


async def test_an_unsatisfied_resident_reopens_and_escalates_until_satisfied(
    routing: Routing,
) -> None:
    staff = routing.staff
    case = await routing.opened()
    handler = case["handler"]
    await act(routing, case, "accept", handler)
    for round_, level in enumerate(("dept_head", "vp"), start=1):
        await act(
            routing, case, "resolution", handler, {"result": f"第{round_}次处理", "reply": "已处理"}
        )
        await routing.callback(case, satisfied=False)
        await routing.wait_event(case["complaint_id"], "case.reopened", count=round_)
        (*_, escalation) = await routing.wait_event(
            case["complaint_id"], "case.escalated", count=round_
        )
        assert (escalation["data"]["level"], escalation["data"]["reason"]) == (level, "unsatisfied")
        detail = (await routing.get(f"/v1/cases/{case['case_id']}", handler)).json()
        assert (detail["status"], detail["level"], detail["reopen_count"]) == (
            "in_progress",
            level,
            round_,
        )
        assert (await armed(routing, case["case_id"]))[SLA] == datetime.fromisoformat(
            detail["resolve_due_at"]
        )
    assert detail["owner"] == staff.vp
    await act(routing, case, "resolution", handler, {"result": "总算修好", "reply": "已修好"})
    await routing.callback(case, satisfied=True)
    await routing.wait_event(case["complaint_id"], "case.closed")
    types = [t for _, t in versions(routing, case["complaint_id"])]
    assert types == [
        "case.assigned",
        "case.accepted",
        "case.resolved",
        "case.reopened",
        "case.escalated",
        "case.resolved",
        "case.reopened",
        "case.escalated",
        "case.resolved",
        "case.closed",
    ]


async def test_illegal_transitions_are_409_problems(routing: Routing) -> None:
    case = await routing.opened()
    handler = case["handler"]
    for action, body in (
        ("progress", {"note": "x"}),
        ("validity", {"valid": True}),
        ("resolution", {"result": "r", "reply": "r"}),
        ("developer-answer", {"answer": "a"}),
    ):
        refused = await routing.post(f"/v1/cases/{case['case_id']}/{action}", handler, body)
        assert refused.status_code == 409, (action, refused.text)
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json()["case_status"] == "assigned"
    await act(routing, case, "accept", handler)
    twice = await routing.post(f"/v1/cases/{case['case_id']}/accept", handler)
    assert (twice.status_code, twice.json()["action"]) == (409, "accept")
    assert len(await routing.wait_event(case["complaint_id"], "case.accepted")) == 1


async def test_a_refusal_is_told_in_the_readers_language(routing: Routing) -> None:
    case = await routing.opened()
    path = f"/v1/cases/{case['case_id']}/progress"
    headers = {**routing.headers(case["handler"]), "Accept-Language": "zh-CN,zh;q=0.9"}
    refused = await routing.client.post(path, json={"note": "x"}, headers=headers)
    assert refused.status_code == 409
    assert refused.headers["content-language"] == "zh-CN"
    problem = refused.json()
    assert (problem["title"], problem["detail"]) == ("状态冲突", "投诉当前为“已分派”，不能更新进展")
    english = await routing.post(path, case["handler"], {"note": "x"})
    assert english.json()["detail"] == "A case that is assigned cannot progress"
    missing = await routing.client.get("/v1/cases/nope", headers=headers)
    assert missing.json()["detail"] == "投诉案件 nope 不存在，或您无权查看"


async def test_a_validators_refusal_is_said_in_chinese_and_stays_the_same_in_english(
    routing: Routing,
) -> None:
    case = await routing.opened()
    path = f"/v1/cases/{case['case_id']}/validity"
    headers = {**routing.headers(case["handler"]), "Accept-Language": "zh-CN,zh;q=0.9"}
    zh = await routing.client.post(path, json={"valid": False}, headers=headers)
    assert zh.status_code == 422, zh.text
    said = "无效投诉须填写原因（reason）"
    assert [(e["field"], e["message"]) for e in zh.json()["errors"]] == [("body", said)]
    assert zh.json()["detail"] == f"请求无效：body：{said}"
    en = await routing.post(path, case["handler"], {"valid": False})
    assert en.status_code == 422, en.text
    english = "Value error, an invalid complaint needs a reason"
    assert en.json()["errors"] == [
        {"in": "body", "field": "body", "message": english, "type": "value_error"}
    ]
    assert en.json()["detail"] == f"The request is not valid: body: {english}"


async def test_who_may_act_is_checked_against_the_organisation(routing: Routing) -> None:
    staff = routing.staff
    case = await routing.opened()
    outsider = await routing.post(f"/v1/cases/{case['case_id']}/accept", staff.eng_handler)
    assert (outsider.status_code, outsider.headers["content-type"]) == (403, PROBLEM)
    unknown = await routing.post(f"/v1/cases/{case['case_id']}/accept", "someone-else")
    assert unknown.status_code == 403
    callcenter = await routing.client.post(
        f"/v1/cases/{case['case_id']}/accept", headers=routing.headers(staff.cs_head, "callcenter")
    )
    assert callcenter.status_code == 403
    elsewhere = await routing.client.post(
        f"/v1/cases/{case['case_id']}/accept",
        headers=routing.headers(case["handler"], "handler", sites=["another-site"]),
    )
    assert (elsewhere.status_code, elsewhere.headers["content-type"]) == (404, PROBLEM)
    head = await act(routing, case, "accept", staff.cs_head)  # the head may take it on
    assert head["handler"] == case["handler"]
    (accepted,) = await routing.wait_event(case["complaint_id"], "case.accepted")
    assert accepted["data"]["actor"] == staff.cs_head


async def offered(routing: Routing, case: dict[str, Any], sub: str, *roles: str) -> list[str]:
    """The actions the case page offers `sub` (with `roles`, or their own role)."""
    response = await routing.client.get(
        f"/v1/cases/{case['case_id']}", headers=routing.headers(sub, *roles)
    )
    assert response.status_code == 200, response.text
    return list(response.json()["actions"])


async def test_the_case_page_offers_each_person_what_they_may_do_now(routing: Routing) -> None:
    staff = routing.staff
    case = await routing.opened()
    handler = case["handler"]
    assert await offered(routing, case, handler) == ["accept"]
    assert await offered(routing, case, staff.eng_handler) == []
    assert await offered(routing, case, "someone-else") == []
    assert await offered(routing, case, handler, "surveyor") == []  # no role to act with

    await act(routing, case, "accept", handler)
    work = ["progress", "judge_validity", "transmit", "resolve"]
    assert await offered(routing, case, handler) == work
    assert await offered(routing, case, staff.eng_handler) == []
    refused = await routing.post(
        f"/v1/cases/{case['case_id']}/progress", staff.eng_handler, {"note": "n"}
    )
    assert (refused.status_code, refused.headers["content-type"]) == (403, PROBLEM)
    await act(routing, case, "validity", handler, {"valid": False, "reason": "developer"})
    assert await offered(routing, case, handler) == [*work[:3], "forward_to_developer", "resolve"]

    await act(routing, case, "developer-forwarding", handler, {})
    assert await offered(routing, case, handler) == ["progress", "record_developer_answer"]
    not_offered = await routing.post(
        f"/v1/cases/{case['case_id']}/resolution", handler, {"result": "r", "reply": "r"}
    )
    assert (not_offered.status_code, not_offered.headers["content-type"]) == (409, PROBLEM)
    await act(routing, case, "developer-answer", handler, {"answer": "发展商已维修"})
    await act(routing, case, "resolution", handler, {"result": "r", "reply": "r"})
    assert await offered(routing, case, handler) == []


async def test_a_transmitted_case_offers_its_holder_the_notice(routing: Routing) -> None:
    staff = routing.staff
    case = await routing.opened()
    await act(routing, case, "accept", case["handler"])
    await act(routing, case, "transmittals", case["handler"], {"reason": "超出权限"})
    assert await offered(routing, case, case["handler"]) == ["progress"]
    assert await offered(routing, case, staff.cs_head) == ["progress", "transmit", "issue_notice"]
    assert await offered(routing, case, staff.cs_head, "admin") == [
        "progress",
        "transmit",
        "issue_notice",
    ]
    assert await offered(routing, case, staff.eng_handler) == []


async def test_a_retried_action_with_the_same_key_happens_once(routing: Routing) -> None:
    case = await routing.opened()
    handler = case["handler"]
    await act(routing, case, "accept", handler)
    path = f"/v1/cases/{case['case_id']}/progress"
    key = {"Idempotency-Key": f"k-{case['case_id']}"}
    first = await routing.client.post(
        path, json={"note": "n"}, headers={**routing.headers(handler), **key}
    )
    again = await routing.client.post(
        path, json={"note": "n"}, headers={**routing.headers(handler), **key}
    )
    other = await routing.client.post(
        path, json={"note": "m"}, headers={**routing.headers(handler), **key}
    )

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert (other.status_code, other.headers["content-type"]) == (422, PROBLEM)
    await routing.wait_event(case["complaint_id"], "case.progressed")
    # The replay's answer came back: anything it wrote is committed by now.
    assert len(await committed(routing, "case.progressed", complaint_id=case["complaint_id"])) == 1


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("validity", {"valid": False}),
        ("validity", {"valid": True, "reason": "developer"}),
        ("validity", {"valid": False, "reason": "the weather"}),
        ("progress", {"note": ""}),
        ("progress", {"note": "x", "extra": 1}),
        ("resolution", {"result": "only a result"}),
        ("transmittals", {}),
        (
            "assignment-notices",
            {"department": "engineering", "instructions": "x", "due_at": "soon"},
        ),
        (
            "assignment-notices",
            {"department": "engineering", "instructions": "x", "due_at": "2026-01-01T00:00:00"},
        ),
    ],
)
async def test_bad_bodies_are_422_problems(
    routing: Routing, action: str, body: dict[str, Any]
) -> None:
    case = await routing.opened()
    await act(routing, case, "accept", case["handler"])
    response = await routing.post(f"/v1/cases/{case['case_id']}/{action}", case["handler"], body)
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    assert response.json()["errors"]


async def test_a_notice_must_name_a_real_department_and_a_future_time(routing: Routing) -> None:
    staff = routing.staff
    case = await routing.opened()
    await act(routing, case, "accept", case["handler"])
    await act(routing, case, "transmittals", case["handler"], {"reason": "超出权限"})
    path = f"/v1/cases/{case['case_id']}/assignment-notices"
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    for body, words in (
        ({"department": "laundry", "instructions": "x", "due_at": future}, "no department laundry"),
        ({"department": "engineering", "instructions": "x", "due_at": past}, "future"),
        (
            {
                "department": "engineering",
                "instructions": "x",
                "due_at": future,
                "handler": case["handler"],
            },
            "not active staff",
        ),
    ):
        response = await routing.post(path, staff.cs_head, body)
        assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
        assert words in response.json()["detail"]
    named = await act(
        routing,
        case,
        "assignment-notices",
        staff.cs_head,
        {
            "department": "engineering",
            "instructions": "x",
            "due_at": future,
            "handler": staff.eng_handler,
        },
    )
    assert named["handler"] == staff.eng_handler
