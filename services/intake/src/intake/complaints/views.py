"""How a complaint row reads in the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intake.complaints.schemas import (
    ComplaintRead,
    Links,
    LocationRead,
    ReplyRead,
    ReporterRead,
)
from shared.db.engine import as_utc


def links(row: Mapping[Any, Any]) -> Links:
    """Where to find the complaint and what to do with it."""
    here = f"/v1/complaints/{row['id']}"
    return Links(
        self=here,
        by_reference=f"/v1/complaints/by-reference/{row['reference']}",
        supplements=f"{here}/supplements",
        withdrawal=f"{here}/withdrawal",
    )


def _utc(value: Any) -> Any:
    return as_utc(value) if value is not None else None


def _reporter(row: Mapping[Any, Any]) -> ReporterRead:
    # A household's name and phone are the directory's (read joined); a visitor gave theirs.
    known = row["reporter_type"] == "household"
    return ReporterRead(
        type=row["reporter_type"],
        household_id=row["household_id"],
        name=row["household_name"] if known else row["reporter_name"],
        phone=row["household_phone"] if known else row["reporter_phone"],
        email=None if known else row["reporter_email"],
        staff_member=row["staff_member"],
        department=row["staff_department"],
    )


def _location(row: Mapping[Any, Any]) -> LocationRead | None:
    if not (row["building_id"] or row["unit_id"] or row["common_area"]):
        return None
    return LocationRead(
        building_id=row["building_id"],
        unit_id=row["unit_id"],
        common_area=row["common_area"],
        text=row["location"],
    )


def _reply(row: Mapping[Any, Any]) -> ReplyRead | None:
    if row["reply_text"] is None:
        return None
    return ReplyRead(
        text=row["reply_text"], replied_by=row["replied_by"], replied_at=_utc(row["replied_at"])
    )


def to_read(row: Mapping[Any, Any]) -> ComplaintRead:
    """The API view of a complaint row read with `queries.READ`."""
    times = ("occurred_at", "received_at", "withdrawn_at", "closed_at")
    plain = (
        "id", "reference", "status", "version", "site_id", "channel", "kind", "category",
        "severity", "description", "received_by", "external_ref", "case_id", "department",
    )  # fmt: skip
    return ComplaintRead(
        **{k: row[k] for k in plain},
        **{k: _utc(row[k]) for k in times},
        reporter=_reporter(row),
        location=_location(row),
        immediate_reply=_reply(row),
        answered=row["reply_text"] is not None,
        anonymised=row["anonymised_at"] is not None,
        links=links(row),
    )
