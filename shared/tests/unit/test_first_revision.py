"""The first revision's steps build exactly the shared tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine, inspect

from shared.db import first_revision, tables


def test_the_steps_create_the_shared_tables_and_drop_them_again() -> None:
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        with Operations.context(context):
            first_revision.upgrade()
            assert compare_metadata(context, tables.metadata) == []
            indexes = {index["name"] for index in inspect(connection).get_indexes("timer")}
            assert indexes == {"ix_timer_due_at", "uq_timer_kind_key"}
            first_revision.downgrade()
        assert inspect(connection).get_table_names() == []
    engine.dispose()
