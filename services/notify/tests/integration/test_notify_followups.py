"""A withdrawn complaint, on both databases with the real broker: its open callback, its
queued reply and its open phone task are cancelled, a resolution arriving after the
withdrawal sends nothing, and the handler is told once; a supplement reaches the handler.

"Nothing was sent" is shown by a positive marker, never by sleeping: the event's row in
notify's inbox (it was handled), and the rows the handling left.
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from notify_harness import (
    Notify,
    envelope,
    eventually,
    hex_id,
    household,
    known_complaint,
    resolved,
    staff_member,
)
from notify_receivers import HttpServer, MailServer
from sqlalchemy import Connection, inspect

import notify.main  # noqa: F401  (every table registers on notify's metadata)
from notify.main import SERVICE_DIR
from notify.models import metadata
from notify.settings import NotifySettings
from shared.clock import utcnow
from shared.contracts.routing import CaseResolved, CaseSupplemented, CaseWithdrawn
from shared.db.engine import Database
from shared.db.migrations import downgrade_async, target_metadata, upgrade_async

pytestmark = pytest.mark.integration

HANDLER, HEAD = "cs-1", "cs-head"


@pytest.fixture
def notify_settings(notify_settings: NotifySettings) -> NotifySettings:
    """A failing SMS stays queued for another try long enough to be cancelled."""
    return notify_settings.model_copy(
        update={"delivery_max_attempts": 10_000, "callback_working_days": [1, 2, 3, 4, 5, 6, 7]}
    )


async def _office(notify: Notify) -> str:
    site = hex_id("site-")
    await notify.put_site(site, working_hours_start="00:00", working_hours_end="23:59")
    await notify.put_staff(
        site,
        [
            staff_member(HANDLER, "handler", "customer_service"),
            staff_member(HEAD, "dept_head", "customer_service"),
        ],
    )
    return site


async def _resident(notify: Notify, site: str) -> str:
    """A household reached by SMS and by a call-center phone task."""
    one = household(site, phones=["13800138000"])
    await notify.upsert(one)
    assert await eventually(lambda: notify.has_contact(one.household_id), True)
    channels = {"channels": ["sms", "phone_task"]}
    await notify.ok("PATCH", f"/v1/contacts/{one.household_id}", json=channels)
    return one.household_id


def _withdrawn(event: CaseResolved) -> CaseWithdrawn:
    return CaseWithdrawn(
        case_id=event.case_id,
        complaint_id=event.complaint_id,
        site_id=event.site_id,
        at=utcnow(),
        reason="已自行解决",
        withdrawn_at=utcnow(),
        from_status="resolved",
        department="customer_service",
        handler=HANDLER,
        owner=HANDLER,
    )


def _case_envelope(event: CaseResolved | CaseWithdrawn, version: int) -> dict[str, Any]:
    return envelope(
        event, site_id=event.site_id, aggregate_id=event.case_id, aggregate_version=version
    )


async def _handled(notify: Notify, *envelopes: dict[str, Any]) -> None:
    ids = {e["id"] for e in envelopes}

    async def count() -> int:
        rows = await notify.rows("SELECT message_id FROM inbox")
        return len(ids & {r[0] for r in rows})

    assert await eventually(count, len(ids)) == len(ids)


async def _statuses(notify: Notify, sql: str, **params: Any) -> list[str]:
    return sorted(str(r[0]) for r in await notify.rows(sql, **params))


async def test_a_withdrawal_cancels_the_callback_the_queued_reply_and_the_phone_task(
    notify: Notify, http_server: HttpServer, mail_server: MailServer
) -> None:
    http_server.answers["/sms"] = [503]  # the reply's SMS keeps failing: queued for a retry
    site = await _office(notify)
    event = resolved(site, await known_complaint(notify, site, await _resident(notify, site)))
    await notify.publish(_case_envelope(event, 7))
    replies = "SELECT d.status FROM delivery d JOIN message m ON m.id = d.message_id "
    replies += "WHERE m.complaint_id = :c AND m.kind = 'case_reply'"
    tasks = "SELECT t.status FROM phone_task t JOIN delivery d ON d.id = t.delivery_id "
    tasks += "JOIN message m ON m.id = d.message_id WHERE m.complaint_id = :c"
    assert await eventually(lambda: _statuses(notify, tasks, c=event.complaint_id), ["open"])
    queued_and_sent = ["queued", "sent"]  # the SMS retried, the phone task opened
    assert (
        await eventually(lambda: _statuses(notify, replies, c=event.complaint_id), queued_and_sent)
        == queued_and_sent
    )

    withdrawal = _case_envelope(_withdrawn(event), 8)
    await notify.publish(withdrawal)
    await notify.publish(withdrawal)  # delivered again: changes nothing twice
    await _handled(notify, withdrawal)

    (callback,) = (await notify.ok("GET", "/v1/callbacks", params={"case_id": event.case_id}))[
        "items"
    ]
    assert (callback["status"], callback["state"]) == ("cancelled", "cancelled")
    attempt = {"reached": True, "satisfied": True}
    response = await notify.request(
        "POST", f"/v1/callbacks/{callback['id']}/attempts", json=attempt
    )
    assert response.status_code == 409, response.text
    assert await _statuses(notify, replies, c=event.complaint_id) == ["cancelled", "cancelled"]
    assert await _statuses(notify, tasks, c=event.complaint_id) == ["cancelled"]

    told = await notify.settled(withdrawal["id"], 1)
    assert [(d["recipient_key"], d["kind"], d["status"]) for d in told] == [
        (f"staff:{HANDLER}", "case_withdrawn", "sent")
    ]
    (mail,) = [m for m in mail_server.to(f"{HANDLER}@staff.example") if "撤回" in m.subject]
    assert "已自行解决" in mail.body
    assert "不再回访" in mail.body


async def test_a_resolution_arriving_after_the_withdrawal_sends_no_reply_or_callback(
    notify: Notify,
) -> None:
    site = await _office(notify)
    event = resolved(site, await known_complaint(notify, site, await _resident(notify, site)))
    withdrawal, late = _case_envelope(_withdrawn(event), 8), _case_envelope(event, 7)
    await notify.publish(withdrawal)
    await _handled(notify, withdrawal)
    await notify.publish(late)
    await _handled(notify, late)

    sql = "SELECT count(*) FROM callback WHERE complaint_id = :c"
    assert await notify.scalar(sql, c=event.complaint_id) == 0
    sql = "SELECT kind FROM message WHERE complaint_id = :c"
    kinds = await _statuses(notify, sql, c=event.complaint_id)
    assert ("case_withdrawn" in kinds, "case_reply" in kinds) == (True, False)


async def test_a_supplement_reaches_the_handler_once(
    notify: Notify, mail_server: MailServer
) -> None:
    site = await _office(notify)
    complaint_id = await known_complaint(notify, site, None)
    event = CaseSupplemented(
        case_id=hex_id("case-"),
        complaint_id=complaint_id,
        site_id=site,
        at=utcnow(),
        text="晚上十点后噪音更大。",
        added_by="业主 张女士",
        added_at=utcnow(),
        department="customer_service",
        handler=HANDLER,
        owner=HEAD,
    )
    sent = envelope(event, site_id=site, aggregate_id=event.case_id, aggregate_version=3)
    await notify.publish(sent)
    await notify.publish(sent)
    await _handled(notify, sent)

    told = await notify.settled(sent["id"], 2)
    assert sorted((d["recipient_key"], d["kind"]) for d in told) == [
        (f"staff:{HANDLER}", "case_supplemented"),
        (f"staff:{HEAD}", "case_supplemented"),
    ]
    (mail,) = [m for m in mail_server.to(f"{HANDLER}@staff.example") if "补充" in m.subject]
    assert "晚上十点后噪音更大。" in mail.body
    assert "业主 张女士" in mail.body


CHANGED = {"complaint_ref", "message", "phone_task"}


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    found = compare_metadata(context, target_metadata(metadata))
    return [d for d in found if CHANGED & _names(d)]


def _names(diff: Any) -> set[str]:
    """The names a difference mentions (alembic reports tuples, or lists of them)."""
    first = diff[0] if isinstance(diff, list) else diff
    named = (getattr(getattr(p, "table", p), "name", p) for p in first[1:])
    return {n for n in named if isinstance(n, str)}


def _withdrawn_at(connection: Connection) -> bool:
    return "withdrawn_at" in {c["name"] for c in inspect(connection).get_columns("complaint_ref")}


async def test_migration_0004_matches_the_models_and_goes_down_and_up(database_url: str) -> None:
    await upgrade_async(SERVICE_DIR, database_url)
    db = Database(database_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
        await downgrade_async(SERVICE_DIR, database_url, "0003")
        async with db.engine.connect() as conn:
            assert not await conn.run_sync(_withdrawn_at)
        await upgrade_async(SERVICE_DIR, database_url)
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_withdrawn_at)
            assert await conn.run_sync(_differences) == []
    finally:
        await db.dispose()
