"""Bearer-token authentication (HS256 secret or RS256 JWKS) and role checks."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import jwt
from flask import current_app, g, request

from shared.errors import Forbidden, Unauthorized

ROLES = ("hr_admin", "program_admin", "manager", "employee", "scim")  # scim: identity providers, /scim/v2 only


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's subject, roles and (for people) employee id."""

    sub: str
    roles: frozenset[str]
    employee_id: str | None = None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def is_self(self, employee_id: str) -> bool:
        return self.employee_id is not None and self.employee_id == employee_id

    @property
    def actor_id(self) -> str:
        return self.employee_id or self.sub


class TokenVerifier:
    """Verifies JWTs with an HS256 secret or an RS256 key set; one per app."""

    def __init__(self, secret: str = "", jwks_url: str = "", audience: str = "", issuer: str = ""):
        if not secret and not jwks_url:
            raise ValueError("set AUTH_JWT_SECRET or AUTH_JWKS_URL")
        self._secret = secret
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None
        self._audience, self._issuer = audience or None, issuer or None

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(token, **self._key_for(token), audience=self._audience, issuer=self._issuer,
                                options={"require": ["sub", "exp", *(["iss"] if self._issuer else [])],
                                         "verify_aud": bool(self._audience)})
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise Unauthorized(f"invalid token: {exc}") from exc
        return principal_of(claims)

    def _key_for(self, token: str) -> dict:
        if self._jwks is not None and jwt.get_unverified_header(token).get("alg") == "RS256":
            return {"key": self._jwks.get_signing_key_from_jwt(token).key, "algorithms": ["RS256"]}
        if not self._secret:
            raise Unauthorized("invalid token: only RS256 tokens are accepted")
        return {"key": self._secret, "algorithms": ["HS256"]}


def principal_of(claims: dict) -> Principal:
    """The caller a verified token describes; claims of the wrong type make the token invalid (401).

    No `roles` claim means no permissions at all: the token is valid but acts as nobody, not as its
    `employee_id`.
    """
    sub, employee_id, roles = claims.get("sub"), claims.get("employee_id"), claims.get("roles", [])
    if not isinstance(sub, str) or not sub:
        raise Unauthorized("invalid token: sub must be a non-empty string")
    if employee_id is not None and not (isinstance(employee_id, str) and valid_employee_id_text(employee_id)):
        raise Unauthorized("invalid token: employee_id must be an employee id string")
    if not isinstance(roles, list) or not all(isinstance(r, str) and r in ROLES for r in roles):
        raise Unauthorized(f"invalid token: roles must be a list of {', '.join(ROLES)}")
    return Principal(sub=sub, roles=frozenset(roles), employee_id=employee_id if roles else None)


def valid_employee_id_text(value: str) -> bool:
    from shared.schemas import EMPLOYEE_ID_PATTERN

    return EMPLOYEE_ID_PATTERN.fullmatch(value) is not None


def issue_token(secret: str, *, sub: str, roles: Iterable[str], employee_id: str | None = None,
                ttl_seconds: int = 8 * 3600, audience: str = "", issuer: str = "") -> str:
    """Sign an HS256 token (dev tooling and tests)."""
    claims = {"sub": sub, "roles": list(roles), "exp": int(time.time()) + ttl_seconds}
    if employee_id:
        claims["employee_id"] = employee_id
    if audience:
        claims["aud"] = audience
    if issuer:
        claims["iss"] = issuer
    return jwt.encode(claims, secret, algorithm="HS256")


def authenticate() -> Principal:
    """The caller of the current request; raises Unauthorized without a valid bearer token."""
    if "principal" in g:
        return g.principal
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing bearer token")
    g.principal = current_app.extensions["tandem.auth"].verify(token.strip())
    return g.principal


def require(*roles: str) -> Callable:
    """View decorator: the caller must hold one of `roles` (any valid token when none are named)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            principal = authenticate()
            if roles and not principal.has(*roles):
                raise Forbidden(f"requires one of the roles: {', '.join(roles)}")
            return view(*args, **kwargs)

        return wrapper

    return decorate


def current_principal() -> Principal:
    return authenticate()
