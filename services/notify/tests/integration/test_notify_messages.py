"""Staff and resident messages from their events: who gets which kind, on which channel,
in which words; at most one message per (event, recipient, channel)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from notify_harness import (
    Notify,
    case_fields,
    complaint,
    dispatched,
    envelope,
    eventually,
    hex_id,
    household,
    later,
    staff_member,
    visitor,
)
from notify_receivers import HttpServer, MailServer

from notify.contacts.rules import Recipient
from notify.deliveries.service import queue
from shared.clock import utcnow
from shared.contracts.routing import (
    CaseAssigned,
    CaseAssignmentNoticed,
    CaseEscalated,
    CaseProgressed,
    RectificationAccepted,
    ReportPublished,
    SlaBreached,
)
from shared.contracts.surveys import SurveyInvitationIssued, SurveyReminderIssued
from shared.db.engine import transaction
from shared.testing.inprocess import Consumed

pytestmark = pytest.mark.integration


async def organisation(notify: Notify) -> str:
    """A site with engineering (head and two staff), customer service (head), security
    (no head, reached by SMS), a VP and a GM in notify's staff directory."""
    site = hex_id("site-")
    await notify.put_site(site)
    await notify.put_staff(
        site,
        [
            staff_member("eng-head", "dept_head", "engineering"),
            staff_member("eng-1", "handler", "engineering"),
            staff_member("eng-2", "handler", "engineering", locale="en"),
            staff_member("cs-head", "dept_head", "customer_service"),
            staff_member("cs-1", "handler", "customer_service"),
            staff_member("sec-1", "handler", "security", email=None, phone="13911110000"),
            staff_member("vp-1", "vp", None),
            staff_member("gm-1", "gm", None),
        ],
    )
    return site


def reached(deliveries: list[dict[str, Any]]) -> set[str]:
    return {d["recipient_key"].removeprefix("staff:") for d in deliveries}


async def kind_of(notify: Notify, source: str) -> set[str]:
    return {m.kind for m in await notify.messages(source)}


