"""Households from intake's events: addresses and place follow intake, in version order.

Household events carry the household's version (intake sends it); a late, older one never
overwrites newer state (`ordering.advance`). Without a version, the newest `occurred_at`
wins. Intake's upserts change addresses and place only: the household's own preferences
(channels, preferred channel, locale, opt-out, app webhook) are notify's and survive them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts.models import household_contact
from shared.bus import ordering
from shared.contracts.base import Envelope
from shared.contracts.intake import HouseholdRemoved, HouseholdUpserted
from shared.db.engine import dialect_insert

FROM_INTAKE = ("site_id", "building_id", "unit_id", "building", "unit", "name", "phone", "email")


async def apply_upsert(
    session: AsyncSession, *, event: HouseholdUpserted, envelope: Envelope
) -> None:
    """Add a household, or change its addresses and place (never its preferences)."""
    newer = await ordering.is_newer(session, envelope)
    if newer is False:
        return
    values: dict[str, Any] = {
        "household_id": event.household_id,
        "site_id": event.site_id,
        "building_id": event.building_id,
        "unit_id": event.unit_id,
        "building": event.building,
        "unit": event.unit,
        "name": event.name,
        "phone": event.phones[0] if event.phones else None,
        "email": event.email or None,
        "opted_out": False,
        "updated_at": envelope.occurred_at,
        "removed_at": None,
    }
    statement = dialect_insert(session)(household_contact).values(values)
    changes = {k: statement.excluded[k] for k in (*FROM_INTAKE, "updated_at", "removed_at")}
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[household_contact.c.household_id],
            set_=changes,
            where=_later(statement, versioned=newer is True),
        )
    )


async def apply_removal(
    session: AsyncSession, *, event: HouseholdRemoved, envelope: Envelope
) -> None:
    """A household left: it is reached no more (a tombstone if it was never seen)."""
    newer = await ordering.is_newer(session, envelope)
    if newer is False:
        return
    values = {
        "household_id": event.household_id,
        "site_id": event.site_id,
        "unit": "",
        "name": "",
        "opted_out": False,
        "updated_at": envelope.occurred_at,
        "removed_at": event.removed_at,
    }
    statement = dialect_insert(session)(household_contact).values(values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[household_contact.c.household_id],
            set_={"removed_at": event.removed_at, "updated_at": envelope.occurred_at},
            where=_later(statement, versioned=newer is True),
        )
    )


def _later(statement: Any, *, versioned: bool) -> Any:
    # Unversioned events: the last write wins by the time its state was true.
    if versioned:
        return None
    return household_contact.c.updated_at <= statement.excluded.updated_at
