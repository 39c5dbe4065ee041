"""Notify in-process for the message and delivery tests: the real app (relay, consumer,
dispatcher) against the test's real database and broker, plus event factories."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from notify.main import create_app
from notify.settings import NotifySettings
from shared.clock import utcnow
from shared.contracts.base import Event
from shared.contracts.intake import (
    ComplaintContactGiven,
    ComplaintReceived,
    HouseholdRemoved,
    HouseholdUpserted,
)
from shared.contracts.routing import CaseResolved
from shared.testing.checks import eventually as eventually  # the tests import these here
from shared.testing.checks import is_problem as is_problem
from shared.testing.inprocess import ADMIN as ADMIN
from shared.testing.inprocess import InProcess, periodic_rounds
from shared.testing.inprocess import envelope as envelope
from shared.testing.inprocess import hex_id as hex_id
from shared.testing.inprocess import next_event as next_event
from shared.testing.inprocess import running as _running

SETTLED = ("sent", "delivered", "failed")


def household(
    site_id: str,
    *,
    phones: Iterable[str] = (),
    email: str | None = None,
    building_id: str | None = None,
    unit_id: str | None = None,
    household_id: str | None = None,
    building: str = "B1",
) -> HouseholdUpserted:
    return HouseholdUpserted(
        household_id=household_id or str(uuid.uuid4()),
        site_id=site_id,
        building=building,
        unit="101",
        building_id=building_id,
        unit_id=unit_id,
        name="张敏",
        phones=list(phones),
        email=email,
    )


def removed(site_id: str, household_id: str) -> HouseholdRemoved:
    return HouseholdRemoved(household_id=household_id, site_id=site_id, removed_at=utcnow())


def complaint(site_id: str, household_id: str | None, *, reference: str = "") -> ComplaintReceived:
    return ComplaintReceived.model_validate(
        {
            "complaint_id": str(uuid.uuid4()),
            "reference": reference or hex_id("GH-"),
            "site_id": site_id,
            "channel": "phone",
            "kind": "complaint",
            "category": "cleaning",
            "description": "楼道一周没有清扫。",
            "reporter_type": "household",
            "household_id": household_id,
            "received_at": utcnow().isoformat(),
        }
    )


def visitor(
    site_id: str, *, phone: str | None = None, email: str | None = None, reference: str = ""
) -> tuple[ComplaintContactGiven, ComplaintReceived]:
    """A complaint of a visitor not in the directory, and the contact they left."""
    received = complaint(site_id, None, reference=reference).model_copy(
        update={"reporter_type": "visitor", "contact_given": True}
    )
    contact = ComplaintContactGiven(
        complaint_id=received.complaint_id, site_id=site_id, name="过客刘", phone=phone, email=email
    )
    return contact, received


def case_fields(site_id: str, complaint_id: str) -> dict[str, Any]:
    """What every case event carries."""
    return {
        "case_id": str(uuid.uuid4()),
        "complaint_id": complaint_id,
        "site_id": site_id,
        "at": utcnow(),
    }


def staff_member(
    staff_id: str, role: str, department: str | None, **changes: Any
) -> dict[str, Any]:
    member = {
        "staff_id": staff_id,
        "role": role,
        "department": department,
        "name": f"员工 {staff_id}",
        "email": f"{staff_id}@staff.example",
        "locale": "zh-CN",
    }
    return {**member, **changes}


class Notify(InProcess[NotifySettings]):
    """Notify in this process, with the contact, staff and delivery helpers its tests share."""

    async def emit(self, event: Event, **extra: Any) -> str:
        """Publish one event of another service; the envelope's id (the message source)."""
        site_id = getattr(event, "site_id", None)
        return await self.publish(envelope(event, site_id=site_id, **extra))

    async def upsert(self, event: HouseholdUpserted, *, version: int = 1) -> str:
        return await self.emit(event, aggregate_id=event.household_id, aggregate_version=version)

    async def contact(self, household_id: str) -> Any:
        response = await self.request("GET", f"/v1/contacts/{household_id}")
        return response.json() if response.status_code == 200 else None

    async def has_contact(self, household_id: str, **expected: Any) -> bool:
        found = await self.contact(household_id)
        return found is not None and all(found.get(k) == v for k, v in expected.items())

    async def put_staff(self, site_id: str, members: list[dict[str, Any]]) -> Any:
        path = f"/v1/sites/{site_id}/staff-contacts"
        return await self.ok("PUT", path, json={"staff": members})

    async def put_site(self, site_id: str, **settings: Any) -> Any:
        body = {"name": "翠苑小区", "contact_phone": "0755-8888 6666", **settings}
        return await self.ok("PUT", f"/v1/sites/{site_id}/settings", json=body)

    async def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        params = {k: v for k, v in filters.items() if v is not None}
        page = await self.ok("GET", "/v1/deliveries", params={**params, "limit": 500})
        return list(page["items"])

    async def settled(self, source_id: str, count: int, *, timeout: float = 30) -> list[Any]:
        """The source's deliveries once `count` exist and none is still queued."""

        async def check() -> bool:
            found = await self.deliveries(source_id=source_id)
            return len(found) == count and all(d["status"] in SETTLED for d in found)

        assert await eventually(check, True, timeout=timeout), await self.deliveries(
            source_id=source_id
        )
        return await self.deliveries(source_id=source_id)

    async def messages(self, source_id: str) -> list[Any]:
        return await self.rows(
            "SELECT kind, locale, subject, body FROM message WHERE source_id = :s ORDER BY locale",
            s=source_id,
        )


