"""Who may do what in surveys: the role dependencies every route names.

Site scoping itself is the principal's (`visible`, `may_act_on`, `site_filter`); these only
say which roles a route needs. Admin passes every check (`require_roles`).
"""

from __future__ import annotations

from typing import Annotated

from shared.http.auth import Principal, Role, require_roles

MANAGING_ROLES = (Role.DEPT_HEAD, Role.VP, Role.GM)

Reader = Annotated[Principal, require_roles(*Role)]
"""Any role reads the campaigns and results of its sites."""
Manager = Annotated[Principal, require_roles(*MANAGING_ROLES)]
"""Department heads and above plan, draw and close campaigns."""
Surveyor = Annotated[Principal, require_roles(Role.SURVEYOR, *MANAGING_ROLES)]
"""Surveyors (and their supervisors) enter the responses they collected."""
Supervisor = Annotated[Principal, require_roles(*MANAGING_ROLES)]
"""Supervisors verify the re-check sample against the paper forms."""
