"""Tokens and a small HTTP client the way an HR portal would call Tandem."""

from __future__ import annotations

import requests

from shared.auth import issue_token
from tests.support.infra import TEST_SECRET


def token(*roles: str, sub: str = "tester", employee_id: str | None = None) -> str:
    return issue_token(TEST_SECRET, sub=sub, roles=roles, employee_id=employee_id)


def bearer(*roles: str, employee_id: str | None = None) -> dict[str, str]:
    return {"Authorization": "Bearer " + token(*roles, sub=employee_id or "tester", employee_id=employee_id)}


class Client:
    """requests with a base URL and default headers."""

    def __init__(self, base_url: str, headers: dict[str, str] | None = None):
        self.base_url, self.headers = base_url, headers or {}

    def as_(self, headers: dict[str, str]) -> Client:
        return Client(self.base_url, headers)

    def request(self, method: str, path: str, **kw) -> requests.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        return requests.request(method, self.base_url + path, headers=headers, timeout=30, **kw)

    def get(self, path: str, **kw): return self.request("GET", path, **kw)  # noqa: E704
    def post(self, path: str, **kw): return self.request("POST", path, **kw)  # noqa: E704
    def put(self, path: str, **kw): return self.request("PUT", path, **kw)  # noqa: E704
    def patch(self, path: str, **kw): return self.request("PATCH", path, **kw)  # noqa: E704
    def delete(self, path: str, **kw): return self.request("DELETE", path, **kw)  # noqa: E704
