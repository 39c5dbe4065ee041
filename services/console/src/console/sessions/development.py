"""Signing in during development: choose one of the demo organisation's people.

The list comes from the services themselves (intake's sites, routing's organisation of
each), plus a call-center operator and an administrator, who have no place in a site's
organisation. The console mints the chosen person's token with the development secret;
settings refuse production without OpenID Connect, and this module refuses it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from console.backend.client import Refused, Services
from console.sessions.store import Identity
from console.settings import ConsoleSettings
from shared.http.auth import issue_token

LOOKUP_SUB = "console-sign-in"
EXTRA_PEOPLE = (
    ("cc-desk", "前台 周敏", "callcenter"),
    ("admin", "系统管理员", "admin"),
)


@dataclass
class DevPerson:
    """One person the development sign-in offers, with every site they work on."""

    sub: str
    name: str
    roles: set[str] = field(default_factory=set)
    sites: set[str] = field(default_factory=set)
    site_names: dict[str, str] = field(default_factory=dict)
    departments: dict[str, dict[str, str]] = field(default_factory=dict)
    """Department code -> its name in each language."""


RANK = {"callcenter": 0, "handler": 1, "dept_head": 2, "vp": 3, "gm": 4, "surveyor": 5, "admin": 6}


def in_order(people: list[DevPerson]) -> list[DevPerson]:
    """The desk first, then up the chain, each site's people together, by department."""

    def key(person: DevPerson) -> tuple[int, list[str], list[str], str]:
        rank = min((RANK.get(r, 9) for r in person.roles), default=9)
        return rank, sorted(person.sites), sorted(person.departments), person.sub

    return sorted(people, key=key)


class NotDevelopment(Exception):
    """Development sign-in was asked for outside development."""


async def people(settings: ConsoleSettings, services: Services) -> list[DevPerson]:
    """Everyone of every site's organisation, then the operator and the administrator."""
    _refuse_production(settings)
    token = issue_token(settings, sub=LOOKUP_SUB, roles=["handler"], sites=["*"], ttl_seconds=60)
    api = services.for_token(token, lang="en")
    found: dict[str, DevPerson] = {}
    for site in (await api.get("intake", "/v1/sites", limit=500))["items"]:
        try:
            organisation = await api.get("routing", f"/v1/sites/{site['id']}/organisation")
        except Refused:  # a site routing has no organisation for yet
            continue
        names = {
            d["code"]: {"zh": d.get("name_zh") or d["name"], "en": d["name"]}
            for d in organisation["departments"]
        }
        for member in organisation["staff"]:
            if member["active"]:
                _add(found, member, site["id"], site["name"], names)
    every = list(found.values())
    every.extend(DevPerson(sub, name, {role}, {"*"}) for sub, name, role in EXTRA_PEOPLE)
    return every


def _add(
    found: dict[str, DevPerson],
    member: dict[str, str],
    site_id: str,
    site_name: str,
    names: dict[str, dict[str, str]],
) -> None:
    person = found.setdefault(member["id"], DevPerson(member["id"], member["name"]))
    person.roles.add(member["role"])
    person.sites.add(site_id)
    person.site_names[site_id] = site_name
    code = member.get("department")
    if code:
        person.departments[code] = names.get(code, {"zh": code, "en": code})


def identity(settings: ConsoleSettings, person: DevPerson) -> Identity:
    """A development identity for `person`, with a token as long as a session."""
    _refuse_production(settings)
    ttl = int(settings.session_hours * 3600)
    token = issue_token(
        settings,
        sub=person.sub,
        roles=sorted(person.roles),
        sites=sorted(person.sites),
        name=person.name,
        ttl_seconds=ttl,
    )
    expires = datetime.now(UTC) + timedelta(seconds=ttl)
    return Identity(
        sub=person.sub,
        name=person.name,
        roles=sorted(person.roles),
        sites=sorted(person.sites),
        token=token,
        expires_at=expires,
        via="development",
    )


def _refuse_production(settings: ConsoleSettings) -> None:
    if settings.is_production:
        raise NotDevelopment("development sign-in is refused unless CARELOOP_ENV=development")
