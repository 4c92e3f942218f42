"""HTTP to one Tandem service, with every failure mapped to a one-line error and an exit code."""

from __future__ import annotations

import re
from typing import Any

import requests

from tandem_cli.errors import AuthFailed, CliError, Refused, ServerError, Unreachable, exit_code_for_status

USER_AGENT = "tandem-cli/0.1"
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")


class ServiceClient:
    """Calls one service (`name` is for messages) with a bearer token."""

    def __init__(self, name: str, base_url: str, token: str | None, timeout: float = 60.0,
                 session: requests.Session | None = None):
        self.name, self.base_url, self.timeout = name, base_url.rstrip("/"), timeout
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, **kw: Any) -> requests.Response:
        """Send a request; raise a CliError for transport failures and non-2xx answers."""
        try:
            response = self.session.request(method, self.base_url + path, timeout=self.timeout, **kw)
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema) as exc:
            raise CliError(f"{self.name} service URL is not valid: {self.base_url} ({exc})") from None
        except requests.Timeout:
            raise Unreachable(f"{self.name} service at {self.base_url} did not answer "
                              f"within {self.timeout:g}s") from None
        except requests.RequestException as exc:
            raise Unreachable(f"{self.name} service unreachable at {self.base_url}: {transport_reason(exc)}") from None
        if response.status_code >= 400:
            raise self.error_for(response)
        return response

    def json(self, method: str, path: str, **kw: Any) -> Any:
        """Send a request and decode its JSON answer."""
        response = self.request(method, path, **kw)
        try:
            return response.json()
        except ValueError:
            raise ServerError(f"{self.name} service at {self.base_url} answered {response.status_code} "
                              f"with something that is not JSON (is the URL right?)") from None

    def error_for(self, response: requests.Response) -> CliError:
        """The CliError for an error answer, carrying the problem document when there is one."""
        status, problem = response.status_code, problem_of(response)
        text = f"{self.name} service: {status} {problem.get('title') or response.reason or ''}".rstrip()
        detail = describe_problem(problem)
        message = f"{text}: {detail}" if detail else text
        code = exit_code_for_status(status)
        cls = AuthFailed if status in (401, 403) else ServerError if status >= 500 else Refused
        error = cls(message, code)
        error.problem = problem  # type: ignore[attr-defined]  # callers read e.g. a conflicting run id
        error.status = status  # type: ignore[attr-defined]
        return error


def problem_of(response: requests.Response) -> dict[str, Any]:
    """The RFC 9457 body of an error answer, or {} when it has none."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def describe_problem(problem: dict[str, Any], max_fields: int = 3) -> str:
    """`detail` plus the first few field errors, on one line."""
    detail = str(problem.get("detail") or "").strip()
    errors = problem.get("errors")
    if isinstance(errors, dict) and errors:
        fields = [f"{name}: {flatten(msgs)}" for name, msgs in list(errors.items())[:max_fields]]
        more = f" (+{len(errors) - max_fields} more)" if len(errors) > max_fields else ""
        detail = f"{detail} — {'; '.join(fields)}{more}" if detail else "; ".join(fields) + more
    return detail


def flatten(messages: Any) -> str:
    """Marshmallow-style nested messages as one readable string."""
    if isinstance(messages, dict):
        return ", ".join(f"{k}: {flatten(v)}" for k, v in messages.items())
    if isinstance(messages, list | tuple):
        return ", ".join(flatten(m) for m in messages)
    return str(messages)


def transport_reason(exc: requests.RequestException) -> str:
    """'Connection refused' rather than requests' nested exception text."""
    match = _ERRNO.search(str(exc))
    if match:
        return match.group(1).strip()
    return type(exc).__name__
