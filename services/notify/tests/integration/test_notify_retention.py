"""Retention in notify: after the site's period (announced by intake), the addresses and
bodies of finished messages, the comments of finished callbacks and the contacts of removed
households are replaced by a marker; the figures by channel, status and outcome stay.
Time is the shared frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
import structlog
from notify_harness import (
    Notify,
    complaint,
    envelope,
    eventually,
    hex_id,
    household,
    known_complaint,
    removed,
    resolved,
    visitor,
)
from prometheus_client import REGISTRY

from shared.contracts.intake import SiteRetentionSet
from shared.timers import pending

pytestmark = pytest.mark.integration

MARKER = "[anonymised]"
KIND = "notify.retention"
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
PHONE = "13912345678"


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _policy(notify: Notify, site: str, years: int) -> None:
    event = SiteRetentionSet(
        site_id=site, retention_years=years, timezone="Asia/Shanghai", set_at=T0
    )
    await notify.publish(envelope(event, site_id=site, aggregate_id=site))

    async def set_() -> bool:
        async with notify.db.sessions() as session:
            return await pending(session, kind=KIND, key=site) is not None

    assert await eventually(set_, True) is True


async def _resident(notify: Notify, site: str, phone: str) -> str:
    event = household(site, phones=[phone], email=f"li{phone[-4:]}@example.com")
    await notify.upsert(event)
    assert await eventually(partial(notify.has_contact, event.household_id), True)
    return event.household_id


async def _callback(notify: Notify, site: str, household_id: str) -> str:
    event = resolved(site, await known_complaint(notify, site, household_id))
    await notify.publish(envelope(event, site_id=site, aggregate_id=event.case_id))

    async def opened() -> Any:
        sql = "SELECT id FROM callback WHERE case_id = :c"
        return await notify.scalar(sql, c=event.case_id)

    return str(await _until(opened))


async def _until(check: Any) -> Any:
    async def there() -> bool:
        return await check() is not None

    assert await eventually(there, True) is True
    return await check()


async def _figures(notify: Notify, site: str) -> list[Any]:
    deliveries = await notify.rows(
        "SELECT m.kind, d.channel, d.status, count(*) FROM delivery d"
        " JOIN message m ON m.id = d.message_id WHERE d.site_id = :s"
        " GROUP BY m.kind, d.channel, d.status ORDER BY m.kind, d.channel, d.status",
        s=site,
    )
    callbacks = await notify.rows(
        "SELECT status, satisfied, count(*) FROM callback WHERE site_id = :s"
        " GROUP BY status, satisfied ORDER BY status",
        s=site,
    )
    return [*map(tuple, deliveries), *map(tuple, callbacks)]


async def _no_queued(notify: Notify, site: str) -> int:
    sql = "SELECT count(*) FROM delivery WHERE site_id = :s AND status = 'queued'"
    return int(await notify.scalar(sql, s=site))


async def test_retention_run_anonymises_finished_messages_callbacks_and_contacts(
    notify: Notify, frozen_clock: Any
) -> None:
    frozen_clock.freeze(T0)
    site = hex_id("site-")
    await notify.put_site(site, working_hours_start="00:00", working_hours_end="23:59")
    await _policy(notify, site, years=2)
    resident = await _resident(notify, site, PHONE)
    other = await _resident(notify, site, "13700001111")
    done = await _callback(notify, site, resident)
    caller = notify.headers(roles=["callcenter"], sites=[site], sub="agent-7")
    body = {"reached": True, "satisfied": True, "comment": f"Li is happy, {PHONE}"}
    await notify.ok("POST", f"/v1/callbacks/{done}/attempts", json=body, as_=caller)
    still_open = await _callback(notify, site, other)
    await notify.emit(removed(site, resident))
    assert await eventually(lambda: _removed(notify, resident), True) is True
    assert await eventually(lambda: _no_queued(notify, site), 0) == 0
    figures_before = await _figures(notify, site)
    runs = _sample("careloop_notify_retention_runs_total", outcome="completed")
    callbacks = _sample("careloop_notify_records_anonymised_total", record="callback")
    contacts = _sample("careloop_notify_records_anonymised_total", record="contact")

    with structlog.testing.capture_logs() as logs:
        frozen_clock.advance(timedelta(days=2 * 365 + 2))
        comment = await eventually(lambda: _comment(notify, done), MARKER)

    assert comment == MARKER
    gone = await notify.ok("GET", f"/v1/callbacks/{done}")
    assert (gone["summary"], gone["status"], gone["satisfied"]) == (MARKER, "completed", True)
    attempts = await notify.rows(
        "SELECT comment FROM callback_attempt WHERE callback_id = :c", c=done
    )
    assert [a[0] for a in attempts] == [MARKER]
    addresses = await notify.rows(
        "SELECT d.address, m.subject, m.body FROM delivery d JOIN message m"
        " ON m.id = d.message_id WHERE d.site_id = :s AND d.recipient_key = :r",
        s=site,
        r=f"household:{resident}",
    )
    assert addresses
    assert {tuple(a) for a in addresses} == {(MARKER, MARKER, MARKER)}
    assert PHONE not in str(await notify.deliveries(site_id=site))
    contact = await notify.rows(
        "SELECT name, phone, email FROM household_contact WHERE household_id = :h", h=resident
    )
    assert [tuple(c) for c in contact] == [(MARKER, MARKER, MARKER)]
    kept = await notify.ok("GET", f"/v1/callbacks/{still_open}")
    assert kept["summary"] != MARKER
    assert await notify.scalar(
        "SELECT name FROM household_contact WHERE household_id = :h", h=other
    ) not in (MARKER, None)
    assert await _figures(notify, site) == figures_before
    assert _sample("careloop_notify_retention_runs_total", outcome="completed") == runs + 1
    assert _sample("careloop_notify_records_anonymised_total", record="callback") == callbacks + 1
    assert _sample("careloop_notify_records_anonymised_total", record="contact") == contacts + 1
    finished = [e for e in logs if e["event"] == "retention run finished"]
    assert [(e["site_id"], e["callbacks_anonymised"]) for e in finished] == [(site, 1)]
    async with notify.db.sessions() as session:
        timer = await pending(session, kind=KIND, key=site)
    assert timer is not None
    assert timer.due_at > frozen_clock.now()


async def _comment(notify: Notify, callback_id: str) -> Any:
    return await notify.scalar("SELECT comment FROM callback WHERE id = :c", c=callback_id)


async def _removed(notify: Notify, household_id: str) -> bool:
    sql = "SELECT removed_at FROM household_contact WHERE household_id = :h"
    return await notify.scalar(sql, h=household_id) is not None


async def _phone_task(notify: Notify, site: str, phone: str) -> int:
    household_id = await _resident(notify, site, phone)
    await notify.ok("PATCH", f"/v1/contacts/{household_id}", json={"channels": ["phone_task"]})
    source = await notify.emit(complaint(site, household_id, reference=f"GH-{phone}"))
    await notify.settled(source, 1)
    sql = "SELECT id FROM phone_task WHERE recipient_key = :r"
    return int(await _until(partial(notify.scalar, sql, r=f"household:{household_id}")))


async def test_a_finished_phone_task_loses_its_number_and_text_and_an_open_one_keeps_them(
    notify: Notify, frozen_clock: Any
) -> None:
    frozen_clock.freeze(T0)
    site = hex_id("site-")
    await notify.put_site(site)
    await _policy(notify, site, years=2)
    worked = await _phone_task(notify, site, PHONE)
    waiting = await _phone_task(notify, site, "13700002222")
    caller = notify.headers(roles=["callcenter"], sites=[site], sub="agent-7")
    body = {"reached": True, "note": f"Li picked up on {PHONE}"}
    await notify.ok("POST", f"/v1/phone-tasks/{worked}/done", json=body, as_=caller)
    tasks = _sample("careloop_notify_records_anonymised_total", record="phone_task")

    frozen_clock.advance(timedelta(days=2 * 365 + 2))
    sql = "SELECT phone FROM phone_task WHERE id = :t"
    assert await eventually(partial(notify.scalar, sql, t=worked), MARKER) == MARKER

    rows = await notify.rows(
        "SELECT id, phone, subject, body, note, status, reached FROM phone_task"
        " WHERE site_id = :s ORDER BY id",
        s=site,
    )
    done, still_open = (tuple(r) for r in rows)
    assert done == (worked, MARKER, MARKER, MARKER, MARKER, "done", True)
    assert still_open[:2] == (waiting, "13700002222")
    assert "GH-13700002222" in still_open[2]
    addresses = await notify.rows(
        "SELECT p.id, d.address FROM phone_task p JOIN delivery d ON d.id = p.delivery_id"
        " WHERE p.site_id = :s ORDER BY p.id",
        s=site,
    )
    assert [tuple(a) for a in addresses] == [(worked, MARKER), (waiting, "13700002222")]
    assert _sample("careloop_notify_records_anonymised_total", record="phone_task") == tasks + 1


async def _visitors_callback(notify: Notify, site: str, phone: str) -> tuple[str, str]:
    """A visitor's complaint, resolved: (complaint id, callback id)."""
    contact, received = visitor(site, phone=phone, email=f"v{phone[-4:]}@example.com")
    await notify.emit(contact)
    await notify.emit(received)
    event = resolved(site, received.complaint_id)
    await notify.publish(envelope(event, site_id=site, aggregate_id=event.case_id))
    sql = "SELECT id FROM callback WHERE case_id = :c"
    return received.complaint_id, str(await _until(partial(notify.scalar, sql, c=event.case_id)))


