"""Every kind of message notify sends has words in the glossary, so the timeline and the
console say what went out ("受理回执", "work assignment") instead of the kind's code."""

from __future__ import annotations

from notify.templates.loader import MESSAGES
from shared.words import VALUES


def test_every_message_kind_has_words_in_both_languages() -> None:
    kinds = {path.name.split(".")[0] for path in MESSAGES.iterdir() if path.suffix == ".txt"}
    assert "acknowledgement" in kinds
    words = VALUES["message_kind"]
    missing = sorted(kind for kind in kinds if set(words.get(kind, {})) != {"zh", "en"})
    assert missing == []


def test_every_recipient_key_notify_writes_has_words() -> None:
    from notify.messages.complainants import VISITOR

    prefixes = {VISITOR.rstrip(":"), "household", "staff", "developer"}
    assert prefixes <= set(VALUES["recipient"])
