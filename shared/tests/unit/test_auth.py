"""Bearer tokens and site scoping: who may call, with which roles, on which sites."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import column, true

from shared.http.auth import (
    CurrentPrincipal,
    Principal,
    Role,
    TokenVerifier,
    issue_token,
    require_roles,
)
from shared.http.errors import PROBLEM_JSON, ProblemError, install_error_handlers
from shared.settings import ServiceSettings

SECRET = "unit-test-secret-0123456789abcdef-0123456789"


def _settings(**changes: Any) -> ServiceSettings:
    values: dict[str, Any] = {
        "env": "development",
        "jwt_secret": SECRET,
        "jwt_public_keys": "",
        "jwt_audience": "careloop",
    }
    return ServiceSettings(**{**values, **changes})


def _app(settings: ServiceSettings) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.state.token_verifier = TokenVerifier(settings)

    @app.get("/me")
    async def me(principal: CurrentPrincipal) -> dict[str, Any]:
        return {
            "sub": principal.sub,
            "name": principal.name,
            "roles": sorted(principal.roles),
            "sites": sorted(principal.sites),
        }

    @app.get("/handled", dependencies=[require_roles(Role.HANDLER)])
    async def handled() -> dict[str, bool]:
        return {"ok": True}

    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(_app(_settings()))


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": "u-1",
        "name": "Handler One",
        "roles": ["handler"],
        "sites": ["site-a"],
        "aud": "careloop",
        "iat": now,
        "exp": now + 600,
    }
    return {**claims, **changes}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


def _assert_unauthorized(response: Any, detail: str) -> None:
    body = _assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert detail in body["detail"]


# --- what is refused --------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic dTpw"},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer    "},
        {"Authorization": "Token abc.def.ghi"},
    ],
    ids=["no-header", "basic", "no-token", "blank-token", "other-scheme"],
)
def test_requests_without_a_bearer_token_are_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    _assert_unauthorized(client.get("/me", headers=headers), "Send a bearer token")


def test_a_garbage_token_is_refused(client: TestClient) -> None:
    _assert_unauthorized(client.get("/me", headers=_bearer("garbage")), "not valid")


def test_an_expired_token_is_refused(client: TestClient) -> None:
    token = issue_token(_settings(), sub="u-1", roles=["handler"], sites=["*"], ttl_seconds=-60)
    _assert_unauthorized(client.get("/me", headers=_bearer(token)), "expired")


def test_a_token_for_another_audience_is_refused(client: TestClient) -> None:
    token = jwt.encode(_claims(aud="billing"), SECRET, algorithm="HS256")
    _assert_unauthorized(client.get("/me", headers=_bearer(token)), "not meant for careloop")


def test_an_unsigned_alg_none_token_is_refused(client: TestClient) -> None:
    token = _unsigned({"alg": "none", "typ": "JWT"}, _claims(roles=["admin"], sites=["*"])) + "."
    _assert_unauthorized(client.get("/me", headers=_bearer(token)), "not valid")


def test_a_token_signed_with_another_secret_is_refused(client: TestClient) -> None:
    token = jwt.encode(_claims(), "another-secret-0123456789abcdef-0123", algorithm="HS256")
    _assert_unauthorized(client.get("/me", headers=_bearer(token)), "signature does not verify")


def test_a_token_with_an_unknown_role_is_refused(client: TestClient) -> None:
    token = jwt.encode(_claims(roles=["handler", "janitor"]), SECRET, algorithm="HS256")
    _assert_unauthorized(client.get("/me", headers=_bearer(token)), "unknown role")


def test_a_token_whose_roles_are_not_a_list_is_refused(client: TestClient) -> None:
    token = jwt.encode(_claims(roles="admin"), SECRET, algorithm="HS256")
    _assert_unauthorized(client.get("/me", headers=_bearer(token)), "must be lists")


@pytest.mark.parametrize("claim", ["exp", "sub", "aud"])
def test_a_token_without_a_required_claim_is_refused(client: TestClient, claim: str) -> None:
    claims = {k: v for k, v in _claims().items() if k != claim}
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    response = client.get("/me", headers=_bearer(token))
    assert response.status_code == 401
    assert claim in response.json()["detail"]


# --- what is accepted -------------------------------------------------------------------


def test_a_good_token_names_the_principal(client: TestClient) -> None:
    token = issue_token(
        _settings(), sub="u-7", name="王小明", roles=["handler", "dept_head"], sites=["b", "a"]
    )
    response = client.get("/me", headers=_bearer(token))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "sub": "u-7",
        "name": "王小明",
        "roles": ["dept_head", "handler"],
        "sites": ["a", "b"],
    }


def test_the_scheme_is_case_insensitive(client: TestClient) -> None:
    token = issue_token(_settings(), sub="u-1", roles=["handler"], sites=["a"])
    assert client.get("/me", headers={"Authorization": f"bearer {token}"}).status_code == 200


# --- RS256 against the identity provider's public keys ----------------------------------


def _rsa_key() -> RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _public_pem(key: RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture(scope="module")
def rsa_keys() -> tuple[RSAPrivateKey, RSAPrivateKey, RSAPrivateKey]:
    """The identity provider's old and new keys, and a key nobody configured."""
    return _rsa_key(), _rsa_key(), _rsa_key()


