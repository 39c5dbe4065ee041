"""shared tables

Revision ID: 0001
Revises:
Create Date: 2026-11-27 06:08:53.696297
"""

from shared.db.first_revision import downgrade, upgrade

revision = "0001"
down_revision = None

__all__ = ["downgrade", "upgrade"]
