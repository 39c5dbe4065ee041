"""Everyone with work is told (issue 14.5): each rectification team its own items and due
times, each corrective-action owner the action, the handler a deadline drawing near, and
alerts that name the department and the handler and carry the complaint's text; in the
recipient's language."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from notify_harness import Notify, case_fields, eventually, hex_id, staff_member
from notify_receivers import HttpServer, MailServer

from notify.messages.work import team_source
from shared.clock import utcnow
from shared.contracts.routing import (
    CaseEscalated,
    CorrectiveActionOverdue,
    CorrectiveActionPlanned,
    PlanItem,
    RectificationItemOverdue,
    RectificationOpened,
    SlaBreached,
    SlaWarned,
)

pytestmark = pytest.mark.integration

DUE = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # 17:00 in Shanghai


async def organisation(notify: Notify) -> str:
    """Engineering (a head and a handler), cleaning (no head, two staff by SMS and mail)."""
    site = hex_id("site-")
    await notify.put_site(site)
    await notify.put_staff(
        site,
        [
            staff_member("eng-head", "dept_head", "engineering"),
            staff_member("eng-1", "handler", "engineering", locale="en"),
            staff_member("cln-1", "handler", "cleaning", email=None, phone="13911110000"),
            staff_member("cln-2", "handler", "cleaning", locale="en"),
            staff_member("vp-1", "vp", None),
        ],
    )
    return site


def reached(deliveries: list[dict[str, Any]]) -> set[str]:
    return {d["recipient_key"].removeprefix("staff:") for d in deliveries}


def opened(site: str, items: list[PlanItem]) -> RectificationOpened:
    return RectificationOpened(
        rectification_id=str(uuid.uuid4()),
        number="RC-2026-011",
        site_id=site,
        at=utcnow(),
        origin="manager",
        title="地下车库整改",
        problem="车库照明不足、地面积水",
        measures="更换灯具，疏通排水",
        due_at=DUE,
        items=items,
    )


async def test_each_rectification_team_gets_its_own_items_and_due_times(
    notify: Notify, mail_server: MailServer, http_server: HttpServer
) -> None:
    site = await organisation(notify)
    event = opened(
        site,
        [
            PlanItem(position=1, team="engineering", task="更换车库灯具", due_at=DUE),
            PlanItem(position=2, team="cleaning", task="清理地面积水", due_at=DUE),
            PlanItem(position=3, team="engineering", task="疏通排水沟", due_at=DUE),
        ],
    )

    source = await notify.emit(event)
    engineering = await notify.settled(team_source(source, "engineering"), 1)
    cleaning = await notify.settled(team_source(source, "cleaning"), 2)

    assert reached(engineering) == {"eng-head"}
    assert reached(cleaning) == {"cln-1", "cln-2"}  # cleaning has no head
    [mail] = mail_server.to("eng-head@staff.example")
    assert mail.subject == "【翠苑小区】整改任务：RC-2026-011 地下车库整改"
    assert "1. 更换车库灯具（请于 2026-12-10 17:00 前完成）" in mail.body
    assert "3. 疏通排水沟（请于 2026-12-10 17:00 前完成）" in mail.body
    assert "清理地面积水" not in mail.body  # another team's item
    [sms] = http_server.at("/sms")
    assert "2. 清理地面积水" in sms.json["text"]
    assert "更换车库灯具" not in sms.json["text"]
    [english] = mail_server.to("cln-2@staff.example")
    assert "2. 清理地面积水 (due by 2026-12-10 17:00)" in english.body


async def test_a_rectification_without_items_tells_no_team(notify: Notify) -> None:
    site = await organisation(notify)

    source = await notify.emit(opened(site, []))

    async def handled() -> bool:
        found = await notify.scalar("SELECT count(*) FROM inbox WHERE message_id = :m", m=source)
        return bool(found)

    assert await eventually(handled, True)
    assert await notify.deliveries(source_id=source) == []


async def test_a_corrective_action_owner_is_told_the_action_and_due_time(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    planned = CorrectiveActionPlanned(
        action_id=str(uuid.uuid4()),
        number="CA-2026-004",
        site_id=site,
        kind="corrective",
        at=utcnow(),
        analysis="保洁排班不足",
        action="增加晚班保洁",
        owner="eng-1",
        due_at=DUE,
    )

    deliveries = await notify.settled(await notify.emit(planned), 1)

    assert reached(deliveries) == {"eng-1"}
    [mail] = mail_server.to("eng-1@staff.example")
    assert mail.subject == "[翠苑小区] Corrective action CA-2026-004 is yours"
    assert "please carry it out by 2026-12-10 17:00" in mail.body
    assert "Action: 增加晚班保洁" in mail.body


NAMES = {
    "department_name": "Engineering",
    "department_name_zh": "工程部",
    "handler": "eng-1",
    "handler_name": "钱师傅",
    "description": "电梯停在十二楼两天了",
}


async def test_an_escalation_alert_names_the_department_and_handler_with_the_text(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    fields = case_fields(site, str(uuid.uuid4()))
    escalated = CaseEscalated(
        **fields, level="vp", reason="sla", owner="vp-1", department="engineering", **NAMES
    )

    deliveries = await notify.settled(await notify.emit(escalated), 1)

    assert reached(deliveries) == {"vp-1"}
    [mail] = mail_server.to("vp-1@staff.example")
    assert "责任部门：工程部，处理人：钱师傅" in mail.body
    assert "投诉内容：电梯停在十二楼两天了" in mail.body
    assert "eng-1" not in mail.body


async def test_a_breach_alert_names_the_department_and_handler_with_the_text(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    await notify.put_staff(
        site, [staff_member("eng-head", "dept_head", "engineering", locale="en")]
    )
    fields = case_fields(site, str(uuid.uuid4()))
    breached = SlaBreached(
        **fields,
        deadline="resolve",
        due_at=DUE,
        level="handler",
        department="engineering",
        **NAMES,
    )

    deliveries = await notify.settled(await notify.emit(breached), 1)

    assert reached(deliveries) == {"eng-head"}
    [mail] = mail_server.to("eng-head@staff.example")
    assert "(department: Engineering; handler: 钱师傅)" in mail.body
    assert "Complaint: 电梯停在十二楼两天了" in mail.body


def warned(site: str, **changes: Any) -> SlaWarned:
    values: dict[str, Any] = {
        "case_id": str(uuid.uuid4()),
        "complaint_id": str(uuid.uuid4()),
        "site_id": site,
        "at": utcnow(),
        "reference": "GH-77",
        "deadline": "resolve",
        "due_at": DUE,
        "share": 80,
        "level": "handler",
        "department": "engineering",
        **NAMES,
    }
    return SlaWarned(**{**values, **changes})


async def test_the_handler_is_warned_before_a_deadline(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)

    deliveries = await notify.settled(await notify.emit(warned(site)), 1)

    assert reached(deliveries) == {"eng-1"}  # the handler alone, in English
    [mail] = mail_server.to("eng-1@staff.example")
    assert mail.subject == (
        "[翠苑小区] Deadline near: complaint GH-77 must be resolved by 2026-12-10 17:00"
    )
    assert "80% of the time for complaint GH-77" in mail.body
    assert "(department: Engineering; handler: 钱师傅)" in mail.body
    assert "Complaint: 电梯停在十二楼两天了" in mail.body


async def test_a_case_without_a_handler_warns_its_department(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    event = warned(site, handler=None, handler_name=None, deadline="acknowledge")

    deliveries = await notify.settled(await notify.emit(event), 2)

    assert reached(deliveries) == {"eng-head", "eng-1"}
    [mail] = mail_server.to("eng-head@staff.example")
    assert mail.subject == "【翠苑小区】时限预警：投诉 GH-77 须于 2026-12-10 17:00 前受理"
    assert "工程部各位同事：" in mail.body
    assert "受理时限已过去 80%" in mail.body


def overdue(site: str, level: str, escalated_to: str | None) -> CorrectiveActionOverdue:
    return CorrectiveActionOverdue.model_validate(
        {
            "action_id": str(uuid.uuid4()),
            "number": "CA-2026-009",
            "site_id": site,
            "kind": "preventive",
            "at": utcnow(),
            "due_at": DUE,
            "level": level,
            "owner": "eng-1",
            "department": "engineering",
            "escalated_to": escalated_to,
            "action": "每月检查排水沟",
        }
    )


async def test_an_overdue_corrective_action_reaches_the_level_it_went_up_to(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)

    to_head = await notify.settled(await notify.emit(overdue(site, "dept_head", "eng-head")), 1)
    to_vp = await notify.settled(await notify.emit(overdue(site, "vp", None)), 1)

    assert (reached(to_head), reached(to_vp)) == ({"eng-head"}, {"vp-1"})
    [mail] = mail_server.to("eng-head@staff.example")
    assert mail.subject == "【翠苑小区】预防措施逾期：CA-2026-009 已上报至部门负责人"
    assert "由 员工 eng-1 负责，应于 2026-12-10 17:00 前完成" in mail.body
    assert "措施：每月检查排水沟" in mail.body


async def test_an_overdue_rectification_item_reaches_the_level_it_went_up_to(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    item = RectificationItemOverdue(
        rectification_id=str(uuid.uuid4()),
        number="RC-2026-011",
        site_id=site,
        at=utcnow(),
        position=3,
        team="engineering",
        due_at=DUE,
        level="dept_head",
        owner=None,  # the team's department has a head routing did not name: its role holder
        task="疏通排水沟",
        title="地下车库整改",
    )

    deliveries = await notify.settled(await notify.emit(item), 1)

    assert reached(deliveries) == {"eng-head"}
    [mail] = mail_server.to("eng-head@staff.example")
    assert mail.subject == "【翠苑小区】整改逾期：RC-2026-011 第 3 项已上报至部门负责人"
    assert "整改项目：疏通排水沟" in mail.body
    assert "「地下车库整改」第 3 项由engineering整改小组负责" in mail.body