def test_rs256_tokens_verify_against_the_public_key(rsa_keys: Any) -> None:
    key = rsa_keys[0]
    client = TestClient(_app(_settings(jwt_public_keys=_public_pem(key))))
    token = jwt.encode(_claims(sub="idp-user"), key, algorithm="RS256")
    response = client.get("/me", headers=_bearer(token))
    assert response.status_code == 200, response.text
    assert response.json()["sub"] == "idp-user"


def test_during_rotation_either_key_verifies(rsa_keys: Any) -> None:
    old, new, stranger = rsa_keys
    both = _public_pem(old) + _public_pem(new)
    client = TestClient(_app(_settings(jwt_public_keys=both)))
    for key in (old, new):
        token = jwt.encode(_claims(), key, algorithm="RS256")
        assert client.get("/me", headers=_bearer(token)).status_code == 200
    token = jwt.encode(_claims(), stranger, algorithm="RS256")
    _assert_unauthorized(client.get("/me", headers=_bearer(token)), "signature does not verify")


def test_an_expired_rs256_token_signed_by_the_second_key_says_expired(rsa_keys: Any) -> None:
    old, new, _ = rsa_keys
    client = TestClient(_app(_settings(jwt_public_keys=_public_pem(old) + _public_pem(new))))
    token = jwt.encode(_claims(exp=int(time.time()) - 60), new, algorithm="RS256")
    _assert_unauthorized(client.get("/me", headers=_bearer(token)), "expired")


def test_with_public_keys_an_hs256_token_is_refused(rsa_keys: Any) -> None:
    pem = _public_pem(rsa_keys[0])
    client = TestClient(_app(_settings(jwt_public_keys=pem)))
    hs256 = jwt.encode(_claims(), SECRET, algorithm="HS256")
    _assert_unauthorized(client.get("/me", headers=_bearer(hs256)), "not valid")
    # The classic confusion attack: HMAC-signed with the public key as the secret.
    signing_input = _unsigned({"alg": "HS256", "typ": "JWT"}, _claims(roles=["admin"]))
    signature = hmac.new(pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{_b64(signature)}"
    _assert_unauthorized(client.get("/me", headers=_bearer(forged)), "not valid")


# --- roles ------------------------------------------------------------------------------


@pytest.mark.parametrize("roles", [["handler"], ["admin"], ["surveyor", "handler"]])
def test_the_role_check_lets_holders_and_admins_through(
    client: TestClient, roles: list[str]
) -> None:
    token = issue_token(_settings(), sub="u-1", roles=roles, sites=["a"])
    response = client.get("/handled", headers=_bearer(token))
    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True}


@pytest.mark.parametrize("roles", [["surveyor"], ["gm", "vp"], []])
def test_the_role_check_refuses_others_with_403(client: TestClient, roles: list[str]) -> None:
    token = issue_token(_settings(), sub="u-1", roles=roles, sites=["*"])
    body = _assert_problem(client.get("/handled", headers=_bearer(token)), 403)
    assert "handler" in body["detail"]
    assert body["instance"] == "/handled"


def test_the_role_check_needs_a_token_first(client: TestClient) -> None:
    _assert_unauthorized(client.get("/handled"), "Send a bearer token")


# --- site scoping -----------------------------------------------------------------------


def _principal(*sites: str) -> Principal:
    return Principal(sub="u-1", name="u", roles=frozenset({Role.HANDLER}), sites=frozenset(sites))


def test_another_sites_object_does_not_exist() -> None:
    with pytest.raises(ProblemError) as caught:
        _principal("site-a").visible("Complaint", "c-1", "site-b")
    assert caught.value.status == 404
    assert "Complaint c-1" in caught.value.detail


def test_an_object_without_a_site_is_visible_only_to_group_principals() -> None:
    with pytest.raises(ProblemError) as caught:
        _principal("site-a").visible("Complaint", "c-1", None)
    assert caught.value.status == 404
    _principal("*").visible("Complaint", "c-1", None)


def test_own_sites_objects_are_visible() -> None:
    _principal("site-a", "site-b").visible("Complaint", "c-1", "site-b")
    _principal("*").visible("Complaint", "c-1", "site-z")


def test_acting_on_another_site_is_forbidden() -> None:
    with pytest.raises(ProblemError) as caught:
        _principal("site-a").may_act_on("site-b")
    assert caught.value.status == 403
    assert "site-b" in caught.value.detail
    _principal("site-a").may_act_on("site-a")
    _principal("*").may_act_on("site-b")


def test_site_filter_limits_scoped_principals_to_their_sites() -> None:
    clause = _principal("site-b", "site-a").site_filter(column("site_id"))
    sql = str(clause.compile(compile_kwargs={"literal_binds": True}))
    assert sql == "site_id IN ('site-a', 'site-b')"


def test_site_filter_is_true_for_group_principals() -> None:
    clause = _principal("*").site_filter(column("site_id"))
    assert clause.compare(true())


def test_a_verified_token_is_remembered_until_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings()
    verifier = TokenVerifier(settings)
    token = issue_token(settings, sub="cc-1", roles=["callcenter"], sites=["s1"], ttl_seconds=60)
    first = verifier.verify(token)
    checks: list[str] = []
    real_decode = jwt.decode

    def counting_decode(*args: Any, **kwargs: Any) -> Any:
        checks.append("decode")
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting_decode)
    assert verifier.verify(token) is first
    assert checks == []

    later = time.time() + 120  # past the token's exp: the remembered answer is stale
    monkeypatch.setattr(time, "time", lambda: later)
    verifier.verify(token)  # PyJWT's own clock still says valid; what matters is it asked
    assert checks == ["decode"]
