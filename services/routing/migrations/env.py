"""Alembic environment of careloop-routing: its own tables plus the shared ones."""

from routing.models import metadata
from shared.db.migrations import run_env

run_env(metadata)
