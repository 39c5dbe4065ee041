"""Bulk import of a site's units and households: validated whole, applied with bulk statements.

Rows are matched to what exists by natural keys: a building by its code, a unit by its
building and number, a household by its unit and name (case-insensitive). New ones are
created, changed ones updated (and republished), identical ones left alone. Nothing is
removed: an import adds and updates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intake.directory.households import upserted
from intake.directory.models import building, household, household_phone, site, unit
from intake.directory.schemas import ImportResult, ImportRow
from intake.directory.service import require_site
from shared.bus import outbox
from shared.clock import utcnow
from shared.context import new_id
from shared.db.engine import dialect_insert

CHUNK = 5_000
_DETAILS = ("name", "email", "occupancy", "moved_in_on")


@dataclass
class _Plan:
    created: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    phones: dict[str, list[str]] = field(default_factory=dict)
    places: dict[str, Any] = field(default_factory=dict)
    unchanged: int = 0


@dataclass(frozen=True)
class _Place:
    id: str
    number: str
    building_id: str
    code: str


async def import_rows(
    session: AsyncSession, *, site_id: str, rows: Sequence[ImportRow]
) -> ImportResult:
    """Create or update the buildings, units and households the rows describe."""
    await require_site(session, site_id=site_id)
    # One import per site at a time; NO KEY UPDATE leaves complaints' foreign keys free.
    await session.execute(
        select(site.c.id).where(site.c.id == site_id).with_for_update(key_share=True)
    )
    buildings, buildings_created = await _ensure_buildings(session, site_id, rows)
    places, units_created = await _ensure_units(session, site_id, buildings, rows)
    plan = _plan(rows, places, await _existing(session, site_id), site_id)
    await _apply(session, plan)
    return ImportResult(
        rows=len(rows),
        buildings_created=buildings_created,
        units_created=units_created,
        households_created=len(plan.created),
        households_updated=len(plan.changed),
        households_unchanged=plan.unchanged,
    )


async def _ensure_buildings(
    session: AsyncSession, site_id: str, rows: Sequence[ImportRow]
) -> tuple[dict[str, str], int]:
    known = await _building_ids(session, site_id)
    new = sorted({r.building for r in rows} - set(known))
    if new:
        values = [{"id": new_id(), "site_id": site_id, "code": c, "name": None} for c in new]
        await session.execute(dialect_insert(session)(building).on_conflict_do_nothing(), values)
        known = await _building_ids(session, site_id)
    return known, len(new)


async def _building_ids(session: AsyncSession, site_id: str) -> dict[str, str]:
    rows = await session.execute(
        select(building.c.code, building.c.id).where(building.c.site_id == site_id)
    )
    return {code: ident for code, ident in rows}


async def _ensure_units(
    session: AsyncSession, site_id: str, buildings: dict[str, str], rows: Sequence[ImportRow]
) -> tuple[dict[tuple[str, str], _Place], int]:
    known = await _units(session, site_id)
    wanted = {(r.building, r.unit): r.floor for r in rows}
    new = [key for key in wanted if key not in known]
    if new:
        values = [
            {"id": new_id(), "site_id": site_id, "building_id": buildings[b], "number": n}
            | {"floor": wanted[(b, n)]}
            for b, n in new
        ]
        await session.execute(dialect_insert(session)(unit).on_conflict_do_nothing(), values)
        known = await _units(session, site_id)
    return known, len(new)


async def _units(session: AsyncSession, site_id: str) -> dict[tuple[str, str], _Place]:
    rows = await session.execute(
        select(unit.c.id, unit.c.number, building.c.id, building.c.code)
        .join(building, building.c.id == unit.c.building_id)
        .where(unit.c.site_id == site_id)
    )
    return {(code, number): _Place(uid, number, bid, code) for uid, number, bid, code in rows}


async def _existing(session: AsyncSession, site_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    active = (household.c.site_id == site_id) & household.c.removed_at.is_(None)
    rows = await session.execute(
        select(household.c.id, household.c.unit_id, household.c.version, *_columns()).where(active)
    )
    found = {r.id: {**r._mapping, "phones": []} for r in rows}
    phones = await session.execute(
        select(household_phone.c.household_id, household_phone.c.phone)
        .join(household, household.c.id == household_phone.c.household_id)
        .where(active)
        .order_by(household_phone.c.household_id, household_phone.c.position)
    )
    for household_id, phone in phones:
        found[household_id]["phones"].append(phone)
    return {(h["unit_id"], h["name"].casefold()): h for h in found.values()}


def _columns() -> list[Any]:
    return [household.c[name] for name in _DETAILS]


def _plan(
    rows: Sequence[ImportRow],
    places: dict[tuple[str, str], _Place],
    existing: dict[tuple[str, str], dict[str, Any]],
    site_id: str,
) -> _Plan:
    plan = _Plan()
    now = utcnow()
    for row in rows:
        place = places[(row.building, row.unit)]
        details = row.model_dump(include=set(_DETAILS))
        phones = list(dict.fromkeys(row.phones))
        before = existing.get((place.id, row.name.casefold()))
        values: dict[str, Any]
        if before is None:
            values = {"id": new_id(), "site_id": site_id, "unit_id": place.id, "version": 1}
            plan.created.append(values | details | {"created_at": now, "updated_at": now})
        elif {k: before[k] for k in _DETAILS} == details and before["phones"] == phones:
            plan.unchanged += 1
            continue
        else:
            values = {"id": before["id"], "site_id": site_id, "version": before["version"] + 1}
            plan.changed.append(values | details | {"updated_at": now})
        plan.phones[values["id"]] = phones
        plan.places[values["id"]] = place
    return plan


async def _apply(session: AsyncSession, plan: _Plan) -> None:
    conn = await session.connection()
    if plan.created:
        await conn.execute(household.insert(), plan.created)
    if plan.changed:
        await conn.execute(
            update(household).where(household.c.id == bindparam("household_id")),
            [{"household_id": v["id"], **_without(v, "id", "site_id")} for v in plan.changed],
        )
        ids = [v["id"] for v in plan.changed]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            await conn.execute(
                delete(household_phone).where(household_phone.c.household_id.in_(chunk))
            )
    phones = [
        {"household_id": h, "phone": p, "position": i}
        for h, numbers in plan.phones.items()
        for i, p in enumerate(numbers)
    ]
    if phones:
        await conn.execute(household_phone.insert(), phones)
    events = [upserted(v, plan.places[v["id"]], plan.phones[v["id"]]) for v in _all(plan)]
    await outbox.add_many(session, events)


def _all(plan: _Plan) -> list[dict[str, Any]]:
    return plan.created + plan.changed


def _without(values: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in keys}
