"""Alembic environment of careloop-intake: its own tables plus the shared ones."""

from intake.models import metadata
from shared.db.migrations import run_env

run_env(metadata)
