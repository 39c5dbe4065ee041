"""Keeping sessions: open one at sign-in, find it from the cookie, end it at sign-out.

Use cases take a session of the console's database and never commit.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from console.sessions.models import PendingSignIn, StaffSession
from shared.clock import utcnow
from shared.db.typed import rowcount
from shared.http.auth import Principal, Role


@dataclass(frozen=True)
class Person:
    """The signed-in person as a page sees them: who, what they may do, their token."""

    session_id: str
    sub: str
    name: str
    roles: frozenset[str]
    sites: frozenset[str]
    token: str
    csrf: str
    expires_at: datetime
    via: str
    id_token: str | None = None

    @property
    def principal(self) -> Principal:
        """The same principal the services make of the token (for `sees`, `has_any`)."""
        roles = frozenset(Role(r) for r in self.roles if r in Role.__members__.values())
        return Principal(sub=self.sub, name=self.name, roles=roles, sites=self.sites)

    def has_any(self, *roles: str) -> bool:
        """True when the person holds one of `roles` (admin holds every one)."""
        return bool(self.roles & {*roles, Role.ADMIN.value})


@dataclass(frozen=True)
class Identity:
    """Who a sign-in proved someone to be, and the tokens it gave."""

    sub: str
    name: str
    roles: list[str]
    sites: list[str]
    token: str
    expires_at: datetime
    via: str
    id_token: str | None = None


class Sealer:
    """Encrypts what the console keeps of tokens, with a key from the session secret."""

    def __init__(self, secret: str) -> None:
        key = hashlib.sha256(f"careloop-console:{secret}".encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def open(self, value: str) -> str | None:
        """The plain value, or None when it was sealed with another secret."""
        try:
            return self._fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            return None


def digest(value: str) -> str:
    """What is stored of a cookie or a state: its SHA-256, never the value itself."""
    return hashlib.sha256(value.encode()).hexdigest()


async def open_session(
    db: AsyncSession, *, identity: Identity, sealer: Sealer, longest: timedelta
) -> str:
    """A new session for `identity`; returns the cookie value (shown to nobody else)."""
    cookie, now = secrets.token_urlsafe(32), utcnow()
    db.add(
        StaffSession(
            id=digest(cookie),
            sub=identity.sub,
            name=identity.name,
            roles=sorted(identity.roles),
            sites=sorted(identity.sites),
            token=sealer.seal(identity.token),
            id_token=sealer.seal(identity.id_token) if identity.id_token else None,
            csrf=secrets.token_urlsafe(24),
            via=identity.via,
            created_at=now,
            expires_at=min(identity.expires_at, now + longest),
        )
    )
    return cookie


async def find_person(db: AsyncSession, *, cookie: str, sealer: Sealer) -> Person | None:
    """The person of a live session, or None (unknown, expired, or sealed with another key)."""
    row = await db.get(StaffSession, digest(cookie))
    if row is None or row.expires_at <= utcnow():
        return None
    token = sealer.open(row.token)
    if token is None:
        return None
    return Person(
        session_id=row.id,
        sub=row.sub,
        name=row.name,
        roles=frozenset(row.roles),
        sites=frozenset(row.sites),
        token=token,
        csrf=row.csrf,
        expires_at=row.expires_at,
        via=row.via,
        id_token=sealer.open(row.id_token) if row.id_token else None,
    )


async def end_session(db: AsyncSession, *, session_id: str) -> None:
    """Forget the session: its cookie opens nothing from now on."""
    await db.execute(delete(StaffSession).where(col(StaffSession.id) == session_id))


async def remember_sign_in(
    db: AsyncSession, *, state: str, verifier: str, nonce: str, next_path: str, sealer: Sealer
) -> None:
    """Keep what the provider's answer will be checked against, for ten minutes."""
    db.add(
        PendingSignIn(
            state=digest(state),
            code_verifier=sealer.seal(verifier),
            nonce=nonce,
            next_path=next_path,
            expires_at=utcnow() + timedelta(minutes=10),
        )
    )


async def take_sign_in(db: AsyncSession, *, state: str) -> PendingSignIn | None:
    """The sign-in a state belongs to, used up by reading it (None: unknown or too old)."""
    row = await db.get(PendingSignIn, digest(state))
    if row is None:
        return None
    await db.delete(row)
    return row if row.expires_at > utcnow() else None


async def purge(db: AsyncSession) -> int:
    """Forget expired sessions and abandoned sign-ins; the number of rows removed."""
    now = utcnow()
    gone = await db.execute(delete(StaffSession).where(col(StaffSession.expires_at) <= now))
    abandoned = await db.execute(delete(PendingSignIn).where(col(PendingSignIn.expires_at) <= now))
    return rowcount(gone) + rowcount(abandoned)


async def session_exists(db: AsyncSession, *, session_id: str) -> bool:
    """True while the session has not been ended (signed out or purged)."""
    return await db.get(StaffSession, session_id) is not None
