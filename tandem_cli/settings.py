"""Where the services are and which token to use: flags first, then environment variables, then defaults."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tandem_cli.errors import AuthFailed, CliError

CLI_SUBJECT = "tandem-cli"


@dataclass(frozen=True)
class Service:
    name: str
    env: str
    default_url: str


SERVICES = {
    "profiles": Service("profiles", "TANDEM_PROFILES_URL", "http://127.0.0.1:8001"),
    "matching": Service("matching", "TANDEM_MATCHING_URL", "http://127.0.0.1:8002"),
    "analytics": Service("analytics", "TANDEM_ANALYTICS_URL", "http://127.0.0.1:8004"),
}


def service_url(name: str, flag: str | None, env: Mapping[str, str]) -> str:
    """--<name>-url, else TANDEM_<NAME>_URL, else the local default port."""
    service = SERVICES[name]
    return flag or env.get(service.env) or service.default_url


def resolve_token(flag: str | None, env: Mapping[str, str], roles: Iterable[str]) -> str:
    """--token, else TANDEM_TOKEN, else a short-lived token minted with AUTH_JWT_SECRET for `roles`."""
    token = flag or env.get("TANDEM_TOKEN")
    if token:
        return token.strip()
    secret = env.get("AUTH_JWT_SECRET")
    if secret:
        return mint(secret, roles=roles, hours=1, audience=env.get("AUTH_AUDIENCE", ""),
                    issuer=env.get("AUTH_ISSUER", ""))
    raise AuthFailed("no credentials: pass --token, or set TANDEM_TOKEN or AUTH_JWT_SECRET")


def mint(secret: str, *, roles: Iterable[str], hours: float, employee_id: str | None = None,
         sub: str | None = None, audience: str = "", issuer: str = "") -> str:
    """An HS256 token signed the way the services verify it (shared.auth)."""
    if hours <= 0:
        raise CliError("--hours must be positive")
    from shared.auth import issue_token  # imported here: only token minting needs the JWT library

    return issue_token(secret, sub=sub or employee_id or CLI_SUBJECT, roles=list(roles), employee_id=employee_id,
                       ttl_seconds=int(hours * 3600), audience=audience, issuer=issuer)