async def test_the_responsible_department_gets_the_work_assignment(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    assigned = CaseAssigned(
        **case_fields(site, str(uuid.uuid4())),
        department="engineering",
        handler="cs-1",
        resolve_due_at=later(days=2),
        reference="GH-20261127-0007",
    )

    source = await notify.emit(assigned)
    deliveries = await notify.settled(source, 4)

    assert reached(deliveries) == {"eng-head", "eng-1", "eng-2", "cs-1"}
    assert {d["channel"] for d in deliveries} == {"email"}
    assert await kind_of(notify, source) == {"work_assignment"}
    [head] = mail_server.to("eng-head@staff.example")
    assert head.subject == "【翠苑小区】工作安排通知单：投诉 GH-20261127-0007"
    assert "已分派给贵部门处理，处理人：cs-1" in head.body
    [english] = mail_server.to("eng-2@staff.example")
    assert english.subject == "[翠苑小区] Work assignment notice: complaint GH-20261127-0007"


async def test_a_case_answered_on_the_spot_needs_no_work_assignment(notify: Notify) -> None:
    site = await organisation(notify)
    fields = case_fields(site, str(uuid.uuid4()))
    consumed = Consumed("notify", "case.assigned")
    source = await notify.emit(
        CaseAssigned(**fields, department="engineering", already_resolved=True)
    )

    await consumed.reach(1)  # handled and committed: what it would send is in the table
    assert await notify.deliveries(source_id=source) == []
    # but the case's department is remembered for later alerts
    assert (
        await notify.scalar(
            "SELECT department FROM complaint_ref WHERE complaint_id = :c", c=fields["complaint_id"]
        )
        == "engineering"
    )


async def test_a_work_assignment_notice_reaches_the_main_responsible_department(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    noticed = CaseAssignmentNoticed(
        **case_fields(site, str(uuid.uuid4())),
        notice_number="WA-2026-0031",
        department="customer_service",
        instructions="当天内上门查看并答复业户。",
        due_at=later(days=1),
        slip_number="TS-2026-0102",
    )

    source = await notify.emit(noticed)
    deliveries = await notify.settled(source, 2)

    assert reached(deliveries) == {"cs-head", "cs-1"}
    [mail] = mail_server.to("cs-head@staff.example")
    assert "WA-2026-0031" in mail.subject
    assert "当天内上门查看并答复业户。" in mail.body
    assert "工作传签单 TS-2026-0102" in mail.body


async def test_an_escalation_alerts_the_owner_or_the_levels_holder(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    fields = case_fields(site, str(uuid.uuid4()))
    first = await notify.emit(CaseAssigned(**fields, department="engineering", reference="GH-9"))
    await notify.settled(first, 3)
    to_vp = CaseEscalated(
        **{**fields, "at": utcnow()},
        level="vp",
        reason="transmittal",
        owner="vp-1",
        slip_number="TS-7",
    )
    to_head = CaseEscalated(**{**fields, "at": utcnow()}, level="dept_head", reason="sla")

    by_owner = await notify.settled(await notify.emit(to_vp), 1)
    by_level = await notify.settled(await notify.emit(to_head), 1)

    assert reached(by_owner) == {"vp-1"}
    assert reached(by_level) == {"eng-head"}  # the head of the case's department
    [mail] = [m for m in mail_server.to("vp-1@staff.example") if "GH-9" in m.subject]
    assert mail.subject == "【翠苑小区】投诉升级：GH-9 已上报至主管副总经理"
    assert "工作传签单：TS-7" in mail.body


async def test_a_missed_deadline_alerts_the_superior(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    fields = case_fields(site, str(uuid.uuid4()))
    at_handler = SlaBreached(
        **fields, deadline="acknowledge", due_at=utcnow(), level="handler", department="engineering"
    )
    at_vp = SlaBreached(
        **fields, deadline="resolve", due_at=utcnow(), level="vp", department="engineering"
    )

    head = await notify.settled(await notify.emit(at_handler), 1)
    gm = await notify.settled(await notify.emit(at_vp), 1)

    assert reached(head) == {"eng-head"}
    assert reached(gm) == {"gm-1"}
    [mail] = mail_server.to("gm-1@staff.example")
    assert "未按时处理" in mail.subject


async def test_the_complaint_report_goes_to_the_vp_in_charge(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    report = ReportPublished(
        report_id=str(uuid.uuid4()),
        site_id=site,
        period="2026-10",
        period_start=utcnow(),
        period_end=utcnow(),
        complaints=42,
        valid=30,
        invalid=12,
        url="https://routing.example/v1/reports/r1.html",
        published_at=utcnow(),
    )

    deliveries = await notify.settled(await notify.emit(report), 1)

    assert reached(deliveries) == {"vp-1"}
    [mail] = mail_server.to("vp-1@staff.example")
    assert mail.subject == "【翠苑小区】顾客投诉报告（2026-10）"
    assert "本期投诉共 42 件，其中有效投诉 30 件，无效投诉 12 件。" in mail.body
    assert "https://routing.example/v1/reports/r1.html" in mail.body


async def test_an_accepted_rectification_is_fed_back_to_every_department(
    notify: Notify, mail_server: MailServer, http_server: HttpServer
) -> None:
    site = await organisation(notify)
    accepted = RectificationAccepted(
        rectification_id=str(uuid.uuid4()),
        number="RC-2026-005",
        site_id=site,
        title="地下车库照明整改",
        problem="车库照明不足",
        measures="更换灯具",
        items=3,
        accepted_by="vp-1",
        accepted_at=utcnow(),
    )

    deliveries = await notify.settled(await notify.emit(accepted), 3)

    assert reached(deliveries) == {"eng-head", "cs-head", "sec-1"}  # security has no head
    assert {d["channel"] for d in deliveries if d["recipient_key"] == "staff:sec-1"} == {"sms"}
    [mail] = mail_server.to("cs-head@staff.example")
    assert "RC-2026-005" in mail.subject
    assert "整改措施：更换灯具" in mail.body
    assert "地下车库照明整改" in http_server.at("/sms")[0].json["text"]


async def test_residents_are_acknowledged_and_kept_informed(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    one = household(site, email="li@example.cn")
    await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)
    received = complaint(site, one.household_id, reference="GH-20261127-0100")

    ack = await notify.settled(await notify.emit(received), 1)
    progressed = CaseProgressed(
        **case_fields(site, received.complaint_id), note="维修师傅明天上午上门。"
    )
    progress = await notify.settled(await notify.emit(progressed), 1)

    assert [d["complaint_id"] for d in ack + progress] == [received.complaint_id] * 2
    subjects = [m.subject for m in mail_server.to("li@example.cn")]
    assert sorted(subjects) == sorted(
        [
            "【翠苑小区】您的投诉已受理（GH-20261127-0100）",
            "【翠苑小区】投诉处理进展（GH-20261127-0100）",
        ]
    )
    [news] = [m for m in mail_server.to("li@example.cn") if "进展" in m.subject]
    assert "维修师傅明天上午上门。" in news.body


async def test_a_visitor_who_left_a_phone_or_an_email_is_acknowledged_and_kept_informed(
    notify: Notify, http_server: HttpServer, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    by_phone, received = visitor(site, phone="13600001234", reference="GH-20261203-0007")
    by_mail, mailed = visitor(site, email="liu.visitor@example.cn")
    for event in (by_phone, by_mail):
        await notify.emit(event)

    ack = await notify.settled(await notify.emit(received), 1)
    mail_ack = await notify.settled(await notify.emit(mailed), 1)
    progressed = CaseProgressed(
        **case_fields(site, received.complaint_id), note="保洁员今天下午清扫。"
    )
    progress = await notify.settled(await notify.emit(progressed), 1)

    key = f"visitor:{received.complaint_id}"
    assert [(d["recipient_key"], d["channel"]) for d in ack + progress] == [(key, "sms")] * 2
    assert [d["channel"] for d in mail_ack] == ["email"]
    texts = [h.json["text"] for h in http_server.at("/sms") if h.json["to"] == "13600001234"]
    assert len(texts) == 2
    assert any("GH-20261203-0007" in t for t in texts)
    assert any("保洁员今天下午清扫。" in t for t in texts)
    [mail] = mail_server.to("liu.visitor@example.cn")
    assert "已受理" in mail.subject


async def test_a_visitors_complaint_that_overtakes_their_contact_waits_for_it(
    notify: Notify, http_server: HttpServer
) -> None:
    site = await organisation(notify)
    contact, received = visitor(site, phone="13600005678")
    source = await notify.emit(received)
    await notify.emit(contact)

    await notify.settled(source, 1)

    sql = "SELECT recipient_key, channel, address FROM delivery WHERE source_id = :s"
    assert [tuple(r) for r in await notify.rows(sql, s=source)] == [
        (f"visitor:{received.complaint_id}", "sms", "13600005678")
    ]
    assert [h.json["to"] for h in http_server.at("/sms")] == ["13600005678"]


async def test_a_site_can_switch_acknowledgements_off(notify: Notify) -> None:
    site = await organisation(notify)
    await notify.put_site(site, acknowledge=False)
    one = household(site, phones=["13800000001"])
    await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)

    consumed = Consumed("notify", "complaint.received")
    source = await notify.emit(complaint(site, one.household_id))

    await consumed.reach(1)  # handled and committed: what it would send is in the table
    assert await notify.deliveries(source_id=source) == []


async def test_survey_invitations_carry_the_link_and_respect_opt_outs(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    keen = household(site, email="keen@example.cn")
    quiet = household(site, email="quiet@example.cn")
    for one in (keen, quiet):
        await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(quiet.household_id), True)
    await notify.ok("PATCH", f"/v1/contacts/{quiet.household_id}", json={"opted_out": True})

    def invitation(household_id: str) -> SurveyInvitationIssued:
        token = uuid.uuid4().hex
        return SurveyInvitationIssued(
            invitation_id=str(uuid.uuid4()),
            campaign_id=str(uuid.uuid4()),
            site_id=site,
            household_id=household_id,
            title="2026 Q4 resident satisfaction",
            url=f"https://survey.example/q/{token}",
            token=token,
            expires_at=later(days=14),
            language="en",
        )

    invited = invitation(keen.household_id)
    sent = await notify.settled(await notify.emit(invited), 1)
    skipped = await notify.emit(invitation(quiet.household_id))
    ack = await notify.settled(await notify.emit(complaint(site, quiet.household_id)), 1)

    assert sent[0]["status"] == "sent"
    [mail] = mail_server.to("keen@example.cn")
    assert mail.subject == "[翠苑小区] Satisfaction survey: 2026 Q4 resident satisfaction"
    assert invited.url in mail.body
    assert await notify.deliveries(source_id=skipped) == []  # opted out: not essential
    assert ack[0]["status"] == "sent"  # about their own complaint: essential


async def test_survey_reminders_reach_who_was_invited_in_the_surveys_language(
    notify: Notify, mail_server: MailServer, http_server: HttpServer
) -> None:
    site = await organisation(notify)
    by_mail = household(site, email="late@example.cn")
    by_sms = household(site, phones=["13800000077"])
    quiet = household(site, email="quiet@example.cn")
    for one in (by_mail, by_sms, quiet):
        await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(quiet.household_id), True)
    await notify.ok("PATCH", f"/v1/contacts/{quiet.household_id}", json={"opted_out": True})

    def reminder(household_id: str, language: str) -> SurveyReminderIssued:
        token = uuid.uuid4().hex
        return SurveyReminderIssued(
            invitation_id=str(uuid.uuid4()),
            campaign_id=str(uuid.uuid4()),
            site_id=site,
            household_id=household_id,
            title="2026 Q4 resident satisfaction",
            url=f"https://survey.example/s/{token}",
            token=token,
            expires_at=later(days=3),
            language=language,  # type: ignore[arg-type]
        )

    mailed = reminder(by_mail.household_id, "en")
    texted = reminder(by_sms.household_id, "zh-CN")
    twice = envelope(mailed, site_id=site)
    await notify.publish(twice)
    await notify.publish(twice)
    sent = await notify.settled(twice["id"], 1)
    texted_id = await notify.emit(texted)
    texts = await notify.settled(texted_id, 1)
    skipped = await notify.emit(reminder(quiet.household_id, "en"))

    assert [d["status"] for d in sent] == ["sent"]  # the event twice: one message
    [mail] = mail_server.to("late@example.cn")
    assert mail.subject == "[翠苑小区] Reminder: satisfaction survey 2026 Q4 resident satisfaction"
    assert mailed.url in mail.body
    assert (texts[0]["channel"], texts[0]["status"]) == ("sms", "sent")
    [message] = await notify.messages(texted_id)
    assert (message.kind, message.locale) == ("survey_reminder", "zh-CN")
    assert message.subject == "【翠苑小区】满意度征询提醒：2026 Q4 resident satisfaction"
    assert texted.url in http_server.at("/sms")[-1].json["text"]
    assert await notify.deliveries(source_id=skipped) == []  # opted out: a survey is not essential


async def test_the_same_event_twice_sends_each_message_once(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    assigned = CaseAssigned(
        **case_fields(site, str(uuid.uuid4())), department="engineering", reference="GH-DUP"
    )
    twice = envelope(assigned, site_id=site)
    consumed = Consumed("notify", "case.assigned")

    await notify.publish(twice)
    await notify.publish(twice)
    await consumed.reach(2)  # once handled, once absorbed by the inbox
    await notify.settled(twice["id"], 3)
    await dispatched(notify)  # a delivery sent twice would be in the mail server by now

    assert len(await notify.deliveries(source_id=twice["id"])) == 3
    assert len([m for m in mail_server.mails if "GH-DUP" in m.subject]) == 3


async def test_duplicate_household_events_make_one_recipient(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await organisation(notify)
    one = household(site, email="twice@example.cn")
    for version in (1, 1, 2, 2):
        await notify.upsert(one, version=version)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)
    progressed_for = complaint(site, one.household_id)
    await notify.settled(await notify.emit(progressed_for), 1)

    assert (
        await notify.scalar(
            "SELECT count(*) FROM household_contact WHERE household_id = :h", h=one.household_id
        )
        == 1
    )
    assert len(mail_server.to("twice@example.cn")) == 1


async def test_queue_skips_what_it_queued_before(notify: Notify) -> None:
    site = hex_id("site-")
    source = hex_id("notice:")
    people = [Recipient(f"household:h{i}", "sms", f"138{i:08d}", "zh-CN") for i in range(5)]
    context = {"reference": "R", "note": "n"}

    async with transaction(notify.db) as session:
        first = await queue(
            session,
            source_id=source,
            kind="progress",
            site_id=site,
            recipients=people,
            context=context,
        )
    english = [Recipient(r.key, r.channel, r.address, "en") for r in people] + [
        Recipient("household:new", "email", "new@example.cn", "en")
    ]
    async with transaction(notify.db) as session:
        second = await queue(
            session,
            source_id=source,
            kind="progress",
            site_id=site,
            recipients=english,
            context=context,
        )

    assert (first, second) == (5, 1)
    assert len(await notify.deliveries(source_id=source)) == 6
