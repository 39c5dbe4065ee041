"""Use cases of household preferences: read contacts, change what a household chose."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts import rules
from notify.contacts.models import HouseholdContact, household_contact
from notify.contacts.schemas import ContactPage, ContactPreferencesUpdate, ContactRead
from shared.clock import utcnow
from shared.http.auth import Principal
from shared.http.errors import NotFoundError
from shared.http.pagination import decode_cursor, page_of
from shared.logging import mask_email, mask_phone


async def get_or_404(
    session: AsyncSession, *, household_id: str, principal: Principal
) -> HouseholdContact:
    """The household's contact, if the principal may see its site."""
    found = await session.get(HouseholdContact, household_id, populate_existing=True)
    if found is None or not principal.sees(found.site_id):
        raise NotFoundError("Contact", household_id)
    return found


async def update_preferences(
    session: AsyncSession,
    *,
    household_id: str,
    data: ContactPreferencesUpdate,
    principal: Principal,
) -> ContactRead:
    """Change what the household chose; fields left out keep their value."""
    contact = await get_or_404(session, household_id=household_id, principal=principal)
    principal.may_act_on(contact.site_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(contact, field, value)
    if contact.channels is not None and contact.preferred_channel not in (
        None,
        *contact.channels,
    ):
        contact.preferred_channel = None  # a channel given up cannot stay the preferred one
    contact.preferences_at = utcnow()
    await session.flush()
    return read(contact)


def read(contact: Any) -> ContactRead:
    """The API view of a contact row, addresses masked."""
    reached = rules.household_channels(
        phone=contact.phone,
        email=contact.email,
        webhook_url=contact.webhook_url,
        chosen=contact.channels,
        preferred=contact.preferred_channel,
    )
    return ContactRead(
        household_id=contact.household_id,
        site_id=contact.site_id,
        building_id=contact.building_id,
        unit_id=contact.unit_id,
        unit=contact.unit,
        phone=mask_phone(contact.phone) if contact.phone else None,
        email=mask_email(contact.email) if contact.email else None,
        webhook_url=contact.webhook_url,
        channels=contact.channels,
        preferred_channel=contact.preferred_channel,
        reached_on=[channel for channel, _ in reached],
        locale=contact.locale,
        opted_out=contact.opted_out,
        removed=contact.removed_at is not None,
        updated_at=contact.updated_at,
        preferences_at=contact.preferences_at,
    )


async def list_contacts(
    session: AsyncSession, *, site_id: str, limit: int, cursor: str | None
) -> ContactPage:
    """The site's contacts, by household id."""
    query = select(household_contact).where(household_contact.c.site_id == site_id)
    after = decode_cursor(cursor, arity=1)
    if after is not None:
        query = query.where(household_contact.c.household_id > str(after[0]))
    query = query.order_by(household_contact.c.household_id).limit(limit + 1)
    rows = (await session.execute(query)).all()
    page = page_of([read(r) for r in rows], limit=limit, key=lambda c: (c.household_id,))
    return ContactPage(items=page.items, next_cursor=page.next_cursor)
