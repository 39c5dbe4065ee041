"""phone numbers stored before intake normalised them take the one stored form

Numbers typed as `+86 138 0013 8000`, `0086…` or `138-0013-8000` were stored as typed
before phonenumbers; the caller lookup, which now normalises what it is given, would not
find them. Household and reporter phones of the home region (CN) become their national
significant number, other countries' E.164, as intake.phones stores new ones. A number
phonenumbers cannot read is left as it is (nothing is lost); two spellings of one number
of a household become one row.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 12:15:00.000000
"""

from collections.abc import Sequence

import phonenumbers
import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGION = "CN"


def _stored_form(text: str) -> str:
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    if phonenumbers.region_code_for_number(number) == REGION:
        return str(phonenumbers.national_significant_number(number))
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT household_id, phone, position FROM household_phone ORDER BY position")
    ).all()
    kept: set[tuple[str, str]] = {(r.household_id, r.phone) for r in rows}
    for household_id, phone, _position in rows:
        stored = _stored_form(phone)
        if stored == phone:
            continue
        kept.discard((household_id, phone))
        if (household_id, stored) in kept:  # the household has this number already
            bind.execute(
                sa.text("DELETE FROM household_phone WHERE household_id = :h AND phone = :p"),
                {"h": household_id, "p": phone},
            )
            continue
        kept.add((household_id, stored))
        bind.execute(
            sa.text(
                "UPDATE household_phone SET phone = :new WHERE household_id = :h AND phone = :p"
            ),
            {"new": stored, "h": household_id, "p": phone},
        )
    reporters = bind.execute(
        sa.text("SELECT DISTINCT reporter_phone FROM complaint WHERE reporter_phone IS NOT NULL")
    ).scalars()
    for phone in list(reporters):
        stored = _stored_form(phone)
        if stored != phone:
            bind.execute(
                sa.text("UPDATE complaint SET reporter_phone = :new WHERE reporter_phone = :p"),
                {"new": stored, "p": phone},
            )


def downgrade() -> None:
    """The typed spellings are not kept: the numbers stay in their stored form."""
