"""A callback whose last call goes unanswered says so: `callback.unreachable` goes out
through the outbox with the change, once, so that routing can finish or escalate the case."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from notify_harness import Notify, hex_id, next_event
from test_notify_callbacks import EVERY_DAY, _resolve

from notify.settings import NotifySettings
from shared.contracts.notify import CallbackUnreachable

pytestmark = pytest.mark.integration

MISS = {"reached": False, "comment": "无人接听"}


@pytest.fixture
def notify_settings(notify_settings: NotifySettings) -> NotifySettings:
    """Three calls before a resident is unreachable; the office calls back every day."""
    return notify_settings.model_copy(
        update={"callback_max_attempts": 3, "callback_working_days": EVERY_DAY}
    )


async def given_up(notify: Notify, callback_id: str) -> list[dict[str, Any]]:
    """The `callback.unreachable` rows of notify's outbox about the callback."""
    rows = await notify.rows("SELECT body FROM outbox WHERE type = 'callback.unreachable'")
    bodies = [orjson.loads(bytes(r.body)) for r in rows]
    return [b for b in bodies if b["data"]["callback_id"] == callback_id]


async def call(notify: Notify, callback_id: str, sub: str) -> dict[str, Any]:
    path = f"/v1/callbacks/{callback_id}/attempts"
    answer: dict[str, Any] = await notify.ok("POST", path, json=MISS, as_=notify.headers(sub=sub))
    return answer


async def test_the_last_unanswered_call_publishes_that_the_resident_is_unreachable(
    notify: Notify,
) -> None:
    site, caller = hex_id("site-"), hex_id("cc-")
    published = await notify.watch("callback.unreachable")
    case, ident, _ = await _resolve(notify, site)
    for _ in (1, 2):
        assert (await call(notify, ident, caller))["status"] == "open"
        assert await given_up(notify, ident) == []  # a miss before the last says nothing
    last = await call(notify, ident, caller)
    assert (last["status"], last["attempts"]) == ("unreachable", 3)

    (written,) = await given_up(notify, ident)  # in the outbox with the change, once
    env, event = await next_event(published)
    assert isinstance(event, CallbackUnreachable)
    assert (event.callback_id, event.case_id, event.complaint_id, event.site_id) == (
        ident,
        case.case_id,
        case.complaint_id,
        site,
    )
    assert (event.attempts, event.by) == (3, caller)
    assert (env.id, env.source, env.site_id) == (written["id"], "notify", site)
    assert env.aggregate_id == case.case_id
