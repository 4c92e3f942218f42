"""One error envelope for the whole suite: RFC 9457 problem+json, and the domain-error -> status table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, json

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://tandem.dev/problems/"


class DomainError(Exception):
    """Base for errors a client caused; each subclass maps to one HTTP status."""

    title = "Bad request"
    slug = "bad-request"

    def __init__(self, detail: str, errors: Mapping[str, Any] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = dict(errors or {})


class NotFound(DomainError):
    title, slug = "Not found", "not-found"


class Conflict(DomainError):
    title, slug = "Conflict", "conflict"


class PreconditionFailed(DomainError):
    title, slug = "Precondition failed", "precondition-failed"


class Invalid(DomainError):
    title, slug = "Unprocessable content", "validation"


class Forbidden(DomainError):
    title, slug = "Forbidden", "forbidden"


class Unauthorized(DomainError):
    title, slug = "Unauthorized", "unauthorized"


class TooLarge(DomainError):
    title, slug = "Payload too large", "too-large"


STATUS_OF = {
    DomainError: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PreconditionFailed: 412,
    TooLarge: 413,
    Invalid: 422,
}

_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 409: "Conflict", 412: "Precondition failed",
           413: "Payload too large", 415: "Unsupported media type", 422: "Unprocessable content",
           428: "Precondition required", 500: "Internal server error", 503: "Service unavailable"}


def status_of(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return 400


def problem(status: int, detail: str, *, title: str | None = None, slug: str | None = None,
            errors: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None) -> Response:
    """Build a problem+json response."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or str(status)),
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_from(error: DomainError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthorized) else None
    return problem(status_of(error), error.detail, title=error.title, slug=error.slug,
                   errors=error.errors or None, headers=headers)
