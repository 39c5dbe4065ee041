"""Who a sign-in proves someone to be, and where it may send them next."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.sessions.oidc import SignInFailed, identity_of
from console.sessions.store import Sealer, digest
from console.web.auth import safe_next

CLAIMS = {
    "sub": "h-zhang",
    "name": "张三",
    "roles": ["handler"],
    "sites": ["demo"],
    "exp": 4_000_000_000,
}


def test_the_id_token_names_the_person_their_roles_and_sites() -> None:
    tokens = {"access_token": "opaque", "id_token": "jwt", "expires_in": 600}
    found = identity_of(CLAIMS, tokens, service_token="id_token")
    assert (found.sub, found.name, found.roles, found.sites) == (
        "h-zhang",
        "张三",
        ["handler"],
        ["demo"],
    )
    assert found.token == "jwt"
    assert found.id_token == "jwt"
    assert found.via == "oidc"
    assert (found.expires_at - datetime.now(UTC)).total_seconds() <= 600


def test_the_access_token_is_sent_when_the_provider_issues_careloops_tokens() -> None:
    found = identity_of(
        CLAIMS, {"access_token": "at", "id_token": "it"}, service_token="access_token"
    )
    assert found.token == "at"


def test_the_session_ends_when_the_id_token_does_even_if_the_access_token_lasts() -> None:
    soon = {**CLAIMS, "exp": int(datetime.now(UTC).timestamp()) + 60}
    found = identity_of(
        soon, {"access_token": "at", "expires_in": 86400}, service_token="access_token"
    )
    assert (found.expires_at - datetime.now(UTC)).total_seconds() <= 61


@pytest.mark.parametrize(
    "claims", [{"roles": []}, {"sites": []}, {"roles": "handler"}, {"sites": None}]
)
def test_a_person_without_roles_or_sites_is_not_signed_in(claims: dict[str, object]) -> None:
    with pytest.raises(SignInFailed) as refused:
        identity_of({**CLAIMS, **claims}, {"access_token": "at"}, service_token="access_token")
    assert refused.value.reason == "no_roles"


def test_no_token_for_the_services_is_no_sign_in() -> None:
    with pytest.raises(SignInFailed):
        identity_of(CLAIMS, {"id_token": "it"}, service_token="access_token")


@pytest.mark.parametrize(
    ("asked", "sent"),
    [
        ("/cases/c1?queue=mine", "/cases/c1?queue=mine"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_after_signing_in_only_the_consoles_own_pages_are_next(
    asked: str | None, sent: str
) -> None:
    assert safe_next(asked) == sent


def test_tokens_are_kept_sealed_and_open_only_with_the_same_secret() -> None:
    sealed = Sealer("one secret").seal("token-value")
    assert "token-value" not in sealed
    assert Sealer("one secret").open(sealed) == "token-value"
    assert Sealer("another secret").open(sealed) is None


def test_a_cookie_is_kept_only_as_its_digest() -> None:
    assert digest("cookie") != "cookie"
    assert len(digest("cookie")) == 64
