"""Every surveys table, imported in one place so that the metadata is complete.

Migrations need all tables registered on `surveys.db.metadata`; the package imports this
module (`surveys/__init__.py`), so that metadata is complete whichever module came first.
"""

from __future__ import annotations

import surveys.campaigns.models
import surveys.frame.models
import surveys.responses.models
import surveys.results.models
import surveys.sampling.models
import surveys.schedules.models  # noqa: F401
