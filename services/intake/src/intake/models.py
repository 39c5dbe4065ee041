"""Every intake table, imported in one place so that the metadata is complete.

Migrations and foreign keys need all tables registered on `intake.db.metadata`.
"""

from __future__ import annotations

from intake.complaints.models import Complaint, ComplaintCounter
from intake.db import metadata
from intake.directory.models import Building, Household, HouseholdPhone, Site, Unit
from intake.timeline.models import TimelineEntry

__all__ = [
    "Building",
    "Complaint",
    "ComplaintCounter",
    "Household",
    "HouseholdPhone",
    "Site",
    "TimelineEntry",
    "Unit",
    "metadata",
]
