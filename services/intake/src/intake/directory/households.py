"""Use cases of households: each change publishes household.upserted or .removed. Never commits.

Contact details leave intake only inside these events (for notify and surveys); the
household is an aggregate, and every event carries its new version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intake import phones
from intake.directory.models import building, household, household_phone, site, unit
from intake.directory.rules import SearchTerms
from intake.directory.schemas import HouseholdCreate, HouseholdRead, HouseholdUpdate
from intake.directory.service import require_site
from shared.bus import outbox
from shared.clock import utcnow
from shared.context import new_id
from shared.contracts.intake import HouseholdRemoved, HouseholdUpserted
from shared.http.errors import ConflictError, NotFoundError, ProblemError
from shared.http.pagination import Page, after_key, page_of


@dataclass(frozen=True)
class _Labels:
    id: str
    number: str
    building_id: str
    code: str


_READ = select(
    *household.c,
    unit.c.number.label("unit"),
    building.c.id.label("building_id"),
    building.c.code.label("building"),
).select_from(
    household.join(unit, unit.c.id == household.c.unit_id).join(
        building, building.c.id == unit.c.building_id
    )
)


Order = Literal["id", "place"]
PLACE = building.c.code + "/" + unit.c.number
"""The order of a directory's pages by place: building, then unit (then id)."""


async def phones_of(session: AsyncSession, ids: Iterable[str]) -> dict[str, list[str]]:
    """Each household's phone numbers, in the order they were given."""
    wanted = list(ids)
    found: dict[str, list[str]] = defaultdict(list)
    if not wanted:
        return found
    rows = await session.execute(
        select(household_phone.c.household_id, household_phone.c.phone)
        .where(household_phone.c.household_id.in_(wanted))
        .order_by(household_phone.c.household_id, household_phone.c.position)
    )
    for household_id, phone in rows:
        found[household_id].append(phone)
    return found


async def read_households(session: AsyncSession, where: ColumnElement[bool]) -> list[Any]:
    """Households (with unit and building labels) matching `where`."""
    return list((await session.execute(_READ.where(where))).all())


async def to_reads(session: AsyncSession, rows: Sequence[Any]) -> list[HouseholdRead]:
    phones = await phones_of(session, (r.id for r in rows))
    return [HouseholdRead(**r._mapping, phones=phones.get(r.id, [])) for r in rows]


async def get_household(session: AsyncSession, *, site_id: str, household_id: str) -> HouseholdRead:
    """One household of the site (also a removed one), or 404."""
    rows = await read_households(
        session, (household.c.id == household_id) & (household.c.site_id == site_id)
    )
    if not rows:
        raise NotFoundError("household", household_id)
    return (await to_reads(session, rows))[0]


async def list_households(
    session: AsyncSession,
    *,
    site_id: str,
    unit_id: str | None,
    include_removed: bool,
    limit: int,
    cursor: str | None,
    search: SearchTerms | None = None,
    order: Order = "id",
) -> Page[HouseholdRead]:
    """The site's households (of one unit, or matching a search, if asked), by id or by
    building and unit; removed ones when asked."""
    query = _READ.where(household.c.site_id == site_id)
    if unit_id is not None:
        query = query.where(household.c.unit_id == unit_id)
    if search is not None:
        query = query.where(matching(search))
    if not include_removed:
        query = query.where(household.c.removed_at.is_(None))
    if order == "place":
        query = after_key(query, [PLACE, household.c.id], cursor).limit(limit + 1)
        rows = (await session.execute(query)).all()
        found = await to_reads(session, rows)
        return page_of(found, limit=limit, key=lambda h: (f"{h.building}/{h.unit}", h.id))
    query = after_key(query, [household.c.id], cursor).limit(limit + 1)
    rows = (await session.execute(query)).all()
    return page_of(await to_reads(session, rows), limit=limit, key=lambda h: (h.id,))


def matching(search: SearchTerms) -> ColumnElement[bool]:
    """Households whose name, unit or building holds the text, whose phone holds the
    digits, or whose building and unit are the ones typed together."""
    text = search.text
    found = [
        household.c.name.icontains(text, autoescape=True),
        unit.c.number.icontains(text, autoescape=True),
        func.lower(building.c.code) == text.lower(),
    ]
    if search.digits:
        phones = select(household_phone.c.household_id).where(
            household_phone.c.phone.contains(search.digits, autoescape=True)
        )
        found.append(household.c.id.in_(phones))
    if search.place:
        code, number = search.place
        found.append(
            and_(
                func.lower(building.c.code) == code.lower(),
                func.lower(unit.c.number) == number.lower(),
            )
        )
    return or_(*found)


async def _place(session: AsyncSession, site_id: str, unit_id: str) -> Any:
    row = (
        await session.execute(
            select(
                unit.c.id,
                unit.c.number,
                building.c.id.label("building_id"),
                building.c.code,
                site.c.country,
            )
            .join(building, building.c.id == unit.c.building_id)
            .join(site, site.c.id == unit.c.site_id)
            .where(unit.c.id == unit_id, unit.c.site_id == site_id)
        )
    ).first()
    if row is None:
        raise ProblemError(
            422,
            f"unit_id {unit_id} is not a unit of this site",
            zh=f"unit_id {unit_id} 不是本管理处的单元",
        )
    return row


def _stored(numbers: list[str], country: str) -> list[str]:
    """The numbers as the site stores them (a 422 naming the one that is not a number)."""
    return [phones.stored(n, region=country, field=f"phones.{i}") for i, n in enumerate(numbers)]


