"""Who may call what in routing: the role dependencies every route names.

Site scoping is the principal's (`visible`, `site_filter`): another site's organisation,
rules or cases answer 404, as if they did not exist. Admin passes every role check
(`require_roles`); what staff may do to a case is decided by `routing.cases.rules`.
"""

from __future__ import annotations

from typing import Annotated

from shared.http.auth import Principal, Role, require_roles

CASE_ROLES = (Role.HANDLER, Role.DEPT_HEAD, Role.VP, Role.GM)

Reader = Annotated[Principal, require_roles(*Role)]
"""Any role reads what belongs to its sites."""
Worker = Annotated[Principal, require_roles(*CASE_ROLES)]
"""Handlers and the chain above them act on cases."""
Admin = Annotated[Principal, require_roles()]
"""Only admins manage the organisation and the rules."""


def site_visible(principal: Principal, site_id: str) -> str:
    """The site id, or 404 when it is not one of the principal's sites."""
    principal.visible("Site", site_id, site_id)
    return site_id


MANAGER_ROLES = (Role.DEPT_HEAD, Role.VP, Role.GM)

Manager = Annotated[Principal, require_roles(*MANAGER_ROLES)]
"""Department heads and the site's leaders open and judge rectifications and actions."""
