"""Pure decisions about contacts: which channels reach a household or a member of staff,
and the `Recipient` each one makes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

CHANNELS = ("sms", "email", "webhook", "phone_task")
HOUSEHOLD_DEFAULT = ("sms", "email", "webhook")
"""A household that chose nothing is reached on every written channel it has an address for;
a phone call is a person's time, so it is only made for households that ask for it."""
STAFF_ROLES = ("handler", "dept_head", "vp", "gm")
SUPERIOR = {"handler": "dept_head", "dept_head": "vp", "vp": "gm", "gm": "gm"}


@dataclass(frozen=True)
class Recipient:
    """One way to reach one person or household."""

    key: str
    """household:<id> or staff:<staff_id>."""
    channel: str
    """sms, email, webhook or phone_task."""
    address: str
    """Phone number, e-mail, https URL; the number to call for a phone task ("" if none)."""
    locale: str
    """zh-CN or en."""
    subscription_id: int | None = None
    """The webhook subscription this delivery is for (its address is the subscription's)."""


def addresses(*, phone: str | None, email: str | None, webhook_url: str | None) -> dict[str, str]:
    """The address of each channel that has one (a phone task calls the phone)."""
    found = {"sms": phone, "email": email, "webhook": webhook_url, "phone_task": phone}
    return {channel: address for channel, address in found.items() if address}


def household_channels(
    *,
    phone: str | None,
    email: str | None,
    webhook_url: str | None,
    chosen: Sequence[str] | None,
    preferred: str | None,
) -> list[tuple[str, str]]:
    """(channel, address) pairs a household is reached on, its preferred channel first."""
    reachable = addresses(phone=phone, email=email, webhook_url=webhook_url)
    wanted = [c for c in (HOUSEHOLD_DEFAULT if chosen is None else chosen) if c in reachable]
    if preferred in wanted:
        wanted.remove(preferred)
        wanted.insert(0, preferred)
    return [(channel, reachable[channel]) for channel in wanted]


def within(pairs: list[tuple[str, str]], channels: Collection[str] | None) -> list[tuple[str, str]]:
    """Only the pairs on `channels` (all when None)."""
    return pairs if channels is None else [p for p in pairs if p[0] in channels]


def staff_channels(
    *, phone: str | None, email: str | None, webhook_url: str | None
) -> list[tuple[str, str]]:
    """Staff read e-mail and their app; an SMS only reaches those who have neither."""
    written = [(c, a) for c, a in (("email", email), ("webhook", webhook_url)) if a]
    if written:
        return written
    return [("sms", phone)] if phone else []


def superior_of(level: str) -> str:
    """The role one step above `level` in the escalation chain (the top stays the top)."""
    return SUPERIOR.get(level, "dept_head")
