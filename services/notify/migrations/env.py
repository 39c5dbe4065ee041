"""Alembic environment of careloop-notify: its own tables plus the shared ones."""

from notify.models import metadata
from shared.db.migrations import run_env

run_env(metadata)
