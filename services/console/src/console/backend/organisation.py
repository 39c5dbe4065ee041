"""Names of people and departments, from routing's organisation of each site.

Pages name people (张三, 工程维修部), never staff ids or department codes. Kept per
session and site for a minute, like the sites, and only for sites the person sees.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from console.backend.client import Api, Refused
from shared.words import Lang

KEEP_SECONDS = 60.0
MAX_KEPT = 5000


@dataclass(frozen=True)
class Organisation:
    """One site's people and departments, as routing has them."""

    site_id: str
    staff: dict[str, dict[str, Any]] = field(default_factory=dict)
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)
    vp: str | None = None
    gm: str | None = None

    @classmethod
    def of(cls, site_id: str, found: dict[str, Any]) -> Organisation:
        return cls(
            site_id=site_id,
            staff={s["id"]: s for s in found["staff"]},
            departments={d["code"]: d for d in found["departments"]},
            vp=found.get("vp"),
            gm=found.get("gm"),
        )

    def person(self, staff_id: str | None) -> str:
        """A staff member's name (their id when the organisation does not know them)."""
        if not staff_id:
            return "—"
        member = self.staff.get(staff_id)
        return str(member["name"]) if member else staff_id

    def department(self, code: str | None, lang: Lang) -> str:
        """A department's name in the page's language."""
        found = self.departments.get(code or "")
        if found is None:
            return code or "—"
        return str(found.get("name_zh") or found["name"]) if lang == "zh" else str(found["name"])

    def members(self, department: str) -> list[dict[str, Any]]:
        """The active staff of a department."""
        return [s for s in self.staff.values() if s["department"] == department and s["active"]]


class People:
    """Organisations per session and site, remembered for a minute."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], tuple[float, Organisation]] = {}

    async def of(self, session_id: str, api: Api, site_id: str) -> Organisation:
        """The site's organisation (empty when routing has none for it)."""
        kept = self._kept.get((session_id, site_id))
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        try:
            found = Organisation.of(
                site_id, await api.get("routing", f"/v1/sites/{site_id}/organisation")
            )
        except Refused:
            found = Organisation(site_id)
        if len(self._kept) >= MAX_KEPT:
            self._kept.clear()
        self._kept[(session_id, site_id)] = (time.monotonic() + KEEP_SECONDS, found)
        return found

    async def of_sites(
        self, session_id: str, api: Api, sites: Iterable[str]
    ) -> dict[str, Organisation]:
        """The organisations of several sites, by site."""
        return {s: await self.of(session_id, api, s) for s in sorted(set(sites))}

    def forget(self, session_id: str) -> None:
        """Drop what is kept for a session."""
        for key in [k for k in self._kept if k[0] == session_id]:
            del self._kept[key]
