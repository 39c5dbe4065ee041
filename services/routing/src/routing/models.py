"""Every routing table, imported in one place so that the metadata is complete.

Migrations and foreign keys need all tables registered on `routing.db.metadata`; plain
module imports, because `routing.db` imports this module while a model module may still be
half-way through its own import.
"""

from __future__ import annotations

import routing.cases.models
import routing.corrective.models
import routing.organisation.models
import routing.rectifications.models
import routing.reports.models
import routing.rules.models  # noqa: F401
