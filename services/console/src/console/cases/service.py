"""A case as its page shows it: routing's case (history, slips, notices, the actions the
person may take), intake's complaint (reporter, contact, timeline), notify's callbacks."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from console.backend.client import Api
from console.backend.organisation import Organisation
from console.cases.actions import Action

# What intake's timeline adds to routing's own history of a case.
COMPLAINT_EVENTS = ("complaint.", "notification.", "callback.")


@dataclass(frozen=True)
class CaseFile:
    """Everything the case page shows."""

    case: dict[str, Any]
    complaint: dict[str, Any]
    callbacks: list[dict[str, Any]]
    organisation: Organisation

    def history(self) -> list[dict[str, Any]]:
        """Routing's entries and intake's other entries, in the order they happened."""
        own = [{"source": "routing", **e} for e in self.case["history"]]
        other = [
            {"source": "intake", "data": {}, **e}
            for e in self.complaint.get("timeline", [])
            if e["type"].startswith(COMPLAINT_EVENTS)
        ]
        return _folded(sorted(own + other, key=lambda e: str(e["at"])))


def _folded(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages sent one after another for the same step (one mail to each member of a
    department) read as one entry with how many were sent."""
    folded: list[dict[str, Any]] = []
    for entry in entries:
        last = folded[-1] if folded else None
        same = last is not None and entry["type"] == "notification.sent" == last["type"]
        if same and last is not None and entry.get("description") == last.get("description"):
            last["count"] = last.get("count", 1) + 1
            continue
        folded.append(dict(entry))
    return folded


async def case(api: Api, case_id: str) -> dict[str, Any]:
    """Routing's case in full."""
    found: dict[str, Any] = await api.get("routing", f"/v1/cases/{case_id}")
    return found


async def case_file(api: Api, found: dict[str, Any], organisation: Organisation) -> CaseFile:
    """The case with its complaint and callbacks (asked of intake and notify together)."""
    complaint, callbacks = await asyncio.gather(
        api.get("intake", f"/v1/complaints/{found['complaint_id']}"),
        api.get("notify", "/v1/callbacks", case_id=found["id"], limit=20),
    )
    return CaseFile(found, complaint, list(callbacks["items"]), organisation)


async def act(api: Api, case_id: str, action: Action, body: Any, *, key: str) -> dict[str, Any]:
    """Take the action once per form; routing answers with the case as it is now."""
    found: dict[str, Any] = await api.post(
        "routing", f"/v1/cases/{case_id}/{action.path}", body, key=key
    )
    return found


async def next_in_queue(api: Api, queue: str, after: str) -> dict[str, Any] | None:
    """The first case of the queue other than `after`: what to work on next."""
    page = await api.get("routing", "/v1/cases", queue=queue, limit=2)
    return next((c for c in page["items"] if c["id"] != after), None)


async def case_of_complaint(api: Api, complaint_id: str) -> dict[str, Any] | None:
    """The case routing opened for a complaint (None until it has)."""
    page = await api.get("routing", "/v1/cases", complaint_id=complaint_id, limit=1)
    return page["items"][0] if page["items"] else None
