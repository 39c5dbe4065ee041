"""A complaint's way through intake and routing, both running as real processes.

A call-center posts a complaint to intake; routing assigns it, and the assignment shows on
intake's timeline. Staff then work the case in routing: developer forwarding, transmittal
up to the general manager, a work assignment notice, resolution; an unsatisfied callback
(published as notify would) reopens and escalates it. Every step shows on the timeline,
in order.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import orjson
import pytest

from intake.settings import IntakeSettings
from routing.settings import RoutingSettings
from shared.bus.topology import declare_exchange
from shared.contracts.notify import CallbackCompleted
from shared.http.auth import issue_token
from shared.settings import ServiceSettings
from shared.testing.plugin import free_port
from shared.testing.processes import ServiceProcess, settings_env
from shared.testing.system import organisation

pytestmark = pytest.mark.e2e

CHAIN_UP = ["handler", "dept_head", "vp", "gm"]


@dataclass
class Group:
    """One site as both services know it, and a token for each of its people."""

    site: str
    code: str
    settings: ServiceSettings

    def token(self, sub: str, role: str) -> dict[str, str]:
        token = issue_token(self.settings, sub=sub, roles=[role], sites=[self.site])
        return {"Authorization": f"Bearer {token}"}

    def organisation(self) -> dict[str, Any]:
        return organisation({"id": "h-qian", "name": "钱师傅", "department": "engineering"})


@dataclass
class System:
    intake: ServiceProcess
    routing: ServiceProcess
    group: Group
    exchange: aio_pika.abc.AbstractExchange


def _process(module: str, settings: ServiceSettings, tmp_path: Path) -> ServiceProcess:
    port = free_port()
    env = {**settings_env(settings), f"{module.upper()}_PORT": str(port)}
    return ServiceProcess(module, port=port, env=env, log_path=tmp_path / f"{module}.log")


@pytest.fixture
async def system(make_settings: Callable[..., Any], tmp_path: Path) -> AsyncIterator[System]:
    intake_settings = make_settings(IntakeSettings)
    routing_settings = make_settings(RoutingSettings)
    group = Group(
        site=f"site-{uuid.uuid4().hex[:8]}",
        code=f"E{uuid.uuid4().hex[:5].upper()}",
        settings=routing_settings,
    )
    connection = await aio_pika.connect(routing_settings.amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    exchange = await declare_exchange(channel, routing_settings)
    routing = _process("routing", routing_settings, tmp_path)
    intake = _process("intake", intake_settings, tmp_path)
    try:
        await asyncio.gather(asyncio.to_thread(routing.start), asyncio.to_thread(intake.start))
        yield System(intake, routing, group, exchange)
    finally:
        for proc in (routing, intake):
            if proc.alive():
                proc.terminate()
        await connection.close()


async def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    return dict(response.json())


async def _timeline_until(
    client: httpx.AsyncClient, system: System, complaint_id: str, last: str, count: int = 1
) -> list[dict[str, Any]]:
    """Poll intake's timeline until `last` appears `count` times; returns the entries."""
    headers = system.group.token("cc-1", "callcenter")
    deadline = time.monotonic() + 60
    entries: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        found = await _ok(
            await client.get(f"{system.intake.url}/v1/complaints/{complaint_id}", headers=headers)
        )
        entries = found["timeline"]
        if sum(e["type"] == last for e in entries) >= count:
            return entries
        await asyncio.sleep(0.2)
    raise AssertionError(
        f"{last} x{count} never reached the timeline: {[e['type'] for e in entries]}"
    )


async def _set_up_site(client: httpx.AsyncClient, system: System) -> None:
    group = system.group
    admin = group.token("admin-1", "admin")
    site = {"id": group.site, "code": group.code, "name": "翠湖花园"}
    await _ok(await client.post(f"{system.intake.url}/v1/sites", json=site, headers=admin))
    base = f"{system.routing.url}/v1/sites/{group.site}"
    await _ok(await client.put(f"{base}/organisation", json=group.organisation(), headers=admin))
    rules = {"routes": [{"category": "housing_management", "department": "customer_service"}]}
    await _ok(await client.put(f"{base}/rules", json=rules, headers=admin))


