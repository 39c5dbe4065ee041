"""Every console table, imported in one place so that the metadata is complete.

The console owns no complaint data: only who is signed in, and sign-ins under way.
"""

from __future__ import annotations

from console.db import metadata
from console.sessions.models import PendingSignIn, StaffSession

__all__ = ["PendingSignIn", "StaffSession", "metadata"]
