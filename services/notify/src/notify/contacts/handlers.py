"""Event handlers of contacts: households from intake. Each runs in the consumer's
transaction, after its inbox claim."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts import directory
from shared.contracts.base import Envelope
from shared.contracts.intake import HouseholdRemoved, HouseholdUpserted


async def on_household_upserted(
    event: HouseholdUpserted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A household joined or changed: its addresses follow."""
    await directory.apply_upsert(session, event=event, envelope=envelope)


async def on_household_removed(
    event: HouseholdRemoved, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A household left: it gets no more messages."""
    await directory.apply_removal(session, event=event, envelope=envelope)
