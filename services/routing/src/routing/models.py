"""Every routing table, imported in one place so that the metadata is complete.

Migrations and foreign keys need all tables registered on `routing.db.metadata`: the
migrations' environment and the app import this module; no table module imports it.
"""

from __future__ import annotations

import routing.cases.models
import routing.corrective.models
import routing.organisation.models
import routing.rectifications.models
import routing.reports.models
import routing.rules.models  # noqa: F401
from routing.db import metadata

__all__ = ["metadata"]
