"""Who may do what in notify: the role dependencies every route names.

Site scoping itself is the principal's (`visible`, `may_act_on`, `site_filter`); these only
say which roles a route needs. Admin passes every check (`require_roles`).
"""

from __future__ import annotations

from typing import Annotated

from shared.http.auth import Principal, Role, require_roles

Reader = Annotated[Principal, require_roles(*Role)]
"""Any role reads the contacts, deliveries, settings, templates, notices and callbacks of
its sites."""
ContactKeeper = Annotated[
    Principal, require_roles(Role.CALLCENTER, Role.HANDLER, Role.DEPT_HEAD, Role.VP, Role.GM)
]
"""Who records a household's wishes (channels, language, opt-out): the staff they talk to."""
Caller = Annotated[Principal, require_roles(Role.CALLCENTER, Role.HANDLER, Role.DEPT_HEAD)]
"""Who works phone tasks and callbacks: the call-center and customer-service staff."""
Publisher = Annotated[Principal, require_roles(Role.HANDLER, Role.DEPT_HEAD, Role.VP, Role.GM)]
"""Who publishes, changes and cancels notices: the site office and the chain above it."""
Admin = Annotated[Principal, require_roles(Role.ADMIN)]
"""Administrators keep the staff directory and the site settings."""
Integrator = Annotated[Principal, require_roles(Role.CALLCENTER)]
"""Call-center integrations keep their own webhook subscriptions (admins see everyone's)."""
