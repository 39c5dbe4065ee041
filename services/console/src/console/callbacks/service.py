"""Callbacks and phone tasks as notify has them: whom to call, and what they said."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from console.backend.client import Api
from console.web.forms import optional, text

VIEWS = ("due", "overdue", "pending", "completed", "unreachable")
PAGE_SIZE = 50


async def page(api: Api, *, view: str, cursor: str | None) -> dict[str, Any]:
    """One page of the callback queue in one view (due is today's work)."""
    found: dict[str, Any] = await api.get(
        "notify", "/v1/callbacks", status=view, limit=PAGE_SIZE, cursor=cursor
    )
    return found


def attempt_body(form: FormData) -> dict[str, Any]:
    """notify's `AttemptIn` from the callback form: reached or not, satisfied or not."""
    reached = text(form, "reached") == "true"
    satisfied = text(form, "satisfied")
    return {
        "reached": reached,
        "satisfied": (satisfied == "true") if reached and satisfied else None,
        "comment": optional(form, "comment"),
    }


async def record_attempt(api: Api, callback_id: str, body: Any, *, key: str) -> dict[str, Any]:
    """Record one call, once per form."""
    found: dict[str, Any] = await api.post(
        "notify", f"/v1/callbacks/{callback_id}/attempts", body, key=key
    )
    return found


async def phone_tasks(api: Api, *, status: str, cursor: str | None) -> dict[str, Any]:
    """The call-center's calls to make (open) or made (done)."""
    found: dict[str, Any] = await api.get(
        "notify", "/v1/phone-tasks", status=status, limit=PAGE_SIZE, cursor=cursor
    )
    return found


async def phone_task_done(api: Api, task_id: str, form: FormData) -> dict[str, Any]:
    """Record that a phone task's call was made."""
    body = {"reached": text(form, "reached") != "false", "note": optional(form, "note")}
    found: dict[str, Any] = await api.post("notify", f"/v1/phone-tasks/{task_id}/done", body)
    return found
