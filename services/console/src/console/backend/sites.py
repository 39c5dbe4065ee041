"""The sites a person may see, with each one's name and time zone, for a minute at a time.

Asked of intake with the person's own token, so the answer is exactly their sites; kept
per session (never shared between people) and only briefly, so a change shows soon.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from console.backend.client import Api

KEEP_SECONDS = 60.0
MAX_SESSIONS = 5000
DEFAULT_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Site:
    """A site as pages name it."""

    id: str
    name: str
    code: str
    timezone: str


class SiteBook:
    """Each session's sites, remembered for a minute."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[float, dict[str, Site]]] = {}

    async def of(self, session_id: str, api: Api) -> dict[str, Site]:
        """The session's sites by id, from memory when fresh."""
        kept = self._kept.get(session_id)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        found = await _fetch(api)
        if len(self._kept) >= MAX_SESSIONS:
            self._kept.clear()
        self._kept[session_id] = (time.monotonic() + KEEP_SECONDS, found)
        return found

    def forget(self, session_id: str) -> None:
        """Drop what is kept for a session (at sign-out)."""
        self._kept.pop(session_id, None)


async def _fetch(api: Api) -> dict[str, Site]:
    page = await api.get("intake", "/v1/sites", limit=500)
    return {
        s["id"]: Site(id=s["id"], name=s["name"], code=s["code"], timezone=s["timezone"])
        for s in page["items"]
    }


def zone_of(sites: dict[str, Site], site_id: str | None) -> str:
    """The time zone of a site (the first site's, or Shanghai, when none is named)."""
    if site_id and site_id in sites:
        return sites[site_id].timezone
    return next(iter(sites.values())).timezone if sites else DEFAULT_ZONE
