"""Surveys keeps the retention policy intake announces for each site."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared import retention
from shared.contracts.base import Envelope
from shared.contracts.intake import SiteRetentionSet
from surveys.retention.rules import TIMER_KIND


async def on_site_retention_set(
    event: SiteRetentionSet, *, session: AsyncSession, envelope: Envelope
) -> None:
    """Run the site's retention daily under its policy (the latest one announced)."""
    await retention.keep_policy(session, kind=TIMER_KIND, event=event)
