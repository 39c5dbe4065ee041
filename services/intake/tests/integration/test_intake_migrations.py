"""Intake's migrations build exactly the schema its models describe, on both databases."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Connection, MetaData, Table, select

from intake.complaints.models import complaint
from intake.db import metadata
from intake.directory.models import household_phone
from intake.main import SERVICE_DIR
from shared.clock import utcnow
from shared.db.engine import Database
from shared.db.migrations import upgrade_async
from shared.testing.migrations import assert_round_trip, differences

pytestmark = pytest.mark.integration

INTAKE_TABLES = {
    "site",
    "building",
    "unit",
    "household",
    "household_phone",
    "complaint",
    "complaint_counter",
    "timeline_entry",
}


async def test_migrations_match_the_models_and_go_down_and_up_again(database_url: str) -> None:
    await assert_round_trip(
        SERVICE_DIR,
        database_url,
        tables=INTAKE_TABLES,
        down_to="0001",
        compare=differences(metadata),
    )


def _filled(table: Table, **given: object) -> dict[str, object]:
    """A row of `table`: the given values, and a plain value in every other required column."""
    row: dict[str, object] = dict(given)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None:
            continue
        plain = {str: "x", int: 1, bool: False, datetime: utcnow(), date: utcnow().date()}
        row[column.name] = plain[column.type.python_type]
    return row


def _as_migrated(connection: Connection) -> dict[str, Table]:
    """The tables as the database has them now (an older revision has fewer columns)."""
    found = MetaData()
    found.reflect(
        connection, only=["site", "building", "unit", "household", "household_phone", "complaint"]
    )
    return dict(found.tables)


async def test_phones_stored_as_typed_take_the_one_stored_form(database_url: str) -> None:
    await upgrade_async(SERVICE_DIR, database_url, "0003")
    db = Database(database_url, pool_size=1)
    spelled = ["+86 138 0013 8000", "13800138000", "0086-139-0013-9000", "+852 9123 4567", "n/a"]
    try:
        async with db.engine.begin() as conn:
            t = await conn.run_sync(_as_migrated)
            for name, given in (
                ("site", {"id": "s", "code": "S1"}),
                ("building", {"id": "b", "site_id": "s"}),
                ("unit", {"id": "u", "site_id": "s", "building_id": "b"}),
                ("household", {"id": "h", "site_id": "s", "unit_id": "u"}),
                ("complaint", {"id": "c", "site_id": "s", "reporter_phone": "+86 139 0013 9000"}),
            ):
                await conn.execute(t[name].insert().values(_filled(t[name], **given)))
            for position, phone in enumerate(spelled):
                values = {"household_id": "h", "phone": phone, "position": position}
                await conn.execute(t["household_phone"].insert().values(values))
        await upgrade_async(SERVICE_DIR, database_url)
        async with db.engine.connect() as conn:
            phones = (
                await conn.execute(
                    select(household_phone.c.phone).order_by(household_phone.c.position)
                )
            ).scalars()
            reporter = await conn.scalar(select(complaint.c.reporter_phone))
    finally:
        await db.dispose()

    # Two spellings of one mobile are one row; the unreadable one is kept as it was.
    assert list(phones) == ["13800138000", "13900139000", "+85291234567", "n/a"]
    assert reporter == "13900139000"
