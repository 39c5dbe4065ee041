"""What a report covers: one site, a whole region or the group, as routing offers them.

Pure. Routing says which the person may ask for (`/v1/reports/scopes`: their sites, the
regions all of whose sites are theirs, the group when they see every site), so the page
offers nothing the report would refuse. In a URL a scope is `site:<id>`, `region:<code>`
or `group`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal

from shared.words import Lang

Kind = Literal["site", "region", "group"]


@dataclass(frozen=True)
class Scope:
    """A site, a region or the group; `sites` None for the group (every site)."""

    kind: Kind
    key: str | None
    sites: tuple[str, ...] | None

    @property
    def code(self) -> str:
        """The scope in a URL."""
        return "group" if self.kind == "group" else f"{self.kind}:{self.key}"

    def params(self) -> dict[str, str]:
        """The scope as a report's query parameters."""
        if self.kind == "site" and self.key:
            return {"site_id": self.key}
        if self.kind == "region" and self.key:
            return {"region": self.key}
        return {}

    def covers_all_of(self, mine: Collection[str], *, everywhere: bool) -> bool:
        """True when the scope is exactly the person's sites (what their queues list)."""
        if self.sites is None:
            return everywhere
        return not everywhere and set(self.sites) == set(mine)

    def zone_site(self) -> str | None:
        """A site of the scope whose time zone the report's dates are in."""
        return self.sites[0] if self.sites else None


@dataclass(frozen=True)
class Choices:
    """Every scope the person may ask for, and the names routing gives the sites and the
    departments (`departments`: code -> (English, Chinese))."""

    group: bool
    regions: tuple[Scope, ...]
    sites: tuple[Scope, ...]
    names: dict[str, str]
    departments: dict[str, tuple[str, str]]

    def department(self, code: str, lang: Lang) -> str:
        """A department's name in the page's language (its code when routing has none)."""
        name, name_zh = self.departments.get(code, (code, ""))
        return (name_zh or name) if lang == "zh" else name

    def all(self) -> list[Scope]:
        """The group (when allowed), then the regions, then the sites."""
        group = [Scope("group", None, None)] if self.group else []
        return [*group, *self.regions, *self.sites]

    def find(self, code: str | None) -> Scope | None:
        """The offered scope with this code, or None."""
        return next((s for s in self.all() if s.code == code), None)

    def default(self) -> Scope | None:
        """Where the person's view starts: the group, their one whole region, or their
        first site (None when they have no site with an organisation)."""
        if self.group:
            return Scope("group", None, None)
        mine = {s.key for s in self.sites}
        whole = [r for r in self.regions if set(r.sites or ()) == mine]
        if whole:
            return whole[0]
        return self.sites[0] if self.sites else None

    def chosen(self, code: str | None) -> Scope | None:
        """The scope asked for when it is offered, else the default."""
        return self.find(code) or self.default()


def choices(found: dict[str, Any]) -> Choices:
    """The scopes of routing's answer."""
    sites = tuple(Scope("site", s["site_id"], (s["site_id"],)) for s in found["sites"])
    regions = tuple(
        Scope("region", r["region"], tuple(r["sites"])) for r in found["regions"] if r["sites"]
    )
    names = {s["site_id"]: s["name"] for s in found["sites"]}
    departments = {d["code"]: (d["name"], d["name_zh"]) for d in found.get("departments", [])}
    return Choices(bool(found["group"]), regions, sites, names, departments)
