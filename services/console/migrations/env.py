"""Alembic environment of careloop-console: its own tables plus the shared ones."""

from console.models import metadata
from shared.db.migrations import run_env

run_env(metadata)