async def replace_phones(session: AsyncSession, *, household_id: str, phones: list[str]) -> None:
    """Set a household's phone numbers (a repeated number counts once)."""
    await session.execute(
        delete(household_phone).where(household_phone.c.household_id == household_id)
    )
    unique = list(dict.fromkeys(phones))
    if unique:
        await session.execute(
            household_phone.insert(),
            [
                {"household_id": household_id, "phone": p, "position": i}
                for i, p in enumerate(unique)
            ],
        )


def upserted(values: dict[str, Any], place: Any, phones: list[str]) -> outbox.Outgoing:
    """household.upserted for a household's current values."""
    event = HouseholdUpserted(
        household_id=values["id"],
        site_id=values["site_id"],
        building=place.code,
        building_id=place.building_id,
        unit=place.number,
        unit_id=place.id,
        name=values["name"],
        phones=list(dict.fromkeys(phones)),
        email=values["email"],
        occupancy=values["occupancy"],
        moved_in_on=values["moved_in_on"],
    )
    return outbox.Outgoing(
        event,
        site_id=values["site_id"],
        aggregate_id=values["id"],
        aggregate_version=values["version"],
    )


async def create_household(
    session: AsyncSession, *, site_id: str, data: HouseholdCreate
) -> HouseholdRead:
    """Add a household to a unit of the site."""
    await require_site(session, site_id=site_id)
    place = await _place(session, site_id, data.unit_id)
    numbers = _stored(data.phones, place.country)
    now = utcnow()
    values = {
        **data.model_dump(exclude={"phones"}),
        **{"id": new_id(), "site_id": site_id, "version": 1},
        **{"created_at": now, "updated_at": now},
    }
    await session.execute(household.insert().values(values))
    await replace_phones(session, household_id=values["id"], phones=numbers)
    await outbox.add_many(session, [upserted(values, place, numbers)])
    return await get_household(session, site_id=site_id, household_id=values["id"])


async def update_household(
    session: AsyncSession, *, site_id: str, household_id: str, data: HouseholdUpdate
) -> HouseholdRead:
    """Change a household; publishes its new state."""
    current = await get_household(session, site_id=site_id, household_id=household_id)
    if current.removed_at is not None:
        raise ConflictError(
            f"Household {household_id} was removed; it cannot change",
            zh=f"业户 {household_id} 已删除，不能再修改",
        )
    changes = data.changes()
    merged = {**current.model_dump(), **changes}
    place = await _place(session, site_id, merged["unit_id"])
    merged["phones"] = _stored(merged["phones"], place.country)
    columns = {k: v for k, v in changes.items() if k != "phones"}
    merged["version"] = await _bump(session, household_id, columns)
    if "phones" in changes:
        await replace_phones(session, household_id=household_id, phones=merged["phones"])
    await outbox.add_many(session, [upserted(merged, place, merged["phones"])])
    return await get_household(session, site_id=site_id, household_id=household_id)


async def _bump(session: AsyncSession, household_id: str, columns: dict[str, Any]) -> int:
    version = await session.scalar(
        update(household)
        .where(household.c.id == household_id, household.c.removed_at.is_(None))
        .values(**columns, version=household.c.version + 1, updated_at=utcnow())
        .returning(household.c.version)
    )
    if version is None:
        raise ConflictError(
            f"Household {household_id} was removed meanwhile",
            zh=f"业户 {household_id} 刚刚已被删除",
        )
    return int(version)


async def republish(session: AsyncSession, *, site_id: str, where: ColumnElement[bool]) -> int:
    """Publish the current state of the site's active households matching `where` (their
    unit or building was relabelled): each gets a new version. Returns how many."""
    active = (household.c.site_id == site_id) & household.c.removed_at.is_(None) & where
    ids = [r.id for r in await read_households(session, active)]
    if not ids:
        return 0
    await session.execute(
        update(household)
        .where(household.c.id.in_(ids))
        .values(version=household.c.version + 1, updated_at=utcnow())
    )
    current = await to_reads(session, await read_households(session, household.c.id.in_(ids)))
    await outbox.add_many(session, [_relabelled(h) for h in current])
    return len(current)


async def republish_building(session: AsyncSession, *, site_id: str, building_id: str) -> int:
    """Publish the households of a building whose code changed."""
    in_building = select(unit.c.id).where(unit.c.building_id == building_id)
    return await republish(session, site_id=site_id, where=household.c.unit_id.in_(in_building))


async def republish_unit(session: AsyncSession, *, site_id: str, unit_id: str) -> int:
    """Publish the households of a unit whose label changed."""
    return await republish(session, site_id=site_id, where=household.c.unit_id == unit_id)


def _relabelled(read: HouseholdRead) -> outbox.Outgoing:
    place = _Labels(read.unit_id, read.unit, read.building_id, read.building)
    return upserted(read.model_dump(), place, read.phones)


async def remove_household(session: AsyncSession, *, site_id: str, household_id: str) -> None:
    """Take a household out of the directory (kept, marked removed, until retention)."""
    current = await get_household(session, site_id=site_id, household_id=household_id)
    if current.removed_at is not None:
        raise ConflictError(
            f"Household {household_id} was removed already", zh=f"业户 {household_id} 已删除"
        )
    now = utcnow()
    version = await _bump(session, household_id, {"removed_at": now})
    event = HouseholdRemoved(household_id=household_id, site_id=site_id, removed_at=now)
    await outbox.add(
        session, event, site_id=site_id, aggregate_id=household_id, aggregate_version=version
    )
