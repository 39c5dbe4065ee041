"""A work queue as the page shows it: routing's cases, with the reporter from intake and
people's names from routing's organisation — one call each, however many rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.backend.client import Api
from console.backend.organisation import Organisation

QUEUES = ("mine", "department", "escalated_to_me", "overdue", "waiting_on_developer", "all")
FILTERS = ("status", "category", "severity", "site_id", "department")
PAGE_SIZE = 50


@dataclass(frozen=True)
class Row:
    """One case of a queue, with who reported it and who holds it."""

    case: dict[str, Any]
    reporter: dict[str, Any] | None
    organisation: Organisation


def default_queue(roles: frozenset[str]) -> str:
    """Where a person's work starts: handlers their own, heads their department's, the
    VP and GM what was escalated to them, an administrator everything."""
    if "handler" in roles:
        return "mine"
    if "dept_head" in roles:
        return "department"
    if roles & {"vp", "gm"}:
        return "escalated_to_me"
    return "all"


async def page(
    api: Api, *, queue: str, filters: dict[str, str], cursor: str | None
) -> dict[str, Any]:
    """One page of a queue from routing."""
    found: dict[str, Any] = await api.get(
        "routing", "/v1/cases", queue=queue, limit=PAGE_SIZE, cursor=cursor, **filters
    )
    return found


async def reporters(api: Api, complaint_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each complaint's reporter, in one call to intake."""
    if not complaint_ids:
        return {}
    found = await api.get("intake", "/v1/complaints", id=complaint_ids, limit=len(complaint_ids))
    return {c["id"]: c["reporter"] for c in found["items"]}


async def counts(api: Api) -> dict[str, int]:
    """How many cases wait in each of the person's queues."""
    found: dict[str, int] = await api.get("routing", "/v1/cases/counts")
    return found
