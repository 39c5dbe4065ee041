"""A case's printed documents: routing's page, with the blanks it leaves for personal data
filled in from intake (the complainant's name, room and phone) and notify (the callback's
comment).

Routing holds no resident's name, phone or comment, and is never sent them: the console,
as the signed-in person, reads them from the services that own them and writes them only
into the page it hands to the browser to print.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from html import escape
from typing import Any

from console.backend.client import Api, Refused

NONE = "—"
PATHS = {
    "complaint-record": "/v1/cases/{case_id}/documents/complaint-record",
    "slip": "/v1/cases/{case_id}/slips/{number}/document",
    "notice": "/v1/cases/{case_id}/notices/{number}/document",
}
# Routing's blank: `<td data-fill="KEY"></td>` (`routing.documents.html.FILLS`).
BLANK = re.compile(r'(<td(?: class="long")? data-fill="([a-z_]+)">)(</td>)')


def filled(page: str, values: Mapping[str, str]) -> str:
    """The page with each blank holding its value, escaped; one without a value stays blank."""
    return BLANK.sub(lambda m: f"{m[1]}{escape(values.get(m[2], ''))}{m[3]}", page)


def room_of(complaint: Mapping[str, Any], household: Mapping[str, Any] | None) -> str:
    """The complainant's room as the office writes it (`2栋-1201`): their household's unit,
    else the unit the complaint was made about."""
    if household:
        return f"{household['building']}-{household['unit']}"
    location = complaint.get("location") or {}
    return str(location.get("text") or NONE) if location.get("unit_id") else NONE


def latest_comment(callbacks: list[Mapping[str, Any]]) -> str:
    """What the resident said at the latest callback that reached them."""
    done = [c for c in callbacks if c.get("completed_at") and c.get("comment")]
    return str(max(done, key=lambda c: str(c["completed_at"]))["comment"]) if done else NONE


def values_of(
    complaint: Mapping[str, Any],
    household: Mapping[str, Any] | None,
    callbacks: list[Mapping[str, Any]],
) -> dict[str, str]:
    """What fills each blank of the case's documents."""
    reporter = complaint.get("reporter") or {}
    name = reporter.get("staff_member") if reporter.get("type") == "staff" else reporter.get("name")
    return {
        "reporter_name": str(name or NONE),
        "reporter_room": room_of(complaint, household),
        "reporter_phone": str(reporter.get("phone") or NONE),
        "callback_comment": latest_comment(callbacks),
    }


async def document(api: Api, case_id: str, kind: str, number: str | None, lang: str) -> str:
    """A printable document of the case as routing renders it, its blanks filled in."""
    path = PATHS[kind].format(case_id=case_id, number=number)
    page, found = await asyncio.gather(
        api.get_text("routing", path, lang=lang), api.get("routing", f"/v1/cases/{case_id}")
    )
    complaint, callbacks = await asyncio.gather(
        api.get("intake", f"/v1/complaints/{found['complaint_id']}"),
        _callbacks(api, case_id) if kind == "complaint-record" else _nothing(),
    )
    household = await _household(api, complaint)
    return filled(page, values_of(complaint, household, callbacks))


async def _callbacks(api: Api, case_id: str) -> list[dict[str, Any]]:
    page = await api.get("notify", "/v1/callbacks", case_id=case_id, limit=20)
    return list(page["items"])


async def _nothing() -> list[dict[str, Any]]:
    return []


async def _household(api: Api, complaint: Mapping[str, Any]) -> dict[str, Any] | None:
    household_id = (complaint.get("reporter") or {}).get("household_id")
    if not household_id:
        return None
    try:
        found: dict[str, Any] = await api.get(
            "intake", f"/v1/sites/{complaint['site_id']}/households/{household_id}"
        )
    except Refused:  # moved out and removed since: the record still prints
        return None
    return found
