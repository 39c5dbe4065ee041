"""The administration pages (系统设置), for administrators only: the sites, each site's
residents and their import, its organisation, its rules and its office in notify.

Every page reads and writes through the services with the administrator's own token; the
services decide what an administrator may change and refuse the rest in their words.
"""

from __future__ import annotations

from fastapi import APIRouter

from console.admin import directory, imports, office, organisation, removal, rules, sites

router = APIRouter(include_in_schema=False)
for _part in (sites, directory, removal, imports, organisation, rules, office):
    router.include_router(_part.router)
