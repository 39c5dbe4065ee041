"""Who may call the notice and callback routes: the role dependencies each route names.

Site scoping itself is the principal's (`visible`, `may_act_on`, `site_filter`): another
site's notice or callback answers 404, as if it did not exist. Admin passes every check.
"""

from __future__ import annotations

from typing import Annotated

from shared.http.auth import Principal, Role, require_roles

OFFICE_ROLES = (Role.HANDLER, Role.DEPT_HEAD, Role.VP, Role.GM)

Reader = Annotated[Principal, require_roles(*Role)]
"""Any role reads the notices and callbacks of its sites."""
Publisher = Annotated[Principal, require_roles(*OFFICE_ROLES)]
"""Customer-service staff and the chain above them publish, change and cancel notices."""
Caller = Annotated[Principal, require_roles(Role.CALLCENTER, *OFFICE_ROLES)]
"""Customer-service and call-center staff make the return visits and record them."""
