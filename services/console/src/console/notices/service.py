"""What the notices pages ask of notify and intake: the notices, the places a notice can
reach by name, how its deliveries went, and the complaints received while the work ran.

One call per list, never one per row: a site's buildings and units come in one call each,
a notice's deliveries as counts and as the failing ones, both asked of notify together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from console.backend.client import Api
from console.web import times

PAGE_SIZE = 30
MAX_PLACES = 500
MAX_PAGES = 4
"""2,000 units: as many places as notify takes in one notice's scope."""
FAILING_SHOWN = 50
COMPLAINTS_SHOWN = 20
AFTER_THE_WORK = timedelta(days=1)
"""Complaints up to a day after the work ended may still be about it."""
DELIVERY_STATUSES = ("queued", "sent", "delivered", "failed")
CHANNELS = ("sms", "email", "webhook", "phone_task")


@dataclass(frozen=True)
class Place:
    """A building or a unit as residents name it."""

    id: str
    label: str
    building_id: str = ""
    short: str = ""
    """A unit's number alone, where its building is already named."""


@dataclass(frozen=True)
class Places:
    """A site's buildings and, under each, its units."""

    buildings: list[Place] = field(default_factory=list)
    units: dict[str, list[Place]] = field(default_factory=dict)

    @classmethod
    def of(cls, buildings: Iterable[dict[str, Any]], units: Iterable[dict[str, Any]]) -> Places:
        """From intake's buildings and units (units named `building-number`)."""
        named = [Place(b["id"], str(b.get("name") or b["code"])) for b in buildings]
        label = {b.id: b.label for b in named}
        grouped: dict[str, list[Place]] = {b.id: [] for b in named}
        for u in units:
            building = str(u["building_id"])
            named_as = f"{label.get(building, u['building'])}-{u['number']}"
            place = Place(u["id"], named_as, building, str(u["number"]))
            grouped.setdefault(building, []).append(place)
        for found in grouped.values():
            found.sort(key=lambda p: p.label)
        return cls(buildings=named, units=grouped)

    def names(self, scope: str, ids: Iterable[str]) -> list[str]:
        """The names of a notice's buildings or units (an id intake no longer has stays)."""
        if scope == "buildings":
            known = {b.id: b.label for b in self.buildings}
        else:
            known = {u.id: u.label for group in self.units.values() for u in group}
        return [known.get(i, i) for i in ids]

    def building_of(self, unit_id: str) -> str:
        """The building a unit is in ('' when unknown)."""
        for building, group in self.units.items():
            if any(u.id == unit_id for u in group):
                return building
        return ""


@dataclass(frozen=True)
class Tally:
    """How a notice's deliveries went: counts per channel and status, over every message
    of the notice (the notice, its updates, its cancellation)."""

    cells: dict[tuple[str, str], int] = field(default_factory=dict)
    retrying: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[dict[str, Any]]) -> Tally:
        """From notify's counts per kind, channel and status."""
        cells: dict[tuple[str, str], int] = {}
        retrying: dict[str, int] = {}
        kinds: dict[str, int] = {}
        for item in items:
            key = (str(item["channel"]), str(item["status"]))
            cells[key] = cells.get(key, 0) + int(item["count"])
            kinds[item["kind"]] = kinds.get(item["kind"], 0) + int(item["count"])
            if item["status"] == "queued" and item["failing"]:
                retrying[key[0]] = retrying.get(key[0], 0) + int(item["failing"])
        return cls(cells=cells, retrying=retrying, kinds=kinds)

    @property
    def channels(self) -> list[str]:
        """The channels that carried anything, in their usual order."""
        used = {channel for channel, _ in self.cells}
        return [c for c in (*CHANNELS, *sorted(used - set(CHANNELS))) if c in used]

    def count(self, channel: str, status: str) -> int:
        return self.cells.get((channel, status), 0)

    def of_channel(self, channel: str) -> int:
        return sum(n for (c, _), n in self.cells.items() if c == channel)

    def of_status(self, status: str) -> int:
        return sum(n for (_, s), n in self.cells.items() if s == status)

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    @property
    def pending(self) -> bool:
        """True while some delivery still waits to go out (the page keeps looking)."""
        return self.of_status("queued") > 0


@dataclass(frozen=True)
class Deliveries:
    """The notice page's deliveries: the tally and the ones that did not get through."""

    tally: Tally
    failing: list[dict[str, Any]]
    more_failing: bool


