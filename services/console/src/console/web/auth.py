"""Who is signed in: every page but the sign-in pages needs a live session.

A request without one is sent to sign in and, once signed in, back to where it was
going (`next`, limited to the console's own paths).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request

from console.sessions import store
from console.sessions.store import Person
from console.web.state import console_of
from shared.db.engine import reading

SIGN_IN_PATH = "/sign-in"


class SignInRequired(Exception):
    """No live session: sign in, then go on to `next_path`."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path

    @property
    def location(self) -> str:
        return f"{SIGN_IN_PATH}?{urlencode({'next': self.next_path})}"


def here(request: Request) -> str:
    """The path and query of the request, to come back to after signing in."""
    query = request.url.query
    return f"{request.url.path}?{query}" if query else request.url.path


def safe_next(value: str | None) -> str:
    """A `next` that stays on the console (a path, never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


async def current_person(request: Request) -> Person:
    """The signed-in person, or SignInRequired."""
    console = console_of(request)
    cookie = request.cookies.get(console.cookie)
    person = None
    if cookie:
        async with reading(console.db) as session:
            person = await store.find_person(session, cookie=cookie, sealer=console.sealer)
    if person is None:
        raise SignInRequired(here(request))
    request.state.person = person
    return person


CurrentPerson = Annotated[Person, Depends(current_person)]
