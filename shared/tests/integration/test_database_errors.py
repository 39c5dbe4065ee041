"""A database error never carries the values bound to its statement: they are residents'
names and numbers, and errors end up in logs."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table
from sqlalchemy.exc import DBAPIError

from shared.db.engine import Database, transaction
from shared.logging import configure_logging, get_logger
from shared.testing.servers import create_schema

pytestmark = pytest.mark.integration

metadata = MetaData()
person = Table(
    "person", metadata, Column("phone", String(20), primary_key=True), Column("name", String(50))
)


async def test_a_failed_statement_names_no_bound_value(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await create_schema(database_url, metadata)
    db = Database(database_url, pool_size=2)
    configure_logging(service="test", fmt="json", level="INFO")
    try:
        async with transaction(db) as session:
            await session.execute(person.insert().values(phone="13912345678", name="王秀英"))
        with pytest.raises(DBAPIError) as failed:
            async with transaction(db) as session:
                await session.execute(person.insert().values(phone="13912345678", name="王秀英"))
        get_logger(__name__).exception("insert failed", error=str(failed.value))
    finally:
        await db.dispose()
    assert "INSERT INTO person" in str(failed.value)
    assert "[SQL parameters hidden" in str(failed.value)
    for said in (str(failed.value), capsys.readouterr().out):
        assert "13912345678" not in said
        assert "王秀英" not in said
