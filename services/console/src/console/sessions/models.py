"""Staff sessions: who is signed in, with the token the services know them by.

The browser holds only a random cookie; the row is keyed by that cookie's hash, and the
tokens in it are encrypted with the console's session secret, so neither a leaked
database nor a leaked log line is a way in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlmodel import Field

from console.db import ConsoleModel
from shared.db.types import UtcDateTime


class StaffSession(ConsoleModel, table=True):
    """One signed-in person in one browser."""

    __tablename__ = "staff_session"
    __table_args__ = (Index("ix_staff_session_expires_at", "expires_at"),)

    id: str = Field(primary_key=True, sa_type=String(64), description="sha256 of the cookie")
    sub: str = Field(sa_type=String(64))
    name: str = Field(sa_type=String(200))
    roles: list[str] = Field(default_factory=list, sa_type=JSON)
    sites: list[str] = Field(default_factory=list, sa_type=JSON)
    token: str = Field(sa_type=Text(), description="encrypted bearer token for the services")
    id_token: str | None = Field(default=None, sa_type=Text(), description="encrypted")
    csrf: str = Field(sa_type=String(64))
    via: str = Field(sa_type=String(12), description="development or oidc")
    created_at: datetime = Field(sa_type=UtcDateTime())
    expires_at: datetime = Field(sa_type=UtcDateTime())


class PendingSignIn(ConsoleModel, table=True):
    """An OpenID Connect sign-in between the redirect to the provider and its return."""

    __tablename__ = "pending_sign_in"
    __table_args__ = (Index("ix_pending_sign_in_expires_at", "expires_at"),)

    state: str = Field(primary_key=True, sa_type=String(64), description="sha256 of the state")
    code_verifier: str = Field(sa_type=Text(), description="encrypted PKCE verifier")
    nonce: str = Field(sa_type=String(64))
    next_path: str = Field(sa_type=Text())
    expires_at: datetime = Field(sa_type=UtcDateTime())
