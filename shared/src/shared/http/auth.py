"""Bearer-token authentication and site scoping, in one place for every route.

Tokens are JWTs with audience `careloop`: HS256 signed with `CARELOOP_JWT_SECRET`, or RS256
verified against `CARELOOP_JWT_PUBLIC_KEYS` (PEM keys, several during rotation). Claims:
`sub`, `name`, `roles`, `sites` (site ids, or `["*"]` for the whole group), `exp`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from sqlalchemy import ColumnElement, SQLColumnExpression, true

from shared.http.errors import NotFoundError, ProblemError
from shared.settings import ServiceSettings

ALL_SITES = "*"
VERIFIED_CACHE_SIZE = 10_000


class Role(StrEnum):
    HANDLER = "handler"
    DEPT_HEAD = "dept_head"
    VP = "vp"
    GM = "gm"
    SURVEYOR = "surveyor"
    CALLCENTER = "callcenter"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.HANDLER, Role.DEPT_HEAD, Role.VP, Role.GM, Role.SURVEYOR, Role.ADMIN})


@dataclass(frozen=True)
class Principal:
    """Who is calling, with which roles, on which sites."""

    sub: str
    name: str
    roles: frozenset[Role]
    sites: frozenset[str]

    @property
    def all_sites(self) -> bool:
        return ALL_SITES in self.sites

    def has_any(self, *roles: Role) -> bool:
        """True when the principal holds at least one of `roles`."""
        return bool(self.roles.intersection(roles))

    def sees(self, site_id: str | None) -> bool:
        """True when the principal may read or change things of `site_id`."""
        return self.all_sites or (site_id is not None and site_id in self.sites)

    def visible(self, what: str, ident: str, site_id: str | None) -> None:
        """404 unless the object's site is the principal's: another site's object does not exist."""
        if not self.sees(site_id):
            raise NotFoundError(what, ident)

    def may_act_on(self, site_id: str) -> None:
        """403 unless the principal may act on `site_id` (for writes that name a site)."""
        if not self.sees(site_id):
            raise ProblemError(
                403,
                f"You are not allowed to act on site {site_id}",
                zh=f"您无权操作管理处 {site_id}",
            )

    def site_filter(self, column: SQLColumnExpression[Any]) -> ColumnElement[bool]:
        """A WHERE clause limiting a query to the principal's sites."""
        if self.all_sites:
            return true()
        return column.in_(sorted(self.sites))


class TokenVerifier:
    """Verifies bearer tokens against the configured secret or public keys."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.audience = settings.jwt_audience
        if settings.jwt_public_keys:
            self.algorithms = ["RS256"]
            self.keys: list[Any] = _pem_keys(settings.jwt_public_keys)
        else:
            self.algorithms = ["HS256"]
            self.keys = [settings.jwt_secret]
        self._verified: dict[str, tuple[Principal, float]] = {}

    def verify(self, token: str) -> Principal:
        """The principal the token names, or a 401 problem saying what is wrong.

        A token verified before is answered from memory until it expires: integrations
        send the same token with every request, and checking its signature each time costs
        more than the rest of a small request's authentication.
        """
        cached = self._verified.get(token)
        if cached is not None and cached[1] > time.time():
            return cached[0]
        principal, expires = self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = (principal, expires)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        last: Exception | None = None
        for key in self.keys:
            try:
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=self.algorithms,
                    audience=self.audience,
                    options={"require": ["exp", "sub", "aud"]},
                )
            except jwt.ExpiredSignatureError as exc:
                raise _unauthorized(
                    "The token has expired; get a new one", "令牌已过期，请重新获取"
                ) from exc
            except jwt.InvalidAudienceError as exc:
                raise _unauthorized(
                    f"The token is not meant for {self.audience}",
                    f"该令牌不是签发给 {self.audience} 的",
                ) from exc
            except jwt.InvalidSignatureError as exc:
                last = exc
                continue
            except jwt.PyJWTError as exc:
                raise _unauthorized(f"The token is not valid: {exc}", f"令牌无效：{exc}") from exc
            return _principal(claims), float(claims["exp"])
        raise _unauthorized("The token's signature does not verify", "令牌签名校验失败") from last


def _principal(claims: dict[str, Any]) -> Principal:
    roles_claim = claims.get("roles") or []
    sites_claim = claims.get("sites") or []
    if not isinstance(roles_claim, list) or not isinstance(sites_claim, list):
        raise _unauthorized(
            "The token's roles and sites must be lists", "令牌的角色和管理处必须是列表"
        )
    try:
        roles = frozenset(Role(r) for r in roles_claim)
    except ValueError as exc:
        raise _unauthorized(
            f"The token names an unknown role: {exc}", f"令牌中有未知角色：{exc}"
        ) from exc
    return Principal(
        sub=str(claims["sub"]),
        name=str(claims.get("name") or claims["sub"]),
        roles=roles,
        sites=frozenset(str(s) for s in sites_claim),
    )


def _unauthorized(detail: str, zh: str) -> ProblemError:
    return ProblemError(401, detail, zh=zh, headers={"WWW-Authenticate": 'Bearer realm="careloop"'})


def _pem_keys(value: str) -> list[Any]:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    marker = "-----END PUBLIC KEY-----"
    pems = [p.strip() + "\n" + marker for p in value.split(marker) if p.strip()]
    return [load_pem_public_key(p.encode()) for p in pems]


def issue_token(
    settings: ServiceSettings,
    *,
    sub: str,
    roles: Iterable[str],
    sites: Iterable[str],
    name: str | None = None,
    ttl_seconds: int = 8 * 3600,
) -> str:
    """An HS256 token signed with the configured secret (development and tests)."""
    now = int(time.time())
    claims = {
        "sub": sub,
        "name": name or sub,
        "roles": [Role(r).value for r in roles],
        "sites": list(sites),
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


async def authenticate(request: Request) -> Principal:
    """FastAPI dependency: the caller's principal, or 401."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized(
            "Send a bearer token: 'Authorization: Bearer <token>'",
            "请发送 Bearer 令牌：'Authorization: Bearer <令牌>'",
        )
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = verifier.verify(token.strip())
    if not principal.sites:
        # Well signed but useless: refused the same way on every route of every service,
        # rather than answered with empty lists here and 404s there.
        raise ProblemError(
            403,
            "The token grants no site: ask for one naming your sites",
            zh="该令牌未授权任何管理处：请申请写明您所负责管理处的令牌",
        )
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


class RoleCheck:
    """Lets through only principals holding one of `roles` (admin always); the roles stay
    readable, so that the API documentation names them for each operation."""

    def __init__(self, roles: tuple[Role, ...]) -> None:
        self.roles = roles

    async def __call__(self, principal: CurrentPrincipal) -> Principal:
        if not principal.has_any(*self.roles, Role.ADMIN):
            names = ", ".join(r.value for r in self.roles)
            raise ProblemError(
                403, f"This needs one of the roles: {names}", zh=f"需要以下角色之一：{names}"
            )
        return principal


def require_roles(*roles: Role) -> Any:
    """A dependency that lets through only principals holding one of `roles` (admin always)."""
    return Depends(RoleCheck(roles))