async def notices(
    api: Api, *, status: str, filters: dict[str, str], cursor: str | None
) -> dict[str, Any]:
    """One page of the person's notices in one status, newest first."""
    found: dict[str, Any] = await api.get(
        "notify", "/v1/notices", status=status, limit=PAGE_SIZE, cursor=cursor, **filters
    )
    return found


async def notice(api: Api, notice_id: str) -> dict[str, Any]:
    """One notice."""
    found: dict[str, Any] = await api.get("notify", f"/v1/notices/{notice_id}")
    return found


async def places(api: Api, site_id: str) -> Places:
    """The site's buildings and units by name (one call each, a page of 500 at a time)."""
    base = f"/v1/sites/{site_id}"
    buildings, units = await asyncio.gather(
        _every(api, f"{base}/buildings"), _every(api, f"{base}/units")
    )
    return Places.of(buildings, units)


async def _every(api: Api, path: str) -> list[dict[str, Any]]:
    """Every item of one of intake's lists, page after page, up to MAX_PAGES pages."""
    found: list[dict[str, Any]] = []
    cursor = None
    for _ in range(MAX_PAGES):
        page = await api.get("intake", path, limit=MAX_PLACES, cursor=cursor)
        found.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return found


async def places_of(api: Api, site_ids: Iterable[str]) -> dict[str, Places]:
    """The places of each of these sites, asked together."""
    wanted = sorted(set(site_ids))
    found = await asyncio.gather(*(places(api, s) for s in wanted))
    return dict(zip(wanted, found, strict=True))


async def create(api: Api, body: dict[str, Any], *, key: str) -> dict[str, Any]:
    """Schedule the notice once per form (the form's Idempotency-Key)."""
    found: dict[str, Any] = await api.post("notify", "/v1/notices", body, key=key)
    return found


async def update(api: Api, notice_id: str, body: dict[str, Any], *, key: str) -> dict[str, Any]:
    """Change the notice once per form."""
    found: dict[str, Any] = await api.patch("notify", f"/v1/notices/{notice_id}", body, key=key)
    return found


async def cancel(api: Api, notice_id: str, body: dict[str, Any], *, key: str) -> dict[str, Any]:
    """Cancel the notice once per form."""
    found: dict[str, Any] = await api.post(
        "notify", f"/v1/notices/{notice_id}/cancel", body, key=key
    )
    return found


async def deliveries(api: Api, notice_id: str) -> Deliveries:
    """The notice's delivery counts and its failing deliveries (two lists, asked together)."""
    counts, failing = await asyncio.gather(
        api.get("notify", f"/v1/notices/{notice_id}/deliveries/counts"),
        api.get(
            "notify",
            f"/v1/notices/{notice_id}/deliveries",
            failing="true",
            limit=FAILING_SHOWN,
        ),
    )
    return Deliveries(
        tally=Tally.of(counts["items"]),
        failing=list(failing["items"]),
        more_failing=failing.get("next_cursor") is not None,
    )


def complaint_window(found: dict[str, Any], now: datetime) -> tuple[datetime, datetime] | None:
    """When complaints may be about the notice's work: from its start to a day after its
    end (None before the work started, or for a notice without times)."""
    starts, ends = times.parse(found.get("starts_at")), times.parse(found.get("ends_at"))
    if starts is None or starts > now:
        return None
    until = (ends or now) + AFTER_THE_WORK
    return starts, min(until, now)


async def complaints_during(api: Api, found: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """The site's complaints received while the work ran (and a day after), newest first."""
    window = complaint_window(found, now)
    if window is None:
        return []
    page = await api.get(
        "intake",
        "/v1/complaints",
        site_id=found["site_id"],
        received_from=window[0].isoformat(),
        received_to=window[1].isoformat(),
        limit=COMPLAINTS_SHOWN,
    )
    return list(page["items"])


def in_scope(complaint: dict[str, Any], found: dict[str, Any], where: Places) -> bool:
    """True when the complaint's place is one the notice reached."""
    location = complaint.get("location") or {}
    scope, ids = found["scope"], set(found["scope_ids"])
    if scope == "site":
        return True
    if scope == "buildings":
        return location.get("building_id") in ids
    unit = location.get("unit_id")
    return (
        unit in ids if unit else location.get("building_id") in {where.building_of(u) for u in ids}
    )


async def document(api: Api, notice_id: str, which: str, lang: str) -> str:
    """The printable notice (通知单) or the warning sign (警示标识), as notify renders it."""
    path = {"notice": "document", "sign": "sign"}[which]
    return await api.get_text(
        "notify", f"/v1/notices/{notice_id}/{path}", lang="zh-CN" if lang == "zh" else "en"
    )
