"""Use cases of contacts: keep households from intake's events, keep their preferences,
replace the staff directory, and choose recipients.

Household events carry the household's version (intake sends it); a late, older one never
overwrites newer state (`ordering.advance`). Without a version, the newest `occurred_at`
wins. Intake's upserts change addresses and place only: the household's own preferences
(channels, preferred channel, locale, opt-out) are notify's and survive them.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts import rules
from notify.contacts.models import household_contact
from notify.contacts.rules import Recipient
from notify.sites import service as sites
from notify.templates.loader import normal_locale

HOUSEHOLD_COLUMNS = (
    household_contact.c.household_id,
    household_contact.c.phone,
    household_contact.c.email,
    household_contact.c.webhook_url,
    household_contact.c.channels,
    household_contact.c.preferred_channel,
    household_contact.c.locale,
)


async def household_recipients(
    session: AsyncSession,
    *,
    site_id: str,
    essential: bool,
    channels: Collection[str] | None = None,
    building_ids: Collection[str] | None = None,
    unit_ids: Collection[str] | None = None,
    household_ids: Collection[str] | None = None,
) -> list[Recipient]:
    """Each live household in scope on its channels (preferred first; opted-out households
    only when `essential`)."""
    query = select(*HOUSEHOLD_COLUMNS).where(
        household_contact.c.site_id == site_id, household_contact.c.removed_at.is_(None)
    )
    scope = _scope(building_ids, unit_ids, household_ids)
    if scope is not None:
        query = query.where(scope)
    if not essential:
        query = query.where(household_contact.c.opted_out.is_(false()))
    fallback = await sites.default_locale(session, site_id=site_id)
    rows = (await session.execute(query.order_by(household_contact.c.household_id))).all()
    return [r for row in rows for r in _recipients(row, channels, fallback)]


def _scope(
    building_ids: Collection[str] | None,
    unit_ids: Collection[str] | None,
    household_ids: Collection[str] | None,
) -> ColumnElement[bool] | None:
    """Households in any of the buildings, units or ids given; None for the whole site."""
    parts = [
        column.in_(sorted(ids))
        for column, ids in (
            (household_contact.c.building_id, building_ids),
            (household_contact.c.unit_id, unit_ids),
            (household_contact.c.household_id, household_ids),
        )
        if ids is not None
    ]
    return or_(*parts) if parts else None


def _recipients(row: Any, channels: Collection[str] | None, fallback: str) -> list[Recipient]:
    pairs = rules.household_channels(
        phone=row.phone,
        email=row.email,
        webhook_url=row.webhook_url,
        chosen=row.channels,
        preferred=row.preferred_channel,
    )
    key = f"household:{row.household_id}"
    locale = normal_locale(row.locale or fallback)
    return [Recipient(key, c, a, locale) for c, a in rules.within(pairs, channels)]
