"""Every notify table, imported in one place so that the metadata is complete.

Migrations and foreign keys need all tables registered on `notify.db.metadata`: the
migrations' environment and the app import this module; no table module imports it.
"""

from __future__ import annotations

import notify.callbacks.models
import notify.channels.models
import notify.contacts.models
import notify.deliveries.models
import notify.messages.models
import notify.notices.models
import notify.sites.models
import notify.webhooks.models  # noqa: F401
from notify.db import metadata

__all__ = ["metadata"]