async def _visitor_contact(notify: Notify, complaint_id: str) -> tuple[Any, ...]:
    sql = "SELECT visitor_name, visitor_phone, visitor_email FROM complaint_ref"
    (row,) = await notify.rows(f"{sql} WHERE complaint_id = :c", c=complaint_id)
    return tuple(row)


async def test_a_visitors_contact_goes_with_their_complaints_records_and_not_before(
    notify: Notify, frozen_clock: Any
) -> None:
    frozen_clock.freeze(T0)
    site = hex_id("site-")
    await notify.put_site(site, working_hours_start="00:00", working_hours_end="23:59")
    await _policy(notify, site, years=2)
    answered, done = await _visitors_callback(notify, site, "13600003333")
    waiting, still_open = await _visitors_callback(notify, site, "13600004444")
    body = {"reached": True, "satisfied": True}
    await notify.ok("POST", f"/v1/callbacks/{done}/attempts", json=body)
    assert await eventually(lambda: _no_queued(notify, site), 0) == 0
    visitors = _sample("careloop_notify_records_anonymised_total", record="visitor")

    frozen_clock.advance(timedelta(days=2 * 365 + 2))
    cleared = await eventually(partial(_visitor_contact, notify, answered), (MARKER,) * 3)

    assert cleared == (MARKER,) * 3
    gone = (await notify.ok("GET", f"/v1/callbacks/{done}"))["contact"]
    assert (gone["name"], gone["phone"]) == (MARKER, MARKER)
    kept = await notify.ok("GET", f"/v1/callbacks/{still_open}")
    assert kept["contact"] == {
        "name": "过客刘",
        "phone": "13600004444",
        "building": None,
        "unit": None,
    }
    assert await _visitor_contact(notify, waiting) == ("过客刘", "13600004444", "v4444@example.com")
    sql = "SELECT DISTINCT address FROM delivery WHERE recipient_key = :r"
    assert await notify.rows(sql, r=f"visitor:{answered}") == [(MARKER,)]
    assert _sample("careloop_notify_records_anonymised_total", record="visitor") == visitors + 1
