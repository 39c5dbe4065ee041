"""Which pages a person's roles open. The services decide what each role may do; the
console only keeps people away from pages whose every action the services would refuse,
and says so in words instead of an empty page."""

from __future__ import annotations

from console.web.pages import View
from shared.http.errors import ProblemError

CASE_ROLES = ("handler", "dept_head", "vp", "gm")
RECORDERS = ("callcenter", *CASE_ROLES)
CALLERS = ("callcenter", "handler", "dept_head")


def require(view: View, *roles: str) -> None:
    """403 (a page saying so) unless the person holds one of `roles` (admin holds all)."""
    if view.person is None or not view.person.has_any(*roles):
        raise ProblemError(403, "roles")


def may(view: View, *roles: str) -> bool:
    """True when the person holds one of `roles`: what the navigation shows."""
    return view.person is not None and view.person.has_any(*roles)
