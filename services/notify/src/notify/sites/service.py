"""Use cases of site settings: read them (with defaults) and replace them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify.sites.models import NotifySite, notify_site
from notify.sites.schemas import SiteSettingsIn
from shared.clock import utcnow
from shared.db.engine import dialect_insert


async def get(session: AsyncSession, *, site_id: str) -> NotifySite:
    """The site's settings; a site nobody configured gets the defaults."""
    found = await session.get(NotifySite, site_id, populate_existing=True)
    return found or NotifySite(site_id=site_id, name=site_id, updated_at=utcnow())


async def template_site(session: AsyncSession, *, site_id: str) -> dict[str, Any]:
    """What every template may say about the site: `site.name`, `site.contact_phone`, …"""
    row = (
        await session.execute(
            select(notify_site.c.name, notify_site.c.contact_phone, notify_site.c.timezone).where(
                notify_site.c.site_id == site_id
            )
        )
    ).first()
    if row is None:
        return {"id": site_id, "name": site_id, "contact_phone": "", "timezone": "Asia/Shanghai"}
    return {
        "id": site_id,
        "name": row.name or site_id,
        "contact_phone": row.contact_phone,
        "timezone": row.timezone,
    }


async def default_locale(session: AsyncSession, *, site_id: str) -> str:
    """The locale of residents who chose none."""
    found = await session.scalar(
        select(notify_site.c.default_locale).where(notify_site.c.site_id == site_id)
    )
    return str(found or "zh-CN")


async def put(session: AsyncSession, *, site_id: str, data: SiteSettingsIn) -> NotifySite:
    """Replace the site's settings."""
    values = {**data.model_dump(), "site_id": site_id, "updated_at": utcnow()}
    statement = dialect_insert(session)(notify_site).values(values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[notify_site.c.site_id],
            set_={k: statement.excluded[k] for k in values if k != "site_id"},
        )
    )
    return await get(session, site_id=site_id)