async def test_a_complaint_goes_up_the_chain_and_back_until_the_resident_is_satisfied(
    system: System,
) -> None:
    group = system.group
    async with httpx.AsyncClient(timeout=15) as client:
        await _set_up_site(client, system)
        posted = await _ok(
            await client.post(
                f"{system.intake.url}/v1/complaints",
                json={
                    "site_id": group.site,
                    "channel": "call_center",
                    "kind": "complaint",
                    "category": "housing_management",
                    "description": "外墙渗水，客厅墙面发霉",
                    "reporter": {"type": "visitor", "name": "李女士", "phone": "13800138000"},
                },
                headers=group.token("cc-1", "callcenter"),
            )
        )
        complaint_id = posted["id"]
        await _timeline_until(client, system, complaint_id, "case.assigned")
        detail = await _ok(
            await client.get(
                f"{system.intake.url}/v1/complaints/{complaint_id}",
                headers=group.token("cc-1", "callcenter"),
            )
        )
        case_id = detail["case_id"]
        assert detail["department"] == "customer_service"

        async def act(sub: str, role: str, action: str, body: Any = None) -> dict[str, Any]:
            url = f"{system.routing.url}/v1/cases/{case_id}/{action}"
            return await _ok(
                await client.post(url, json=body or {}, headers=group.token(sub, role))
            )

        await act("h-zhang", "handler", "accept")
        await act("h-zhang", "handler", "validity", {"valid": False, "reason": "developer"})
        await act("h-zhang", "handler", "developer-forwarding", {"note": "外墙属发展商保修"})
        await act("h-zhang", "handler", "developer-answer", {"answer": "发展商同意本周维修"})
        await act("h-zhang", "handler", "transmittals", {"reason": "需协调发展商与工程部"})
        await act("cs-chen", "dept_head", "transmittals", {"reason": "涉及多部门"})
        top = await act("vp-li", "vp", "transmittals", {"reason": "报总经理决定"})
        assert (top["level"], top["owner"]) == ("gm", "gm-wang")
        due = (datetime.now(UTC) + timedelta(days=3)).isoformat()
        await act(
            "gm-wang",
            "gm",
            "assignment-notices",
            {"department": "engineering", "instructions": "配合发展商三日内修复", "due_at": due},
        )
        resolved = await act(
            "h-qian", "handler", "resolution", {"result": "外墙已修补", "reply": "已修复，请查看"}
        )
        assert resolved["status"] == "resolved"

        callback = CallbackCompleted(
            callback_id=f"cb-{uuid.uuid4().hex[:8]}",
            case_id=case_id,
            complaint_id=complaint_id,
            site_id=group.site,
            satisfied=False,
            comment="墙面仍在渗水",
            by="cc-2",
            completed_at=datetime.now(UTC),
        )
        message_id = str(uuid.uuid4())
        envelope = {
            "id": message_id,
            "type": callback.type,
            "version": 1,
            "occurred_at": datetime.now(UTC).isoformat(),
            "source": "notify",
            "site_id": group.site,
            "correlation_id": message_id,
            "data": callback.model_dump(mode="json"),
        }
        await system.exchange.publish(
            aio_pika.Message(orjson.dumps(envelope), message_id=message_id, type=callback.type),
            routing_key=callback.type,
        )
        entries = await _timeline_until(client, system, complaint_id, "case.escalated", count=4)

    from_routing = [e["type"] for e in entries if e["source"] == "routing"]
    assert from_routing == [
        "case.assigned",
        "case.accepted",
        "case.validity_judged",
        "case.forwarded_to_developer",
        "case.developer_answered",
        "case.escalated",
        "case.escalated",
        "case.escalated",
        "case.assignment_noticed",
        "case.resolved",
        "case.reopened",
        "case.escalated",
    ]
    assert "callback.completed" in [e["type"] for e in entries]
    times = [e["at"] for e in entries if e["source"] == "routing"]
    assert times == sorted(times)
    case = await _case(system, case_id)
    assert (case["status"], case["level"], case["reopen_count"]) == ("in_progress", "dept_head", 1)
    assert [s["to_level"] for s in case["slips"]] == CHAIN_UP[1:]


async def _case(system: System, case_id: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=15) as client:
        return await _ok(
            await client.get(
                f"{system.routing.url}/v1/cases/{case_id}",
                headers=system.group.token("gm-wang", "gm"),
            )
        )
