"""Who may do what in intake: the role dependencies every route names.

Site scoping itself is the principal's (`visible`, `may_act_on`, `site_filter`); these only
say which roles a route needs. Admin passes every check (`require_roles`).
"""

from __future__ import annotations

from typing import Annotated

from shared.http.auth import Principal, Role, require_roles

RECORDING_ROLES = (Role.CALLCENTER, Role.HANDLER, Role.DEPT_HEAD, Role.VP, Role.GM)

Reader = Annotated[Principal, require_roles(*Role)]
"""Any role reads what belongs to its sites."""
Recorder = Annotated[Principal, require_roles(*RECORDING_ROLES)]
"""Call-centers and staff record complaints and their follow-ups."""
Admin = Annotated[Principal, require_roles()]
"""Only admins manage the directory."""
