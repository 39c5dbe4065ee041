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
from shared.bus.projection import remove_latest, upsert_latest
from shared.contracts.base import Envelope
from shared.contracts.intake import HouseholdRemoved, HouseholdUpserted

FROM_INTAKE = ("site_id", "building_id", "unit_id", "building", "unit", "name", "phone", "email")


async def apply_upsert(
    event: HouseholdUpserted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A household joined or changed: add it, or change its addresses and place (never its
    preferences)."""
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
    changes = (*FROM_INTAKE, "updated_at", "removed_at")
    await upsert_latest(session, envelope, household_contact, values, changes=changes)


async def apply_removal(
    event: HouseholdRemoved, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A household left: it gets no more messages (a tombstone if it was never seen)."""
    values = {
        "household_id": event.household_id,
        "site_id": event.site_id,
        "unit": "",
        "name": "",
        "opted_out": False,
        "updated_at": envelope.occurred_at,
        "removed_at": event.removed_at,
    }
    await remove_latest(session, envelope, household_contact, values)
