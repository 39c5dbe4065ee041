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


@pytest.mark.parametrize(
    "suffix", ["documents/complaint-record?lang=fr", "slips/NOPE/document", "notices/NOPE/document"]
)
async def test_unknown_documents_and_languages_are_problems(routing: Routing, suffix: str) -> None:
    case = await routing.opened()
    response = await routing.get(f"/v1/cases/{case['case_id']}/{suffix}", routing.staff.gm)
    assert response.status_code in (404, 422)
    assert response.headers["content-type"] == "application/problem+json"
