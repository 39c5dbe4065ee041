"""What every administration page shares: who may open them, the ids in their addresses,
the words of what was just done, and rendering with the setup forms' error words."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request
from starlette.responses import HTMLResponse, RedirectResponse

from console.admin import words
from console.web.guard import require
from console.web.pages import View, render

ROLES = ("admin",)
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
Id = Annotated[str, Path(pattern=ID_PATTERN)]
StaffId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$")]
Code = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{1,63}$")]

DONE = (
    "site_created",
    "site_changed",
    "building_created",
    "building_changed",
    "building_removed",
    "unit_created",
    "unit_changed",
    "unit_removed",
    "household_created",
    "household_changed",
    "household_removed",
    "imported",
    "department_created",
    "department_changed",
    "staff_created",
    "staff_changed",
    "leadership",
    "routing",
    "deadlines",
    "calendar",
    "settings",
    "contacts",
)
"""What a page says was done (`?done=`): each has its words, `admin.done.<what>`."""


def require_admin(view: View) -> None:
    """The not-allowed page unless the person is an administrator."""
    require(view, *ROLES)


def done(request: Request) -> str | None:
    """What the redirect after a change says was done, if it is one of DONE."""
    said = request.query_params.get("done")
    return said if said in DONE else None


def page(view: View, template: str, *, status: int = 200, **data: Any) -> HTMLResponse:
    """An administration page: the setup forms' field errors in the page's words."""
    return render(
        view,
        template,
        status=status,
        describe_error=lambda error: words.describe(error, view.lang),
        zone_name=lambda zone: words.zone_name(zone, view.lang),
        **data,
    )


def after(path: str, what: str) -> RedirectResponse:
    """Back to `path` after a change, saying what was done."""
    joiner = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{joiner}done={what}", status_code=303)


def forget_sites(view: View) -> None:
    """The person's remembered sites and people are stale after a change to them."""
    assert view.person is not None
    view.console.sites.forget(view.person.session_id)
    view.console.people.forget(view.person.session_id)
