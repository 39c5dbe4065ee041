"""What the desk asks of intake: who is calling, where in the site, and recording."""

from __future__ import annotations

from typing import Any

from console.backend.client import Api

MAX_PLACES = 500


async def caller(api: Api, phone: str) -> dict[str, Any]:
    """The households with this number, their complaints, and other open ones."""
    found: dict[str, Any] = await api.get("intake", "/v1/callers", phone=phone)
    return found


async def household(api: Api, site_id: str, household_id: str) -> dict[str, Any]:
    """One household of the site's directory."""
    found: dict[str, Any] = await api.get(
        "intake", f"/v1/sites/{site_id}/households/{household_id}"
    )
    return found


async def buildings(api: Api, site_id: str) -> list[dict[str, Any]]:
    """The site's buildings, in their order."""
    page = await api.get("intake", f"/v1/sites/{site_id}/buildings", limit=MAX_PLACES)
    return list(page["items"])


async def units(api: Api, site_id: str, building_id: str) -> list[dict[str, Any]]:
    """One building's units."""
    page = await api.get(
        "intake", f"/v1/sites/{site_id}/units", building_id=building_id, limit=MAX_PLACES
    )
    return list(page["items"])


async def record(api: Api, body: dict[str, Any], *, key: str) -> dict[str, Any]:
    """Record the complaint once per form (the form's Idempotency-Key)."""
    found: dict[str, Any] = await api.post("intake", "/v1/complaints", body, key=key)
    return found


async def complaint(api: Api, complaint_id: str) -> dict[str, Any]:
    """A complaint with its timeline."""
    found: dict[str, Any] = await api.get("intake", f"/v1/complaints/{complaint_id}")
    return found
