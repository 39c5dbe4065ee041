"""Every surveys table, imported in one place so that the metadata is complete.

Migrations need all tables registered on `surveys.db.metadata`; plain module imports,
because `surveys.db` imports this module while a model module may still be half-way
through its own import.
"""

from __future__ import annotations

import surveys.campaigns.models
import surveys.frame.models
import surveys.responses.models
import surveys.results.models
import surveys.sampling.models
import surveys.schedules.models  # noqa: F401
