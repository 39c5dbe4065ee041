"""What the administration pages ask of the services, with the administrator's own token.

Sites and the resident directory are intake's; the organisation and the rules are
routing's; the office's settings and the staff's addresses are notify's. Each one decides
what it takes and refuses; these calls only carry the request there and the answer back.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from console.backend.client import Api

MAX_LISTED = 500
PAGE = 50


# sites


async def sites(api: Api, *, cursor: str | None = None) -> dict[str, Any]:
    """One page of the sites the administrator may see."""
    found: dict[str, Any] = await api.get("intake", "/v1/sites", limit=PAGE, cursor=cursor)
    return found


async def site(api: Api, site_id: str) -> dict[str, Any]:
    """One site as intake has it."""
    found: dict[str, Any] = await api.get("intake", f"/v1/sites/{site_id}")
    return found


async def create_site(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = await api.post("intake", "/v1/sites", body)
    return found


async def update_site(api: Api, site_id: str, body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = await api.patch("intake", f"/v1/sites/{site_id}", body)
    return found


# buildings and units


async def buildings(api: Api, site_id: str) -> list[dict[str, Any]]:
    """The site's buildings, in code order."""
    page = await api.get("intake", f"/v1/sites/{site_id}/buildings", limit=MAX_LISTED)
    return sorted(page["items"], key=lambda b: str(b["code"]))


async def building(api: Api, site_id: str, building_id: str) -> dict[str, Any]:
    found: dict[str, Any] = await api.get("intake", f"/v1/sites/{site_id}/buildings/{building_id}")
    return found


async def units(
    api: Api, site_id: str, building_id: str, *, cursor: str | None = None
) -> dict[str, Any]:
    """One page of a building's units."""
    found: dict[str, Any] = await api.get(
        "intake",
        f"/v1/sites/{site_id}/units",
        building_id=building_id,
        limit=MAX_LISTED,
        cursor=cursor,
    )
    return found


async def unit(api: Api, site_id: str, unit_id: str) -> dict[str, Any]:
    found: dict[str, Any] = await api.get("intake", f"/v1/sites/{site_id}/units/{unit_id}")
    return found


async def create_place(api: Api, site_id: str, what: str, body: dict[str, Any]) -> dict[str, Any]:
    """Add a building or a unit (`what`: buildings, units)."""
    found: dict[str, Any] = await api.post("intake", f"/v1/sites/{site_id}/{what}", body)
    return found


async def update_place(
    api: Api, site_id: str, what: str, ident: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Change a building, a unit or a household (`what`: buildings, units, households)."""
    found: dict[str, Any] = await api.patch("intake", f"/v1/sites/{site_id}/{what}/{ident}", body)
    return found


async def remove_place(api: Api, site_id: str, what: str, ident: str) -> None:
    """Remove a building, a unit or a household."""
    await api.delete("intake", f"/v1/sites/{site_id}/{what}/{ident}")


# households


async def households(
    api: Api,
    site_id: str,
    *,
    q: str | None = None,
    unit_id: str | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """One page of the site's households (all, one unit's, or those a search finds), by
    building and unit."""
    found: dict[str, Any] = await api.get(
        "intake",
        f"/v1/sites/{site_id}/households",
        q=q,
        unit_id=unit_id,
        order="place",
        limit=PAGE,
        cursor=cursor,
    )
    return found


async def household(api: Api, site_id: str, household_id: str) -> dict[str, Any]:
    found: dict[str, Any] = await api.get(
        "intake", f"/v1/sites/{site_id}/households/{household_id}"
    )
    return found


async def create_household(
    api: Api, site_id: str, body: dict[str, Any], *, key: str
) -> dict[str, Any]:
    """Add a household once per form (a household has no natural key)."""
    found: dict[str, Any] = await api.post(
        "intake", f"/v1/sites/{site_id}/households", body, key=key
    )
    return found


async def import_directory(api: Api, site_id: str, content: bytes, media: str) -> dict[str, Any]:
    """Send a directory file to intake as it takes it (CSV or JSON); all rows or none."""
    found: dict[str, Any] = await api.upload(
        "intake", f"/v1/sites/{site_id}/directory-import", content, media
    )
    return found


# the organisation


async def organisation(api: Api, site_id: str) -> dict[str, Any]:
    """The site's departments, staff and leadership as routing has them."""
    found: dict[str, Any] = await api.get("routing", f"/v1/sites/{site_id}/organisation")
    return found


async def change_organisation(
    api: Api, site_id: str, method: str, path: str, body: dict[str, Any]
) -> Any:
    """Add or change a department or a member of staff, or name the leadership (`path`
    below the site: departments, departments/{code}, staff, staff/{id}, leadership)."""
    target = f"/v1/sites/{site_id}/{path}"
    send = {"POST": api.post, "PUT": api.put, "PATCH": api.patch}[method]
    return await send("routing", target, body)


# rules


async def rules(api: Api, site_id: str) -> dict[str, Any]:
    """The site's routing rules, SLA policies and calendar in force."""
    found: dict[str, Any] = await api.get("routing", f"/v1/sites/{site_id}/rules")
    return found


async def put_rules(api: Api, site_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Replace the sections of the rules that `body` gives (the others stay)."""
    found: dict[str, Any] = await api.put("routing", f"/v1/sites/{site_id}/rules", body)
    return found


# notify's office


@dataclass(frozen=True)
class Office:
    """A site's settings and staff addresses in notify, and the people routing knows."""

    settings: dict[str, Any]
    contacts: list[dict[str, Any]]
    organisation: dict[str, Any]


async def office(api: Api, site_id: str) -> Office:
    """Notify's settings and staff directory of the site, and routing's staff (together)."""
    settings, contacts, people = await asyncio.gather(
        api.get("notify", f"/v1/sites/{site_id}/settings"),
        api.get("notify", f"/v1/sites/{site_id}/staff-contacts"),
        organisation(api, site_id),
    )
    return Office(settings=settings, contacts=list(contacts["staff"]), organisation=people)


async def put_settings(api: Api, site_id: str, body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = await api.put("notify", f"/v1/sites/{site_id}/settings", body)
    return found


async def put_contacts(api: Api, site_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Replace the site's whole staff directory in notify."""
    found: dict[str, Any] = await api.put("notify", f"/v1/sites/{site_id}/staff-contacts", body)
    return found
