"""Alembic environment of careloop-surveys: its own tables plus the shared ones."""

from shared.db.migrations import run_env
from surveys.db import metadata

run_env(metadata)
