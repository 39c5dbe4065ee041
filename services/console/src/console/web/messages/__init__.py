"""The console's own words, each key with its Chinese and its English (zh, en).

One module per area of the console; a key without both languages cannot be written, so
no page is half translated. Terms follow DESIGN.md §11; codes of the services' closed
sets are in `shared.words`.
"""

from __future__ import annotations

from console.web.messages import admin, core, improvement, notices, reports, surveys

MESSAGES: dict[str, tuple[str, str]] = {}
for _area in (core, notices, surveys, improvement, reports, admin):
    _clash = MESSAGES.keys() & _area.MESSAGES.keys()
    assert not _clash, f"phrases defined twice: {sorted(_clash)}"
    MESSAGES.update(_area.MESSAGES)
