"""Intake in-process for integration tests: the real app (relay, consumer, scheduler)
against the test's real database and broker, plus factories with random ids."""

from __future__ import annotations

import random
import string
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aio_pika.abc import AbstractQueue

from intake.main import create_app
from intake.settings import IntakeSettings
from shared.contracts.base import Envelope
from shared.testing.checks import eventually as eventually  # the tests import these here
from shared.testing.checks import is_problem as is_problem
from shared.testing.inprocess import ADMIN as ADMIN
from shared.testing.inprocess import InProcess
from shared.testing.inprocess import envelope as envelope
from shared.testing.inprocess import hex_id as hex_id
from shared.testing.inprocess import next_event as next_event
from shared.testing.inprocess import running as _running


def site_code() -> str:
    return "S" + "".join(random.choices(string.ascii_uppercase + string.digits, k=6))


def phone() -> str:
    return "139" + "".join(random.choices(string.digits, k=8))


def site_body(**changes: Any) -> dict[str, Any]:
    body = {
        "id": hex_id("site-"),
        "code": site_code(),
        "name": "Garden Heights",
        "region": "South",
        "timezone": "Asia/Shanghai",
        "developer_contact": "Harbour Developments, +86 20 5555 0100",
    }
    return {**body, **changes}


def visitor(**changes: Any) -> dict[str, Any]:
    return {"type": "visitor", "name": "Li Wei", "phone": phone(), **changes}


def complaint_body(site_id: str, **changes: Any) -> dict[str, Any]:
    body = {
        "site_id": site_id,
        "channel": "call_center",
        "kind": "complaint",
        "category": "cleaning",
        "description": "Rubbish in stairwell 2 has not been collected for three days.",
        "reporter": visitor(),
    }
    return {**body, **changes}


@dataclass
class Place:
    """A site with one building, unit and household, made through the API."""

    site_id: str
    code: str
    building_id: str
    unit_id: str
    household_id: str
    phone: str


class Intake(InProcess[IntakeSettings]):
    """Intake in this process, with the directory and complaint helpers its tests share."""

    async def place(self, **site: Any) -> Place:
        """A site, a building, a unit and a household in it."""
        body = site_body(**site)
        await self.ok("POST", "/v1/sites", json=body, status=201)
        base = f"/v1/sites/{body['id']}"
        built = await self.ok("POST", f"{base}/buildings", json={"code": "B1"}, status=201)
        unit = await self.ok(
            "POST", f"{base}/units", json={"building_id": built["id"], "number": "1202"}, status=201
        )
        number = phone()
        household = await self.ok(
            "POST",
            f"{base}/households",
            json={"unit_id": unit["id"], "name": "Zhang Min", "phones": [number]},
            status=201,
        )
        return Place(body["id"], body["code"], built["id"], unit["id"], household["id"], number)

    async def file(self, site_id: str, *, as_: dict[str, str] | None = None, **changes: Any) -> Any:
        """A complaint filed through the API; its creation response."""
        return await self.ok(
            "POST", "/v1/complaints", json=complaint_body(site_id, **changes), as_=as_, status=201
        )


def running(settings: IntakeSettings) -> AbstractAsyncContextManager[Intake]:
    """Intake running in this process until the block ends."""
    return _running(settings, create_app, Intake)


async def events(queue: AbstractQueue, count: int, *, timeout: float = 60) -> list[Envelope]:
    """The next `count` envelopes on `queue`."""
    found = []
    for _ in range(count):
        envelope, _event = await next_event(queue, timeout=timeout)
        found.append(envelope)
    return found


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)
