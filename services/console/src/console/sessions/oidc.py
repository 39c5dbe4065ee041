"""Signing in through the group's identity provider: OpenID Connect, authorization code
flow with PKCE (RFC 7636), the ID token checked against the provider's published keys.

authlib builds the authorization request and the S256 challenge; PyJWT (the library the
services verify tokens with) checks the ID token's signature, issuer, audience and expiry;
the nonce is compared here. The provider's tokens stay on the server.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from console.sessions.store import Identity
from console.settings import ConsoleSettings

CALLBACK_PATH = "/auth/callback"
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]


class SignInFailed(Exception):
    """The provider's answer cannot sign anyone in; `reason` names why, for the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Request:
    """Where to send the browser, and what to keep until it comes back."""

    url: str
    state: str
    verifier: str
    nonce: str


class Provider:
    """The identity provider as its discovery document describes it."""

    def __init__(self, settings: ConsoleSettings, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.http = http
        self._discovery: dict[str, Any] | None = None
        self._keys: jwt.PyJWKSet | None = None

    @property
    def redirect_uri(self) -> str:
        return f"{self.settings.base_url()}{CALLBACK_PATH}"

    async def discovery(self) -> dict[str, Any]:
        """The provider's OpenID configuration (fetched once)."""
        if self._discovery is None:
            url = f"{self.settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration"
            self._discovery = await self._json("GET", url)
        return self._discovery

    async def start(self) -> Request:
        """A fresh authorization request with its state, PKCE verifier and nonce."""
        endpoint = (await self.discovery())["authorization_endpoint"]
        state, verifier, nonce = (secrets.token_urlsafe(32) for _ in range(3))
        url = prepare_grant_uri(
            endpoint,
            client_id=self.settings.oidc_client_id,
            response_type="code",
            redirect_uri=self.redirect_uri,
            scope=self.settings.oidc_scopes,
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
        )
        return Request(url=url, state=state, verifier=verifier, nonce=nonce)

    async def finish(self, *, code: str, verifier: str, nonce: str) -> Identity:
        """Exchange the code for tokens and say who signed in."""
        tokens = await self._tokens(code, verifier)
        claims = await self._id_claims(str(tokens.get("id_token") or ""), nonce)
        return identity_of(claims, tokens, service_token=self.settings.oidc_service_token)

    async def end_session_url(self, id_token: str | None, after: str) -> str | None:
        """Where to sign out at the provider too, when it offers that."""
        endpoint = (await self.discovery()).get("end_session_endpoint")
        if not endpoint:
            return None
        params = {"post_logout_redirect_uri": after, "client_id": self.settings.oidc_client_id}
        if id_token:
            params["id_token_hint"] = id_token
        return str(httpx.URL(endpoint, params=params))

    async def _tokens(self, code: str, verifier: str) -> dict[str, Any]:
        endpoint = (await self.discovery())["token_endpoint"]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": verifier,
        }
        auth = (self.settings.oidc_client_id, self.settings.oidc_client_secret)
        return await self._json("POST", endpoint, data=form, auth=auth)

    async def _id_claims(self, id_token: str, nonce: str) -> dict[str, Any]:
        if not id_token:
            raise SignInFailed("no_id_token")
        issuer = (await self.discovery())["issuer"]
        for key in await self._candidates(id_token):
            try:
                claims: dict[str, Any] = jwt.decode(
                    id_token,
                    key.key,
                    algorithms=SIGNING_ALGORITHMS,
                    audience=self.settings.oidc_client_id,
                    issuer=issuer,
                    options={"require": ["exp", "iat", "sub", "aud", "iss"]},
                )
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError as exc:
                raise SignInFailed("bad_id_token") from exc
            if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
                raise SignInFailed("bad_nonce")
            return claims
        raise SignInFailed("bad_id_token")

    async def _candidates(self, id_token: str) -> list[jwt.PyJWK]:
        """The provider's keys that may have signed the token: the one its `kid` names, or
        every key when the token names none (providers with one key often omit it)."""
        try:
            kid = jwt.get_unverified_header(id_token).get("kid")
        except jwt.PyJWTError as exc:
            raise SignInFailed("bad_id_token") from exc
        keys = (await self._key_set()).keys
        return [k for k in keys if kid is None or k.key_id == kid]

    async def _key_set(self) -> jwt.PyJWKSet:
        if self._keys is None:
            jwks = await self._json("GET", (await self.discovery())["jwks_uri"])
            self._keys = jwt.PyJWKSet.from_dict(jwks)
        return self._keys

    async def _json(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self.http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise SignInFailed("provider_unreachable") from exc
        if response.status_code >= 400:
            raise SignInFailed("provider_refused")
        found: dict[str, Any] = response.json()
        return found


def identity_of(claims: dict[str, Any], tokens: dict[str, Any], *, service_token: str) -> Identity:
    """The person the ID token names, with the token the services will be sent."""
    roles, sites = claims.get("roles"), claims.get("sites")
    if not isinstance(roles, list) or not roles or not isinstance(sites, list) or not sites:
        raise SignInFailed("no_roles")
    token = str(tokens.get(service_token) or "")
    if not token:
        raise SignInFailed("no_token")
    return Identity(
        sub=str(claims["sub"]),
        name=str(claims.get("name") or claims.get("preferred_username") or claims["sub"]),
        roles=[str(r) for r in roles],
        sites=[str(s) for s in sites],
        token=token,
        expires_at=_expiry(claims, tokens),
        via="oidc",
        id_token=str(tokens.get("id_token") or "") or None,
    )


def _expiry(claims: dict[str, Any], tokens: dict[str, Any]) -> datetime:
    now = datetime.now(UTC)
    by_token = now + timedelta(seconds=int(tokens.get("expires_in") or 3600))
    by_id = datetime.fromtimestamp(int(claims["exp"]), UTC)
    return min(by_token, by_id)