async def dispatched(notify: Notify) -> None:
    """Until two whole rounds of the dispatcher, begun now, have ended: every delivery due
    by now has been sent (or tried), so what was not sent by then was held."""
    await periodic_rounds(notify.app, "dispatcher")


def later(**delta: float) -> datetime:
    return utcnow() + timedelta(**delta)


# Notices and callbacks: factories and helpers of test_notify_notices.py,
# test_notify_callbacks.py and test_notify_pages_browser.py.


def notice_body(site_id: str, **changes: Any) -> dict[str, Any]:
    """A water outage tomorrow for the whole site, published now; `changes` override."""
    now = utcnow()
    body = {
        "site_id": site_id,
        "kind": "water_outage",
        "title": "二期停水检修",
        "body": "因供水管道维修，届时将暂停供水，请提前储水。",
        "starts_at": (now + timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=1, hours=6)).isoformat(),
    }
    return {**body, **changes}


def resolved(site_id: str, complaint_id: str, *, at: datetime | None = None) -> CaseResolved:
    return CaseResolved(
        **{**case_fields(site_id, complaint_id), "at": at or utcnow()},
        actor="handler-1",
        result="The stairwell was cleaned.",
        reply="楼道已清扫干净，今后每日清扫两次。",
    )


async def households(
    notify: Notify,
    site_id: str,
    count: int,
    *,
    building_id: str = "b1",
    building: str = "B1",
    opted_out: bool = False,
) -> list[str]:
    """`count` households of a building (unit ids `<building>-u<n>`), each with a phone,
    known to notify through household.upserted; their ids."""
    events = [
        household(
            site_id,
            phones=[f"1380000{n:04d}"],
            building_id=building_id,
            building=building,
            unit_id=f"{building_id}-u{n}",
        )
        for n in range(count)
    ]
    for event in events:
        await notify.upsert(event)
    ids = [e.household_id for e in events]
    for ident in ids:
        assert await eventually(partial(notify.has_contact, ident), True)
        if opted_out:
            await notify.ok("PATCH", f"/v1/contacts/{ident}", json={"opted_out": True})
    return ids


async def known_complaint(notify: Notify, site_id: str, household_id: str | None) -> str:
    """A complaint notify heard of through complaint.received; its id."""
    event = complaint(site_id, household_id)
    await notify.emit(event, aggregate_id=event.complaint_id, aggregate_version=1)

    async def known() -> int:
        sql = "SELECT count(*) FROM complaint_ref WHERE complaint_id = :c"
        return int(await notify.scalar(sql, c=event.complaint_id))

    assert await eventually(known, 1) == 1
    return event.complaint_id


async def reached(notify: Notify, source_id: str) -> list[tuple[str, str]]:
    """(recipient key, channel) of every delivery of a source."""
    rows = await notify.rows(
        "SELECT recipient_key, channel FROM delivery WHERE source_id = :s", s=source_id
    )
    return sorted((r[0], r[1]) for r in rows)


def running(settings: NotifySettings) -> AbstractAsyncContextManager[Notify]:
    """Notify running in this process until the block ends (started again, it resumes)."""
    return _running(settings, create_app, Notify)
