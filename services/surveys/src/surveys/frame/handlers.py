"""Event handlers of the frame: households from intake, complaints and reopens for the
registry. Each runs in the consumer's transaction, after its inbox claim."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.base import Envelope
from shared.contracts.intake import ComplaintReceived, HouseholdRemoved, HouseholdUpserted
from shared.contracts.routing import CaseReopened
from surveys.frame import service


async def on_household_upserted(
    event: HouseholdUpserted, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A household joined or changed: the frame follows."""
    await service.apply_upsert(session, event=event, envelope=envelope)


async def on_household_removed(
    event: HouseholdRemoved, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A household left: later frames leave it out."""
    await service.apply_removal(session, event=event, envelope=envelope)


async def on_complaint_received(
    event: ComplaintReceived, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A household complained or grumbled: the registry remembers when."""
    await service.register_complaint(session, event=event)


async def on_case_reopened(
    event: CaseReopened, *, session: AsyncSession, envelope: Envelope
) -> None:
    """A resident was not satisfied with the answer: they grumbled."""
    await service.register_reopen(session, event=event)
