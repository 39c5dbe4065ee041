"""Every channel against a real server: e-mail to an SMTP server, SMS to an HTTP gateway,
signed webhooks to receivers that verify them, phone tasks worked over the API; failures
retried with back-off, then failed and counted."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from notify_harness import (
    Notify,
    complaint,
    eventually,
    hex_id,
    household,
    is_problem,
    next_event,
)
from notify_receivers import HttpServer, MailServer
from prometheus_client import REGISTRY

from notify.channels.base import Outgoing
from notify.channels.sms import SmsChannel
from notify.contacts.rules import Recipient
from notify.deliveries.dispatcher import Dispatcher
from notify.deliveries.service import queue
from notify.settings import NotifySettings
from notify.webhooks.gate import SUBSCRIPTIONS
from shared.contracts.notify import NotificationSent
from shared.db.engine import Database, transaction

pytestmark = pytest.mark.integration


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def resident(notify: Notify, site: str, **preferences: Any) -> str:
    """A household of `site` with a phone and an e-mail, and the given preferences."""
    one = household(site, phones=["13800138000"], email=f"{hex_id()}@example.cn")
    await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)
    if preferences:
        await notify.ok("PATCH", f"/v1/contacts/{one.household_id}", json=preferences)
    return one.household_id


async def acknowledged(notify: Notify, site: str, household_id: str) -> tuple[str, str]:
    """Publish a complaint of the household; (its event id, its complaint id)."""
    received = complaint(site, household_id, reference="GH-20261127-0042")
    return await notify.emit(received), received.complaint_id


async def test_an_email_reaches_the_smtp_server_in_chinese(
    notify: Notify, mail_server: MailServer
) -> None:
    site = hex_id("site-")
    await notify.put_site(site)
    household_id = await resident(notify, site, channels=["email"])
    address = (
        await notify.rows(
            "SELECT email FROM household_contact WHERE household_id = :h", h=household_id
        )
    )[0][0]
    sent = await notify.watch("notification.sent")

    source, complaint_id = await acknowledged(notify, site, household_id)
    [delivery] = await notify.settled(source, 1)
    envelope, event = await next_event(sent)

    assert delivery["status"] == "sent"
    [mail] = mail_server.to(address)
    assert mail.subject == "【翠苑小区】您的投诉已受理（GH-20261127-0042）"
    assert "我们已于" in mail.body
    assert "0755-8888 6666" in mail.body
    assert mail.message["From"] == notify.settings.smtp_sender
    assert isinstance(event, NotificationSent)
    assert (event.complaint_id, event.channel, event.kind) == (
        complaint_id,
        "email",
        "acknowledgement",
    )
    assert event.notification_id == str(delivery["id"])
    assert event.recipient == f"household:{household_id}"  # whom, with no personal data
    assert envelope.correlation_id == source  # the complaint flow's correlation id


async def test_a_gateway_without_a_key_gets_no_authorization_header(
    notify_settings: NotifySettings, http_server: HttpServer
) -> None:
    # A local SMS sink (make run's) takes no key: the SMS still goes, with no empty bearer.
    settings = notify_settings.model_copy(update={"sms_gateway_key": ""})
    outgoing = Outgoing(
        id=7,
        channel="sms",
        address="13800138000",
        recipient_key="household:h-1",
        site_id="s-1",
        source_id="e-1",
        kind="acknowledgement",
        locale="zh-CN",
        subject="已受理",
        body="您的投诉已受理",
        complaint_id=None,
        attempt=1,
    )
    async with httpx.AsyncClient() as client:
        result = await SmsChannel(settings, client).send(outgoing)

    assert result.ok, result
    [hit] = http_server.at("/sms")
    assert "authorization" not in hit.headers
    assert hit.json["to"] == "13800138000"


async def test_an_sms_goes_through_the_gateway(notify: Notify, http_server: HttpServer) -> None:
    site = hex_id("site-")
    household_id = await resident(notify, site, channels=["sms"])

    source, _ = await acknowledged(notify, site, household_id)
    [delivery] = await notify.settled(source, 1)

    assert delivery["status"] == "sent"
    [hit] = http_server.at("/sms")
    assert hit.headers["authorization"] == "Bearer gateway-key"
    assert hit.json["to"] == "13800138000"
    assert hit.json["template_id"] == "SMS_0042"
    assert "GH-20261127-0042" in hit.json["text"]
    assert hit.json["reference"] == f"delivery-{delivery['id']}"
    ref = await notify.scalar("SELECT provider_ref FROM delivery WHERE id = :i", i=delivery["id"])
    assert ref == "gw-1"


async def test_webhooks_are_signed_with_every_current_secret(
    notify: Notify, http_server: HttpServer
) -> None:
    site = hex_id("site-")
    hooks = {}
    for name in ("new", "old"):  # each receiver knows one secret of the rotation
        url = f"{http_server.base}/hooks/{name}"
        hooks[name] = await resident(notify, site, channels=["webhook"], webhook_url=url)

    sources = [(await acknowledged(notify, site, h))[0] for h in hooks.values()]
    for source in sources:
        [delivery] = await notify.settled(source, 1)
        assert delivery["status"] == "sent"

    for name in hooks:
        [hit] = http_server.at(f"/hooks/{name}")
        assert hit.verified == "ok"
        assert len(hit.headers["webhook-signature"].split()) == 2
        assert hit.headers["webhook-id"].startswith("delivery-")
        assert '"kind":"acknowledgement"' in hit.body.decode()


async def test_a_receiver_without_the_secret_refuses_and_the_delivery_fails(
    notify: Notify, http_server: HttpServer
) -> None:
    site = hex_id("site-")
    url = f"{http_server.base}/hooks/stranger"
    household_id = await resident(notify, site, channels=["webhook"], webhook_url=url)

    source, _ = await acknowledged(notify, site, household_id)
    [delivery] = await notify.settled(source, 1)

    assert [h.verified for h in http_server.at("/hooks/stranger")] == ["bad_signature"]
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 1  # a 4xx refusal will not change on retry
    assert "401" in delivery["last_error"]


async def test_a_phone_task_is_worked_by_the_call_center(notify: Notify) -> None:
    site = hex_id("site-")
    household_id = await resident(notify, site, channels=["phone_task"])
    caller = notify.headers(roles=["callcenter"], sites=[site], sub="agent-7")

    source, _ = await acknowledged(notify, site, household_id)
    [delivery] = await notify.settled(source, 1)
    page = await notify.ok(
        "GET", "/v1/phone-tasks", params={"status": "open", "site_id": site}, as_=caller
    )
    [task] = page["items"]
    outsider = notify.headers(roles=["callcenter"], sites=[hex_id("site-")])
    hidden = await notify.request(
        "POST", f"/v1/phone-tasks/{task['id']}/done", json={}, as_=outsider
    )
    done = await notify.ok(
        "POST", f"/v1/phone-tasks/{task['id']}/done", json={"reached": True}, as_=caller
    )
    again = await notify.ok("POST", f"/v1/phone-tasks/{task['id']}/done", json={"reached": False})

    assert delivery["status"] == "sent"
    assert (task["phone"], task["kind"], task["delivery_id"]) == (
        "13800138000",
        "acknowledgement",
        delivery["id"],
    )
    assert "GH-20261127-0042" in task["subject"]
    assert is_problem(hidden, 404)
    assert (done["status"], done["done_by"], done["reached"]) == ("done", "agent-7", True)
    assert again == done  # the first record stands
    [after] = await notify.deliveries(source_id=source)
    assert after["status"] == "delivered"
    still_open = await notify.ok(
        "GET", "/v1/phone-tasks", params={"status": "open", "site_id": site}
    )
    assert still_open["items"] == []


async def test_a_failing_gateway_is_retried_with_back_off_then_failed_and_counted(
    notify: Notify, http_server: HttpServer
) -> None:
    site = hex_id("site-")
    household_id = await resident(notify, site, channels=["sms"])
    http_server.answers["/sms"] = [500]
    failed = sample("careloop_notify_deliveries_total", channel="sms", outcome="failed")
    retried = sample("careloop_notify_delivery_retries_total", channel="sms")

    source, _ = await acknowledged(notify, site, household_id)
    [delivery] = await notify.settled(source, 1)

    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 3
    assert "500" in delivery["last_error"]
    assert len(http_server.at("/sms")) == 3
    assert sample("careloop_notify_deliveries_total", channel="sms", outcome="failed") == failed + 1
    assert sample("careloop_notify_delivery_retries_total", channel="sms") == retried + 2


async def test_a_gateway_that_recovers_gets_the_message_on_a_later_attempt(
    notify: Notify, http_server: HttpServer
) -> None:
    site = hex_id("site-")
    household_id = await resident(notify, site, channels=["sms"])
    http_server.answers["/sms"] = [503, 429, 200]

    source, _ = await acknowledged(notify, site, household_id)
    [delivery] = await notify.settled(source, 1)

    assert (delivery["status"], delivery["attempts"]) == ("sent", 3)
    assert delivery["last_error"] is None


async def test_an_smtp_server_that_is_down_fails_the_mail_after_every_attempt(
    notify: Notify, mail_server: MailServer
) -> None:
    site = hex_id("site-")
    household_id = await resident(notify, site, channels=["email"])
    mail_server.stop()

    source, _ = await acknowledged(notify, site, household_id)
    [delivery] = await notify.settled(source, 1)

    assert (delivery["status"], delivery["attempts"]) == ("failed", 3)
    assert "SMTP unreachable" in delivery["last_error"]


async def test_a_refused_recipient_fails_at_once(notify: Notify, mail_server: MailServer) -> None:
    site = hex_id("site-")
    household_id = await resident(notify, site, channels=["email"])
    mail_server.refuse = "550 5.1.1 No such user"

    source, _ = await acknowledged(notify, site, household_id)
    [delivery] = await notify.settled(source, 1)

    assert (delivery["status"], delivery["attempts"]) == ("failed", 1)
    assert mail_server.mails == []


async def test_two_dispatchers_never_send_one_delivery_twice(
    notify: Notify, http_server: HttpServer
) -> None:
    site = hex_id("site-")
    recipients = [
        Recipient(f"household:h{i}", "sms", f"1380000{i:04d}", "zh-CN") for i in range(120)
    ]
    async with transaction(notify.db) as session:
        await queue(
            session,
            source_id=hex_id("bulk-"),
            kind="progress",
            site_id=site,
            recipients=recipients,
            context={"reference": "R-1", "note": "已派人处理"},
        )
    others = [Database(notify.settings.database_url) for _ in range(2)]
    try:
        # Two more replicas' dispatchers, besides the app's own.
        await asyncio.gather(
            *(Dispatcher(notify.settings, subscriptions=SUBSCRIPTIONS)(db) for db in others)
        )
    finally:
        for db in others:
            await db.dispose()

    async def sent() -> int:
        return int(
            await notify.scalar(
                "SELECT count(*) FROM delivery WHERE site_id = :s AND status = 'sent'", s=site
            )
        )

    assert await eventually(sent, 120) == 120
    references = [h.json["reference"] for h in http_server.at("/sms")]
    assert len(references) == len(set(references)) == 120


async def test_the_gateways_receipts_mark_sms_delivered_or_failed(
    notify: Notify, http_server: HttpServer
) -> None:
    site = hex_id("site-")
    households = [await resident(notify, site, channels=["sms"]) for _ in range(2)]
    sources = [(await acknowledged(notify, site, h))[0] for h in households]
    arrived, lost = [(await notify.settled(s, 1))[0] for s in sources]
    gateway = {"Authorization": "Bearer gateway-key"}
    failed = sample("careloop_notify_deliveries_total", channel="sms", outcome="failed")

    async def receipt(body: dict[str, Any], headers: dict[str, str]) -> Any:
        return await notify.client.post("/hooks/sms-receipts", json=body, headers=headers)

    good = await receipt({"reference": f"delivery-{arrived['id']}", "status": "delivered"}, gateway)
    bad = await receipt(
        {"reference": f"delivery-{lost['id']}", "status": "failed", "error": "handset off"}, gateway
    )
    again = await receipt({"reference": f"delivery-{arrived['id']}", "status": "failed"}, gateway)
    forged = await receipt(
        {"reference": f"delivery-{lost['id']}", "status": "delivered"},
        {"Authorization": "Bearer guess"},
    )
    unknown = await receipt({"reference": "gw-123", "status": "delivered"}, gateway)

    assert (good.json()["recorded"], bad.json()["recorded"], again.json()["recorded"]) == (
        True,
        True,
        False,
    )
    assert is_problem(forged, 401)
    assert is_problem(unknown, 404)
    [after_arrived] = await notify.deliveries(source_id=sources[0])
    [after_lost] = await notify.deliveries(source_id=sources[1])
    assert after_arrived["status"] == "delivered"
    assert (after_lost["status"], after_lost["last_error"]) == (
        "failed",
        "SMS gateway: handset off",
    )
    assert sample("careloop_notify_deliveries_total", channel="sms", outcome="failed") == failed + 1


async def test_a_call_that_reaches_nobody_fails_the_delivery(notify: Notify) -> None:
    site = hex_id("site-")
    household_id = await resident(notify, site, channels=["phone_task"])
    source, _ = await acknowledged(notify, site, household_id)
    await notify.settled(source, 1)
    [task] = (await notify.ok("GET", "/v1/phone-tasks", params={"site_id": site}))["items"]

    done = await notify.ok(
        "POST", f"/v1/phone-tasks/{task['id']}/done", json={"reached": False, "note": "无人接听"}
    )

    [after] = await notify.deliveries(source_id=source)
    assert (done["reached"], done["note"]) == (False, "无人接听")
    assert (after["status"], after["last_error"]) == ("failed", "not reached by phone")
