"""Whom a complaint's answers go to: its household in the directory, or the visitor who left
a phone or e-mail (kept on the complaint's projection, `complaint_ref.visitor_*`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify.contacts import rules
from notify.contacts.rules import Recipient
from notify.contacts.service import household_recipients
from notify.sites import service as sites
from notify.templates.loader import normal_locale

VISITOR = "visitor:"
"""A visitor's recipient key is the complaint's: they are known by nothing else."""


async def recipients(session: AsyncSession, *, ref: Any, essential: bool) -> list[Recipient]:
    """The complainant's channels, preferred first: the household's, or the visitor's."""
    if ref.household_id is not None:
        return await household_recipients(
            session, site_id=ref.site_id, essential=essential, household_ids=[ref.household_id]
        )
    return await _visitor(session, ref)


async def _visitor(session: AsyncSession, ref: Any) -> list[Recipient]:
    # A visitor chose nothing: every written channel they left an address for, as a household
    # that chose nothing is reached; they asked to be answered, so they never opted out.
    pairs = rules.household_channels(
        phone=ref.visitor_phone,
        email=ref.visitor_email,
        webhook_url=None,
        chosen=None,
        preferred=None,
    )
    if not pairs:
        return []
    locale = normal_locale(await sites.default_locale(session, site_id=ref.site_id))
    return [Recipient(VISITOR + ref.complaint_id, c, a, locale) for c, a in pairs]
