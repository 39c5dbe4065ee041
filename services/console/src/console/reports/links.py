"""Where each number of a report or the dashboard leads: the list of the cases it counts.

Pure. Open and overdue cases lead to the work queue itself when the queue can list exactly
them (one site, or all of the person's sites); otherwise, and for every figure of a
period, to the cases behind the figure as routing's report counts them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from console.reports.periods import Period
from console.reports.scopes import Scope


def drill(scope: Scope, period: Period | None, figure: str, **narrow: str) -> str:
    """The page listing the cases behind `figure` (narrowed to a line's key)."""
    query = {"scope": scope.code, "figure": figure}
    if period is not None:
        query.update(period.query())
    query.update({k: v for k, v in narrow.items() if v})
    return f"/reports/cases?{urlencode(query)}"


def line(
    scope: Scope, period: Period | None, dimension: str, key: str, figure: str = "complaints"
) -> str:
    """The cases of one breakdown line (a site's line: that site's cases)."""
    if dimension == "site":
        return drill(Scope("site", key, (key,)), period, figure)
    return drill(scope, period, figure, **{dimension: key})


def queue(scope: Scope, *, exact: bool, name: str = "all", **filters: str) -> str | None:
    """The work queue listing these cases of the scope, or None when no queue can."""
    query = {"queue": name, **{k: v for k, v in filters.items() if v}}
    if scope.kind == "site" and scope.key:
        query["site_id"] = scope.key
    elif not exact:
        return None
    return f"/queues?{urlencode(query)}"


def open_cases(
    scope: Scope, *, exact: bool, department: str | None = None, status: str | None = None
) -> str:
    """Open cases (of a department, in a status): the queue when it can list them."""
    filters = {"department": department or "", "status": status or ""}
    if status:
        found = queue(scope, exact=exact, **filters)
        if found:
            return found
    return drill(scope, None, "open", **filters)


def overdue(scope: Scope, *, exact: bool, department: str | None = None) -> str:
    """Overdue cases (of a department): the overdue queue when it can list them."""
    found = queue(scope, exact=exact, name="overdue", department=department or "")
    return found or drill(scope, None, "overdue", department=department or "")


def report(scope: Scope, period: Period) -> str:
    """The complaint report of the scope over the period."""
    query = {"scope": scope.code, **period.query()}
    if period.preset:
        query["preset"] = period.preset
    return f"/reports/complaints?{urlencode(query)}"
