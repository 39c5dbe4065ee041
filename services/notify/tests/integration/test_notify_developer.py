"""A complaint forwarded to the developer, on both databases with the real broker: the
site's developer contact (notify's site settings) is mailed the complaint with how to
answer the office; each follow-up reminder reaches the handler and the developer once; a
site without a developer contact mails nobody outside, and a bad contact is refused.

"Nothing was sent" is shown by a positive marker, never by sleeping: the event's row in
notify's inbox (it was handled).
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from notify_harness import Notify, envelope, eventually, hex_id, is_problem, staff_member
from notify_receivers import MailServer
from sqlalchemy import Connection, inspect

import notify.main  # noqa: F401  (every table registers on notify's metadata)
from notify.main import SERVICE_DIR
from notify.models import metadata
from shared.clock import utcnow
from shared.contracts.routing import CaseFollowUpReminded, CaseForwardedToDeveloper
from shared.db.engine import Database
from shared.db.migrations import downgrade_async, target_metadata, upgrade_async

pytestmark = pytest.mark.integration

HANDLER, DEVELOPER = "cs-1", "service@developer.example"


async def _office(notify: Notify, **settings: Any) -> str:
    site = hex_id("site-")
    await notify.put_site(site, working_hours_start="00:00", working_hours_end="23:59", **settings)
    await notify.put_staff(site, [staff_member(HANDLER, "handler", "customer_service")])
    return site


def _forwarded(site: str) -> CaseForwardedToDeveloper:
    return CaseForwardedToDeveloper(
        case_id=hex_id("case-"),
        complaint_id=hex_id("complaint-"),
        site_id=site,
        actor=HANDLER,
        at=utcnow(),
        note="外墙渗水属保修范围",
        follow_up_due_at=utcnow(),
        reference="CY-20261203-0007",
        department="customer_service",
        department_name="Customer service",
        department_name_zh="客服中心",
        handler=HANDLER,
        handler_name="张三",
        description="卧室外墙下雨后渗水。",
        location="3栋2单元501",
    )


def _reminded(forwarded: CaseForwardedToDeveloper, reminder: int) -> CaseFollowUpReminded:
    return CaseFollowUpReminded(
        case_id=forwarded.case_id,
        complaint_id=forwarded.complaint_id,
        site_id=forwarded.site_id,
        at=utcnow(),
        reminder=reminder,
        handler=HANDLER,
        forwarded_at=forwarded.at,
        reference=forwarded.reference,
        department="customer_service",
        department_name="Customer service",
        department_name_zh="客服中心",
        handler_name="张三",
        description=forwarded.description,
    )


def _case_envelope(event: CaseForwardedToDeveloper | CaseFollowUpReminded, version: int) -> Any:
    return envelope(
        event, site_id=event.site_id, aggregate_id=event.case_id, aggregate_version=version
    )


async def _handled(notify: Notify, sent: dict[str, Any]) -> None:
    sql = "SELECT count(*) FROM inbox WHERE message_id = :m"
    assert await eventually(lambda: notify.scalar(sql, m=sent["id"]), 1) == 1


async def test_the_developer_contact_is_kept_and_a_bad_one_refused(notify: Notify) -> None:
    site = hex_id("site-")
    path = f"/v1/sites/{site}/settings"
    base = {"name": "翠苑小区"}

    kept = await notify.put_site(site, developer_name="华南地产客服部", developer_email=DEVELOPER)
    reread = await notify.ok("GET", path)
    bad = await notify.request("PUT", path, json={**base, "developer_email": "not-an-address"})
    empty = await notify.request("PUT", path, json={**base, "developer_name": ""})

    assert kept == reread
    assert (reread["developer_name"], reread["developer_email"]) == ("华南地产客服部", DEVELOPER)
    assert is_problem(bad, 422)
    assert "developer_email" in bad.text
    assert is_problem(empty, 422)
    assert (await notify.ok("GET", path))["developer_email"] == DEVELOPER


async def test_a_forwarded_complaint_is_mailed_to_the_developer_with_how_to_answer(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await _office(notify, developer_name="华南地产客服部", developer_email=DEVELOPER)
    event = _forwarded(site)
    sent = _case_envelope(event, 5)
    await notify.publish(sent)
    await notify.publish(sent)  # delivered again: mailed once

    told = await notify.settled(sent["id"], 1)
    assert [(d["recipient_key"], d["kind"], d["status"]) for d in told] == [
        (f"developer:{site}", "developer_forwarded", "sent")
    ]
    (mail,) = mail_server.to(DEVELOPER)
    assert "转发展商" in mail.subject
    assert "CY-20261203-0007" in mail.subject
    for said in ("华南地产客服部", "卧室外墙下雨后渗水。", "3栋2单元501", "外墙渗水属保修范围"):
        assert said in mail.body
    assert "翠苑小区管理处（处理人：张三）" in mail.body
    assert "0755-8888 6666" in mail.body


async def test_each_follow_up_reminder_reaches_the_handler_and_the_developer_once(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await _office(notify, developer_email=DEVELOPER, default_locale="en")
    forwarded = _forwarded(site)
    first, second = (
        _case_envelope(_reminded(forwarded, 1), 6),
        _case_envelope(_reminded(forwarded, 2), 7),
    )
    for sent in (first, first, second):
        await notify.publish(sent)

    for sent in (first, second):
        told = await notify.settled(sent["id"], 2)
        assert sorted((d["recipient_key"], d["kind"], d["status"]) for d in told) == [
            (f"developer:{site}", "developer_reminder", "sent"),
            (f"staff:{HANDLER}", "follow_up_reminder", "sent"),
        ]
    to_handler = mail_server.to(f"{HANDLER}@staff.example")
    to_developer = mail_server.to(DEVELOPER)
    assert len(to_handler) == len(to_developer) == 2
    assert all("跟进提醒" in m.subject for m in to_handler)  # the handler reads Chinese
    assert "客服中心" in to_handler[0].body
    assert "卧室外墙下雨后渗水。" in to_handler[0].body
    assert all("still waiting for your answer" in m.subject for m in to_developer)
    assert sorted("reminder 2" in m.body for m in to_developer) == [False, True]
    assert "for the attention of 张三" in to_developer[0].body


async def test_a_site_without_a_developer_contact_mails_nobody_outside(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await _office(notify)
    forwarded = _forwarded(site)
    sent, reminder = _case_envelope(forwarded, 5), _case_envelope(_reminded(forwarded, 1), 6)
    await notify.publish(sent)
    await notify.publish(reminder)
    await _handled(notify, sent)

    told = await notify.settled(reminder["id"], 1)
    assert [d["recipient_key"] for d in told] == [f"staff:{HANDLER}"]
    assert await notify.deliveries(source_id=sent["id"]) == []
    assert mail_server.to(DEVELOPER) == []


def _developer_columns(connection: Connection) -> set[str]:
    found = {c["name"] for c in inspect(connection).get_columns("notify_site")}
    return found & {"developer_name", "developer_email"}


def _site_differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    found = compare_metadata(context, target_metadata(metadata))
    return [d for d in found if "notify_site" in repr(d)]


async def test_migration_0006_matches_the_models_and_goes_down_and_up(database_url: str) -> None:
    await upgrade_async(SERVICE_DIR, database_url)
    db = Database(database_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_site_differences) == []
        await downgrade_async(SERVICE_DIR, database_url, "0005")
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_developer_columns) == set()
        await upgrade_async(SERVICE_DIR, database_url)
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_developer_columns) == {"developer_name", "developer_email"}
            assert await conn.run_sync(_site_differences) == []
    finally:
        await db.dispose()
