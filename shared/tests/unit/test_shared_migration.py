"""The first migration's steps build exactly the shared tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine, inspect

from shared.db import tables
from shared.db.shared_migration import create_shared_tables, drop_shared_tables


def test_the_steps_create_the_shared_tables_and_drop_them_again() -> None:
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        with Operations.context(context):
            create_shared_tables()
            assert compare_metadata(context, tables.metadata) == []
            indexes = {index["name"] for index in inspect(connection).get_indexes("timer")}
            assert indexes == {"ix_timer_due_at", "uq_timer_kind_key"}
            drop_shared_tables()
        assert inspect(connection).get_table_names() == []
    engine.dispose()
