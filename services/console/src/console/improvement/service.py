"""Rectifications and corrective/preventive actions as routing has them, and what their
pages show: each item with its team's reports, the cases and the survey an action came
from. One call per list, however many rows; routing says what the person may do now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.backend.client import Api, Refused
from console.backend.organisation import Organisation

PAGE_SIZE = 50
RECTIFICATION_FILTERS = ("status", "site_id", "origin", "overdue")
ACTION_FILTERS = ("status", "site_id", "overdue", "kind", "source")
DECISIONS = {"accept": "acceptance", "reject": "rejection"}
STEPS = {"plan": "plan", "complete": "completion", "verify": "verification"}
ITEM_EVENTS = ("rectification.item_reported", "rectification.item_overdue")


@dataclass(frozen=True)
class Item:
    """One item of a plan, with what its team reported and when it went up the chain."""

    item: dict[str, Any]
    entries: list[dict[str, Any]]
    reportable: bool
    last_open: bool
    """The only item still open: reporting it done submits the work for acceptance."""


@dataclass(frozen=True)
class RectificationFile:
    """Everything a rectification's page shows."""

    rect: dict[str, Any]
    organisation: Organisation

    def items(self) -> list[Item]:
        """The plan's items in order, each with its own entries of the history."""
        rect, history = self.rect, self.rect.get("history", [])
        still_open = [i["position"] for i in rect["items"] if i["status"] == "open"]
        about = [e for e in history if e["type"] in ITEM_EVENTS]
        return [
            Item(
                item=i,
                entries=[e for e in about if e["position"] == i["position"]],
                reportable=i["position"] in rect.get("reportable", []),
                last_open=still_open == [i["position"]],
            )
            for i in rect["items"]
        ]

    def teams(self) -> list[str]:
        """The teams of the plan, in the order they first appear."""
        return list(dict.fromkeys(i["team"] for i in self.rect["items"]))


def progress(rect: dict[str, Any]) -> tuple[int, int]:
    """Items done, and all items."""
    items = rect["items"]
    return sum(1 for i in items if i["status"] == "done"), len(items)


def wanted(query: Any, names: tuple[str, ...]) -> dict[str, str]:
    """The filters a list page was asked for (overdue only as `true`)."""
    found = {k: str(query[k]) for k in names if query.get(k)}
    if found.get("overdue") not in (None, "true"):
        found.pop("overdue")
    return found


async def rectifications(api: Api, filters: dict[str, str], cursor: str | None) -> dict[str, Any]:
    """One page of rectifications, oldest first."""
    found: dict[str, Any] = await api.get(
        "routing", "/v1/rectifications", limit=PAGE_SIZE, cursor=cursor, **filters
    )
    return found


async def rectification(api: Api, rect_id: str) -> dict[str, Any]:
    """One rectification with its plan, history and what the person may do now."""
    found: dict[str, Any] = await api.get("routing", f"/v1/rectifications/{rect_id}")
    return found


async def case(api: Api, case_id: str) -> dict[str, Any]:
    """The case a rectification is opened from."""
    found: dict[str, Any] = await api.get("routing", f"/v1/cases/{case_id}")
    return found


async def open_rectification(api: Api, body: dict[str, Any], *, key: str) -> dict[str, Any]:
    """Open the rectification once per form."""
    found: dict[str, Any] = await api.post("routing", "/v1/rectifications", body, key=key)
    return found


async def report(
    api: Api, rect_id: str, position: int, body: dict[str, Any], *, key: str
) -> dict[str, Any]:
    """A team's report on its item, once per form."""
    path = f"/v1/rectifications/{rect_id}/items/{position}/reports"
    found: dict[str, Any] = await api.post("routing", path, body, key=key)
    return found


async def decide(
    api: Api, rect_id: str, decision: str, body: dict[str, Any], *, key: str
) -> dict[str, Any]:
    """Accept the work or reject it back to the teams, once per form."""
    path = f"/v1/rectifications/{rect_id}/{DECISIONS[decision]}"
    found: dict[str, Any] = await api.post("routing", path, body, key=key)
    return found


async def report_document(api: Api, rect_id: str, lang: str) -> str:
    """The printable rectification report (整改报告), as routing renders it."""
    return await api.get_text("routing", f"/v1/rectifications/{rect_id}/report", lang=lang)


async def actions(api: Api, filters: dict[str, str], cursor: str | None) -> dict[str, Any]:
    """One page of corrective and preventive actions, oldest first."""
    found: dict[str, Any] = await api.get(
        "routing", "/v1/corrective-actions", limit=PAGE_SIZE, cursor=cursor, **filters
    )
    return found


async def action(api: Api, action_id: str) -> dict[str, Any]:
    """One action with the cases it came from and what the person may do now."""
    found: dict[str, Any] = await api.get("routing", f"/v1/corrective-actions/{action_id}")
    return found


async def step(
    api: Api, action_id: str, name: str, body: dict[str, Any], *, key: str
) -> dict[str, Any]:
    """Plan, complete or verify the action, once per form."""
    path = f"/v1/corrective-actions/{action_id}/{STEPS[name]}"
    found: dict[str, Any] = await api.post("routing", path, body, key=key)
    return found


async def campaign(api: Api, campaign_id: str | None) -> dict[str, Any] | None:
    """The survey campaign an action came from (None when surveys does not show it)."""
    if not campaign_id:
        return None
    try:
        found: dict[str, Any] = await api.get("surveys", f"/v1/campaigns/{campaign_id}")
    except Refused:
        return None
    return found
