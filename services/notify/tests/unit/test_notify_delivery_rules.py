"""Back-off and giving up, and where webhooks may go in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from notify.channels import targets
from notify.channels.base import permanent_http_status
from notify.deliveries.rules import backoff, gives_up, next_attempt


def test_back_off_doubles_from_the_base_up_to_the_cap() -> None:
    waits = [backoff(n, base=30, cap=600).total_seconds() for n in range(1, 8)]

    assert waits == [30, 60, 120, 240, 480, 600, 600]


def test_back_off_survives_absurd_attempt_counts() -> None:
    assert backoff(10_000, base=1, cap=3600) == timedelta(hours=1)


def test_the_next_attempt_is_the_back_off_after_now() -> None:
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    assert next_attempt(now, 2, base=10, cap=100) == now + timedelta(seconds=20)


@pytest.mark.parametrize(
    ("attempts", "permanent", "expected"),
    [(1, False, False), (5, False, False), (6, False, True), (1, True, True)],
)
def test_a_delivery_is_given_up_after_the_last_attempt_or_a_permanent_failure(
    attempts: int, permanent: bool, expected: bool
) -> None:
    assert gives_up(attempts, max_attempts=6, permanent=permanent) is expected


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (400, True),
        (401, True),
        (404, True),
        (410, True),
        (408, False),
        (429, False),
        (500, False),
        (503, False),
    ],
)
def test_only_lasting_refusals_are_permanent(status: int, permanent: bool) -> None:
    assert permanent_http_status(status) is permanent


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fc00::1",
        "0.0.0.0",
        "::ffff:10.0.0.1",
        "224.0.0.1",
    ],
)
def test_private_loopback_and_link_local_addresses_are_not_public(address: str) -> None:
    assert not targets.is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_routable_addresses_are_public(address: str) -> None:
    assert targets.is_public(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hook",  # not https
        "https://127.0.0.1/hook",
        "https://10.0.0.8:8443/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "ftp://93.184.216.34/",
    ],
)
async def test_production_refuses_unsafe_targets(url: str) -> None:
    with pytest.raises(targets.UnsafeTargetError) as refused:
        await targets.check(url, production=True)
    assert "接口推送地址" in refused.value.zh


async def test_production_accepts_https_to_a_public_address() -> None:
    await targets.check("https://93.184.216.34/hook", production=True)


async def test_development_calls_anything() -> None:
    await targets.check("http://127.0.0.1:9000/hook", production=False)
