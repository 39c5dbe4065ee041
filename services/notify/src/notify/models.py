"""Every notify table, imported in one place so that the metadata is complete.

Plain module imports, because `notify.db` imports this module while a model module may
still be half-way through its own import.
"""

from __future__ import annotations

import notify.callbacks.models
import notify.contacts.models
import notify.deliveries.models
import notify.messages.models
import notify.notices.models
import notify.phone_tasks.models
import notify.sites.models
import notify.webhooks.models  # noqa: F401
