"""Published complaint reports: one per site and month, whatever the replicas or restarts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Table, UniqueConstraint, event
from sqlalchemy.orm import Mapper
from sqlmodel import Field

from routing.db import RoutingModel
from shared.db.typed import table_of
from shared.db.types import UtcDateTime


class ComplaintReport(RoutingModel, table=True):
    """A site's monthly complaint report, kept with its figures as they were published.

    The unique (site_id, period) row is what makes the monthly job publish exactly once:
    a second replica's insert of the same row does nothing.
    """

    __tablename__ = "complaint_report"
    __table_args__ = (
        UniqueConstraint("site_id", "period"),
        Index("ix_complaint_report_published_at_id", "published_at", "id"),
    )

    id: str = Field(primary_key=True, sa_type=String(64))
    site_id: str = Field(sa_type=String(64))
    period: str = Field(sa_type=String(30))
    period_start: datetime = Field(sa_type=UtcDateTime())
    period_end: datetime = Field(sa_type=UtcDateTime())
    complaints: int = 0
    valid: int = 0
    invalid: int = 0
    figures: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    published_at: datetime = Field(sa_type=UtcDateTime())


complaint_report: Table = table_of(ComplaintReport)


def _index_for_reports(table: Table) -> None:
    """The report reads a site's cases by receipt time, and escalations from their history.

    Declared here so that the case tables stay the cases' own. A case model may be defined
    before or after this module is imported (see `routing.models`), hence both the loop
    below and the mapper event.
    """
    names = {index.name for index in table.indexes}
    if table.name == "case" and "ix_case_site_id_received_at" not in names:
        Index("ix_case_site_id_received_at", table.c.site_id, table.c.received_at)
        # Escalated cases only, with what the report checks: their escalations join here.
        escalated = table.c.escalation_count > 0
        Index(
            "ix_case_escalated",
            table.c.id,
            postgresql_include=["site_id", "received_at"],
            postgresql_where=escalated,
            sqlite_where=escalated,
        )
    if table.name == "case_entry" and "ix_case_entry_escalated_at" not in names:
        escalated = table.c.type == "case.escalated"
        Index(
            "ix_case_entry_escalated_at",
            table.c.at,
            postgresql_where=escalated,
            sqlite_where=escalated,
        )


@event.listens_for(RoutingModel, "instrument_class", propagate=True)
def _on_model(mapper: Mapper[Any], _cls: type) -> None:
    if isinstance(mapper.local_table, Table):  # typed FromClause; a table model's is a Table
        _index_for_reports(mapper.local_table)


for _table in list(RoutingModel.metadata.tables.values()):
    _index_for_reports(_table)
