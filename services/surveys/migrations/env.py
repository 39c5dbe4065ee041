"""Alembic environment of careloop-surveys: its own tables plus the shared ones."""

from surveys.db import metadata

from shared.db.migrations import run_env

run_env(metadata)
