"""The whole loop with all four services as real processes and a real SMTP server.

A resident's complaint is filed at intake; routing assigns it and notify mails the
department; the handler resolves it and notify mails the resident the reply with a
single-use callback link. The call-center that filed it has a webhook subscription at
notify: its receiver, verifying with the reference `standardwebhooks`, hears every status
change in order, under its own reference. The first callback, by phone, finds the
resident unsatisfied: routing reopens and escalates the case and notify alerts the
department head. Resolved again, the resident answers the new link satisfied, and
routing closes the case. Intake's timeline shows every step; a used link is refused.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.testing.checks import eventually
from shared.testing.plugin import free_port
from shared.testing.system import PatientClient, System, service_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services/notify/tests/integration"))
from notify_receivers import HttpServer, Mail, MailServer, StandardWebhooksReceiver

pytestmark = pytest.mark.e2e

RESIDENT = "resident@example.test"
HEAD = "cs-chen@example.test"
HANDLER = "h-zhang@example.test"
WITHIN = 60.0
LINK = re.compile(r"https?://\S+/c/[A-Za-z0-9_-]{16,64}")
ORGANISATION = {
    "site_name": "翠湖花园管理处",
    "vp": "vp-li",
    "gm": "gm-wang",
    "departments": [
        {
            "code": "customer_service",
            "name": "Customer service",
            "name_zh": "客服中心",
            "head": "cs-chen",
        }
    ],
    "staff": [
        {"id": "gm-wang", "name": "王总", "role": "gm"},
        {"id": "vp-li", "name": "李副总", "role": "vp"},
        {"id": "cs-chen", "name": "陈经理", "role": "dept_head", "department": "customer_service"},
        {"id": "h-zhang", "name": "张三", "role": "handler", "department": "customer_service"},
    ],
}
STAFF_CONTACTS = {
    "staff": [
        {"staff_id": "cs-chen", "department": "customer_service", "role": "dept_head",
         "email": HEAD},
        {"staff_id": "h-zhang", "department": "customer_service", "role": "handler",
         "email": HANDLER},
    ]
}  # fmt: skip


class Loop:
    """The running system, its mailbox, its SMS gateway and one site set up in every
    service."""

    def __init__(
        self, system: System, mail: MailServer, sms: HttpServer, hooks: StandardWebhooksReceiver
    ) -> None:
        self.system = system
        self.mail = mail
        self.sms = sms
        self.hooks = hooks
        self.site = f"site-{uuid.uuid4().hex[:8]}"
        self.client = PatientClient()

    def url(self, service: str, path: str) -> str:
        return f"{self.system[service].url}{path}"

    def as_(self, sub: str, role: str) -> dict[str, str]:
        return self.system.token(sub, role, sites=[self.site])

    async def call(self, method: str, service: str, path: str, sub: str, role: str,
                   body: Any = None) -> dict[str, Any]:  # fmt: skip
        response = await self.client.request(
            method, self.url(service, path), json=body, headers=self.as_(sub, role)
        )
        assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
        return dict(response.json()) if response.content else {}

    async def set_up(self) -> str:
        """The site everywhere and one household in it; returns the household id."""
        site = f"/v1/sites/{self.site}"
        code = f"L{uuid.uuid4().hex[:5].upper()}"
        await self.call("POST", "intake", "/v1/sites", "a", "admin",
                        {"id": self.site, "code": code, "name": "翠湖花园"})  # fmt: skip
        await self.call("PUT", "routing", f"{site}/organisation", "a", "admin", ORGANISATION)
        rules = {"routes": [{"category": "housing_management", "department": "customer_service"}]}
        await self.call("PUT", "routing", f"{site}/rules", "a", "admin", rules)
        office = {"name": "翠湖花园管理处", "contact_phone": "0755-88886666"}
        await self.call("PUT", "notify", f"{site}/settings", "a", "admin", office)
        await self.call("PUT", "notify", f"{site}/staff-contacts", "a", "admin", STAFF_CONTACTS)
        building = await self.call("POST", "intake", f"{site}/buildings", "a", "admin",
                                   {"code": "3"})  # fmt: skip
        unit = await self.call("POST", "intake", f"{site}/units", "a", "admin",
                               {"building_id": building["id"], "number": "1201"})  # fmt: skip
        household = await self.call("POST", "intake", f"{site}/households", "a", "admin",
                                    {"unit_id": unit["id"], "name": "李女士",
                                     "phones": ["13800138000"], "email": RESIDENT})  # fmt: skip
        household_id = str(household["id"])
        assert await until(lambda: self._contact_known(household_id)), "notify never knew them"
        prefers = {"preferred_channel": "email"}
        await self.call("PATCH", "notify", f"/v1/contacts/{household_id}", "a", "admin", prefers)
        return household_id

    async def _contact_known(self, household_id: str) -> bool:
        response = await self.client.get(
            self.url("notify", f"/v1/contacts/{household_id}"), headers=self.as_("a", "admin")
        )
        return response.status_code == 200

    async def mails_to(self, address: str, count: int) -> list[Mail]:
        """The mails to `address` once there are at least `count` of them."""

        async def arrived() -> bool:
            return len(self.mail.to(address)) >= count

        assert await until(arrived), f"{address} got {len(self.mail.to(address))} of {count} mails"
        return self.mail.to(address)

    async def case(self, case_id: str) -> dict[str, Any]:
        return await self.call("GET", "routing", f"/v1/cases/{case_id}", "gm-wang", "gm")

    async def case_in(self, case_id: str, status: str) -> dict[str, Any]:
        async def reached() -> bool:
            return (await self.case(case_id))["status"] == status

        assert await until(reached), f"the case never became {status}"
        return await self.case(case_id)


async def until(check: Callable[[], Awaitable[bool]]) -> bool:
    """True once `check` is, within a minute of processes passing events along."""
    return bool(await eventually(check, True, timeout=WITHIN))


@pytest.fixture
async def loop(
    make_settings: Callable[..., Any], postgres_url: str, run_id: str, tmp_path: Path
) -> AsyncIterator[Loop]:
    mail, sms, hooks = MailServer(), HttpServer(), StandardWebhooksReceiver()
    mail.start()
    await sms.start()
    await hooks.start()
    gateway = {"sms_gateway_url": f"{sms.base}/sms", "sms_gateway_key": "gateway-key"}
    settings = service_settings(make_settings, port=free_port)
    settings = [
        s.model_copy(update={"smtp_port": mail.port, "dispatcher_interval": 0.2, **gateway})
        if s.service_name == "notify"
        else s
        for s in settings
    ]
    try:
        system = System(settings, admin_url=postgres_url, run_id=run_id, log_dir=tmp_path)
        async with system:
            await system.start()
            loop = Loop(system, mail, sms, hooks)
            async with loop.client:
                yield loop
    finally:
        mail.stop()
        await sms.stop()
        await hooks.stop()


async def test_a_complaint_is_followed_up_until_the_resident_is_satisfied(loop: Loop) -> None:
    household_id = await loop.set_up()
    subscription = {"url": loop.hooks.url("cc"), "site_ids": [loop.site]}
    created = await loop.call(
        "POST", "notify", "/v1/webhook-subscriptions", "cc-1", "callcenter", subscription
    )
    loop.hooks.secrets["cc"] = created["secret"]
    complaint = {
        "external_ref": "CC-4711",
        "site_id": loop.site,
        "channel": "call_center",
        "kind": "complaint",
        "category": "housing_management",
        "description": "楼道灯坏了一周，晚上看不见路",
        "reporter": {"type": "household", "household_id": household_id},
    }
    posted = await loop.call("POST", "intake", "/v1/complaints", "cc-1", "callcenter", complaint)
    (acknowledged,) = await loop.mails_to(RESIDENT, 1)
    assert posted["reference"] in acknowledged.body
    (assignment,) = await loop.mails_to(HANDLER, 1)
    assert posted["reference"] in assignment.subject + assignment.body
    assert "客服中心负责人及各位同事" in assignment.body  # routing's names, not its codes
    assert "处理人：张三" in assignment.body

    complaint_path = f"/v1/complaints/{posted['id']}"
    detail = await loop.call("GET", "intake", complaint_path, "cc-1", "callcenter")
    case_id = detail["case_id"]
    case = f"/v1/cases/{case_id}"
    await loop.call("POST", "routing", f"{case}/accept", "h-zhang", "handler")
    reply = {"result": "更换了灯泡", "reply": "楼道灯已修好，感谢您的反馈"}
    await loop.call("POST", "routing", f"{case}/resolution", "h-zhang", "handler", reply)
    first_reply = (await loop.mails_to(RESIDENT, 2))[-1]
    assert "楼道灯已修好" in first_reply.body
    first_link = LINK.search(first_reply.body)
    assert first_link is not None, first_reply.body

    # The first callback is a phone call: the resident is not satisfied.
    callbacks = await loop.call("GET", "notify", f"/v1/callbacks?site_id={loop.site}",
                                "h-zhang", "handler")  # fmt: skip
    (callback,) = [c for c in callbacks["items"] if c["case_id"] == case_id]
    outcome = {"reached": True, "satisfied": False, "comment": "灯还是时亮时灭"}
    await loop.call("POST", "notify", f"/v1/callbacks/{callback['id']}/attempts",
                    "h-zhang", "handler", outcome)  # fmt: skip
    reopened = await loop.case_in(case_id, "in_progress")
    assert (reopened["level"], reopened["reopen_count"]) == ("dept_head", 1)
    alert = (await loop.mails_to(HEAD, 1))[-1]
    assert posted["reference"] in alert.subject + alert.body

    # The phone outcome spent the first link.
    async with httpx.AsyncClient(timeout=15) as browser:
        spent = await browser.post(first_link.group(0), data={"satisfied": "yes"})
        assert spent.status_code == 410

        again = {"result": "更换了线路", "reply": "已更换楼道灯线路"}
        await loop.call("POST", "routing", f"{case}/resolution", "cs-chen", "dept_head", again)
        second_reply = (await loop.mails_to(RESIDENT, 3))[-1]
        second_link = LINK.search(second_reply.body)
        assert second_link is not None
        assert second_link.group(0) != first_link.group(0)
        page = await browser.get(second_link.group(0))
        assert page.status_code == 200
        assert "已更换楼道灯线路" in page.text
        answered = await browser.post(second_link.group(0), data={"satisfied": "yes"})
        assert answered.status_code == 200
        reused = await browser.post(second_link.group(0), data={"satisfied": "yes"})
        assert reused.status_code == 410

    closed = await loop.case_in(case_id, "closed")
    assert closed["reopen_count"] == 1
    timeline = await _timeline_until(loop, posted["id"], "case.closed")
    types = [entry["type"] for entry in timeline]
    assert types.count("callback.completed") == 2
    assert types.count("case.resolved") == 2
    assert "notification.sent" in types
    changes = ["received", "assigned", "resolved", "reopened", "resolved", "closed"]
    assert await until(lambda: _hooks_have(loop, len(changes)))
    assert [h.payload["data"]["status"] for h in loop.hooks.of("cc")] == changes
    assert {h.payload["data"]["external_ref"] for h in loop.hooks.of("cc")} == {"CC-4711"}
    assert loop.hooks.rejected == []


async def _hooks_have(loop: Loop, count: int) -> bool:
    return len(loop.hooks.of("cc")) >= count


async def _timeline_until(loop: Loop, complaint_id: str, last: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    async def shows() -> bool:
        nonlocal found
        detail = await loop.call("GET", "intake", f"/v1/complaints/{complaint_id}", "cc-1",
                                 "callcenter")  # fmt: skip
        found = detail["timeline"]
        return any(entry["type"] == last for entry in found)

    assert await until(shows), f"{last} never reached the timeline: {found}"
    return found
