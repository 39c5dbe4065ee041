"""The complaint record, transmittal slip and assignment notice as printable HTML pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from routing_harness import Routing

pytestmark = pytest.mark.integration


async def a_worked_case(routing: Routing) -> dict[str, Any]:
    staff = routing.staff
    case = await routing.opened(description="电梯停在<b>三楼</b> & 不动")
    path = f"/v1/cases/{case['case_id']}"
    due = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    for sub, action, body in (
        (case["handler"], "accept", None),
        (case["handler"], "progress", {"note": "已联系电梯公司"}),
        (case["handler"], "validity", {"valid": True}),
        (case["handler"], "transmittals", {"reason": "需工程部处理"}),
        (
            staff.cs_head,
            "assignment-notices",
            {"department": "engineering", "instructions": "今日内修复", "due_at": due},
        ),
        (staff.eng_handler, "resolution", {"result": "更换控制板", "reply": "电梯已恢复运行"}),
    ):
        response = await routing.post(f"{path}/{action}", sub, body)
        assert response.status_code == 200, response.text
    return case


async def page(routing: Routing, path: str, lang: str | None = None) -> str:
    params = {"lang": lang} if lang else {}
    response = await routing.get(path, routing.staff.gm, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


async def test_the_complaint_record_in_chinese_and_english(routing: Routing) -> None:
    case = await a_worked_case(routing)
    path = f"/v1/cases/{case['case_id']}/documents/complaint-record"
    chinese = await page(routing, path)
    english = await page(routing, path, "en")

    for words in (
        "顾客投诉处理记录表",
        "翠湖花园管理处",
        "工程部",
        "有效投诉",
        "更换控制板",
        "电梯已恢复运行",
        "已联系电梯公司",
        "上报",
        "工作安排通知",
        case["reference"],
        '<html lang="zh-CN">',
        "本表保存两年",
    ):
        assert words in chinese, words
    for words in (
        "Complaint record",
        "Engineering",
        "Valid complaint",
        "Escalated",
        "Kept on file for two years",
        '<html lang="en">',
    ):
        assert words in english, words
    assert "<b>三楼</b>" not in chinese
    assert "&lt;b&gt;三楼&lt;/b&gt; &amp; 不动" in chinese
    # The resident's name, room and phone and the callback's comment are blanks: routing
    # holds none of them; the console fills them in from intake and notify.
    for blank in ("reporter_name", "reporter_room", "reporter_phone", "callback_comment"):
        assert f'data-fill="{blank}"></td>' in chinese, blank
    for words in ("投诉人姓名", "房号", "联系电话", "回访结果", "回访意见", "3-2-501"):
        assert words in chinese, words
    assert "未即时答复" in chinese
    assert "Not answered on the spot" in english


async def test_the_record_of_an_immediate_reply_and_its_callback(routing: Routing) -> None:
    case = await routing.opened(immediate_reply="已告知业主明早八点恢复供水", location="2栋-1201")
    await routing.callback(
        case, satisfied=True, outcome_level="satisfied", speed_level="very_satisfied",
        attitude_level="satisfied",
    )  # fmt: skip
    await routing.wait_event(case["complaint_id"], "case.closed")
    path = f"/v1/cases/{case['case_id']}/documents/complaint-record"
    chinese, english = await page(routing, path), await page(routing, path, "en")

    for words in (
        "即时答复",
        "已告知业主明早八点恢复供水",
        "即时答复时间",
        "受理时即时答复",
        "满意（处理速度：很满意；服务态度：满意）",
        "2栋-1201",
    ):
        assert words in chinese, words
    for words in (
        "Replied on the spot",
        "Answered on the spot when it was received",
        "Satisfied (speed: Very satisfied; attitude: Satisfied)",
    ):
        assert words in english, words
    for raw in ("Answered on the spot when the complaint", "very_satisfied", ">satisfied<"):
        assert raw not in chinese, raw
        assert raw not in english, raw


async def test_the_transmittal_slip_and_the_notice(routing: Routing) -> None:
    case = await a_worked_case(routing)
    ref, base = case["reference"], f"/v1/cases/{case['case_id']}"
    slip = await page(routing, f"{base}/slips/{ref}-T1/document")
    notice = await page(routing, f"{base}/notices/{ref}-N1/document")
    notice_en = await page(routing, f"{base}/notices/{ref}-N1/document", "en")

    for words in (
        "工作传签单",
        f"{ref}-T1",
        "需工程部处理",
        "陈经理",
        "部门负责人",
        f"签发工作安排通知单 {ref}-N1，由工程部负责",
        "更换控制板",
    ):
        assert words in slip, words
    for words in ("工作安排通知单", "工程部", "今日内修复", "钱师傅", f"{ref}-T1", "完成时限"):
        assert words in notice, words
    assert "Work assignment notice" in notice_en
    assert "Engineering" in notice_en
    # Both name the resident (a blank the console fills in) and where: the complaint's place.
    for document in (slip, notice):
        assert 'data-fill="reporter_name"></td>' in document
        assert 'data-fill="reporter_room"></td>' in document
        assert "3-2-501" in document
        assert "reporter_phone" not in document


@pytest.mark.parametrize(
    "suffix", ["documents/complaint-record?lang=fr", "slips/NOPE/document", "notices/NOPE/document"]
)
async def test_unknown_documents_and_languages_are_problems(routing: Routing, suffix: str) -> None:
    case = await routing.opened()
    response = await routing.get(f"/v1/cases/{case['case_id']}/{suffix}", routing.staff.gm)
    assert response.status_code in (404, 422)
    assert response.headers["content-type"] == "application/problem+json"
