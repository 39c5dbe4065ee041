"""Loading organisations and rules in bulk from a YAML or JSON file.

    python -m routing load group.yaml

The file holds one site (a mapping with `site_id`) or many (`sites: [...]`); each site is
an organisation (departments, staff, vp, gm) with an optional `rules` section. Everything
in the file is loaded in one transaction, so a file with a mistake changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from routing.bodies import parse_document
from routing.organisation import service as organisation
from routing.organisation.schemas import OrganisationIn
from routing.rules import service as rules
from routing.rules.schemas import RulesIn
from shared.db.engine import Database, transaction
from shared.http.errors import ProblemError


class SiteDocument(OrganisationIn):
    """One site's organisation and, optionally, its rules."""

    site_id: str = Field(min_length=1, max_length=64)
    rules: RulesIn | None = None


class GroupDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sites: list[SiteDocument] = Field(min_length=1)


class LoadError(ValueError):
    """The file cannot be loaded; the message says what to fix."""


def read_file(path: Path) -> list[SiteDocument]:
    """The sites a file describes."""
    try:
        data = parse_document(path.read_bytes(), yaml_=path.suffix.lower() in (".yaml", ".yml"))
    except ProblemError as exc:
        raise LoadError(f"{path}: {exc.detail}") from exc
    try:
        if isinstance(data, dict) and "sites" in data:
            return GroupDocument.model_validate(data).sites
        return [SiteDocument.model_validate(data)]
    except ValidationError as exc:
        raise LoadError(f"{path}: {exc}") from exc


async def load(db: Database, sites: list[SiteDocument]) -> None:
    """Replace each site's organisation (and rules, when given), all or nothing."""
    try:
        async with transaction(db) as session:
            for site in sites:
                org = OrganisationIn.model_validate(site.model_dump(exclude={"site_id", "rules"}))
                await organisation.replace_organisation(
                    session, site_id=site.site_id, organisation=org
                )
                if site.rules is not None:
                    await rules.put_rules(session, site_id=site.site_id, rules=site.rules)
    except ProblemError as exc:
        raise LoadError(exc.detail) from exc
