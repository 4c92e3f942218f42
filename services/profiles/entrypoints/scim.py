"""SCIM 2.0 over HTTP (RFC 7644) under /scim/v2: the blueprint, its media type, and its error messages.

Everything under /scim/v2 answers `application/scim+json`, errors included: the use cases' domain
errors, HTTP errors (413, ...), unknown paths and methods all become SCIM error messages (§3.12:
`status` as a string, a `scimType` where one applies), never problem+json. Only `hr_admin` and `scim`
tokens get past the routes' `require`; a `scim` token reaches nothing under /v1 (shared.web).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, request
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from services.profiles.domain.scim_errors import InvalidSyntax
from shared.errors import DomainError, Invalid, Unauthorized, status_of

log = logging.getLogger(__name__)

PREFIX = "/scim/v2"
SCIM_MEDIA_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
NOT_IMPLEMENTED = ("me", "bulk")  # RFC 7644 §3.7, §3.11: 501 where a provider does not offer them

blp = Blueprint("scim", __name__, url_prefix=PREFIX,
                description="SCIM 2.0 provisioning for identity providers (RFC 7643/7644). Bodies, errors "
                            "included, are application/scim+json.")


def scim_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    response = Response(json.dumps(body), status=status, mimetype=SCIM_MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def scim_error(status: int, detail: str, scim_type: str | None = None,
               headers: Mapping[str, str] | None = None) -> Response:
    """An RFC 7644 §3.12 error message."""
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return scim_response(body, status, headers)


def error_of(error: DomainError) -> Response:
    """A domain error as SCIM says it: a bad value is a 400 invalidValue here (422 in the native API)."""
    if isinstance(error, Invalid):
        return scim_error(400, error.detail, "invalidValue")
    headers = {"WWW-Authenticate": 'Bearer realm="tandem"'} if isinstance(error, Unauthorized) else None
    return scim_error(status_of(error), error.detail, getattr(error, "scim_type", None), headers)


def request_json() -> Any:
    """The request body as JSON, whatever the Content-Type says; invalidSyntax when it is not JSON."""
    data = request.get_data(cache=True)
    if not data.strip():
        raise InvalidSyntax("a JSON body is required")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise InvalidSyntax("the body is not JSON (or nests too deeply to be read)") from exc


def base_url() -> str:
    """Where /scim/v2 is, for `meta.location`: PUBLIC_BASE_URL when set, else as this request reached us."""
    public = current_app.extensions["tandem.config"].public_base_url
    return (public or request.url_root).rstrip("/") + PREFIX


@blp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> Response:
    return error_of(error)


@blp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    return scim_error(error.code or 500, error.description or error.name)


@blp.errorhandler(RecursionError)
def _too_deep(error: RecursionError) -> Response:
    return scim_error(400, "the request nests values too deeply to be read", "invalidSyntax")


@blp.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return scim_error(500, "an unexpected error occurred; it has been logged")


def init_app(app: Flask) -> None:
    """Paths and methods under /scim/v2 that no route serves answer SCIM errors too (the blueprint's
    handlers see only its own routes); these rules stay out of the OpenAPI document."""
    for rule, defaults in ((PREFIX, {"rest": ""}), (f"{PREFIX}/", {"rest": ""}), (f"{PREFIX}/<path:rest>", None)):
        app.add_url_rule(rule, "scim_unserved" + rule.replace("/", "_"), _unserved, methods=METHODS,
                         defaults=defaults)


def _unserved(rest: str) -> Response:
    allowed = _methods_served(request.path)
    if allowed:
        return scim_error(405, f"{request.method} is not served at {request.path}",
                          headers={"Allow": ", ".join(sorted(allowed))})
    if rest.split("/", 1)[0].lower() in NOT_IMPLEMENTED:
        return scim_error(501, f"{PREFIX}/{rest} is not offered: Tandem provisions Users one request at a time")
    return scim_error(404, f"no SCIM endpoint at {request.path}; Tandem serves Users, Schemas, ResourceTypes "
                           "and ServiceProviderConfig")


def _methods_served(path: str) -> set[str]:
    """The methods some other route serves at `path` (a wrong method there is a 405, not a 404)."""
    urls, served = current_app.url_map.bind_to_environ(request.environ), set()
    for method in METHODS:
        try:
            endpoint, _ = urls.match(path, method=method)
        except HTTPException:  # no route for that method (or a redirect): not served
            continue
        if not endpoint.startswith("scim_unserved"):
            served.add(method)
    return served
