"""Path parameters every router shares: ids are bounded, so no lookup ever sees junk."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
STAFF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$"
NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$"
CODE_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"

SiteId = Annotated[str, Path(pattern=ID_PATTERN, description="a site id")]
CaseId = Annotated[str, Path(pattern=ID_PATTERN, description="a case id")]
StaffId = Annotated[str, Path(pattern=STAFF_PATTERN, description="a staff id (token sub)")]
DepartmentCode = Annotated[str, Path(pattern=CODE_PATTERN, description="e.g. engineering")]
Number = Annotated[str, Path(pattern=NUMBER_PATTERN, description="a slip or notice number")]
