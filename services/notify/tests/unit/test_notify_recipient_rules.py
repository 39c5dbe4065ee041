"""Which channels reach a household or a member of staff, and who is a level's superior."""

from __future__ import annotations

from notify.contacts.rules import household_channels, staff_channels, superior_of, within


def test_by_default_a_household_is_reached_on_every_written_channel_it_has() -> None:
    pairs = household_channels(
        phone="13800000001", email="a@example.cn", webhook_url=None, chosen=None, preferred=None
    )

    assert pairs == [("sms", "13800000001"), ("email", "a@example.cn")]


def test_the_preferred_channel_comes_first() -> None:
    pairs = household_channels(
        phone="13800000001",
        email="a@example.cn",
        webhook_url="https://app.example/h",
        chosen=None,
        preferred="webhook",
    )

    assert [c for c, _ in pairs] == ["webhook", "sms", "email"]


def test_a_chosen_channel_without_an_address_reaches_nobody() -> None:
    pairs = household_channels(
        phone=None, email="a@example.cn", webhook_url=None, chosen=["sms", "email"], preferred="sms"
    )

    assert pairs == [("email", "a@example.cn")]


def test_a_phone_task_calls_the_phone_and_only_when_chosen() -> None:
    default = household_channels(
        phone="138", email=None, webhook_url=None, chosen=None, preferred=None
    )
    chosen = household_channels(
        phone="138", email=None, webhook_url=None, chosen=["phone_task"], preferred=None
    )

    assert default == [("sms", "138")]
    assert chosen == [("phone_task", "138")]


def test_a_notice_on_some_channels_keeps_only_those() -> None:
    pairs = [("sms", "138"), ("email", "a@example.cn")]

    assert within(pairs, ["email", "webhook"]) == [("email", "a@example.cn")]
    assert within(pairs, None) == pairs


def test_staff_read_email_and_app_and_get_sms_only_without_them() -> None:
    both = staff_channels(phone="139", email="s@example.cn", webhook_url="https://im.example/s")
    phone_only = staff_channels(phone="139", email=None, webhook_url=None)

    assert both == [("email", "s@example.cn"), ("webhook", "https://im.example/s")]
    assert phone_only == [("sms", "139")]
    assert staff_channels(phone=None, email=None, webhook_url=None) == []


def test_each_level_has_a_superior_and_the_top_stays_the_top() -> None:
    assert [superior_of(x) for x in ("handler", "dept_head", "vp", "gm")] == [
        "dept_head",
        "vp",
        "gm",
        "gm",
    ]
