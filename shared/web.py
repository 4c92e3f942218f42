"""The Flask app factory every service builds on: OpenAPI, problem+json, auth, health, metrics."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

import swagger_ui_bundle
from flask import Flask, Response, g, request, send_from_directory
from flask_smorest import Api, Blueprint
from werkzeug.exceptions import HTTPException

from shared import tracing
from shared.auth import TokenVerifier, authenticate
from shared.config import Config
from shared.errors import DomainError, Forbidden, problem, problem_from
from shared.events.asyncapi import document as asyncapi_document
from shared.kafka import broker_reachable
from shared.metrics import HTTP_LATENCY, HTTP_REQUESTS, exposition
from shared.mongo import Store

log = logging.getLogger(__name__)

ReadinessCheck = Callable[[], bool]
SCIM_ONLY = frozenset({"scim"})  # an identity provider's token: it acts for no one, and reaches /scim/v2 only


def create_service_app(config: Config, *, title: str, blueprints: Iterable[Blueprint],
                       extensions: Callable[[Flask], None] | None = None) -> Flask:
    """A Flask app with the suite's conventions; `extensions` wires the service's own parts."""
    tracing.setup(config.service, config.tracing)  # in each gunicorn worker: the app is built after the fork
    app = Flask(f"tandem.{config.service}")
    app.config.update(_flask_settings(config, title))
    app.extensions["tandem.config"] = config
    app.extensions["tandem.auth"] = TokenVerifier(config.auth_jwt_secret, config.auth_jwks_url,
                                                  config.auth_audience, config.auth_issuer)
    app.extensions["tandem.store"] = Store(config.mongodb_uri, config.mongodb_db)
    api = Api(app, spec_kwargs={"components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        "security": [{"bearer": []}]})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    _register_errors(app)
    _register_operations(app, config)
    _register_request_metrics(app, config.service)
    if extensions:
        extensions(app)
    tracing.instrument_app(app)
    return app


def _flask_settings(config: Config, title: str) -> dict:
    return {
        "API_TITLE": title, "API_VERSION": "v1", "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/", "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs", "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",
        "MAX_CONTENT_LENGTH": config.max_body_bytes, "JSON_SORT_KEYS": False,
    }


def store_of(app: Flask) -> Store:
    return app.extensions["tandem.store"]


def _register_errors(app: Flask) -> None:
    app.register_error_handler(DomainError, problem_from)

    @app.errorhandler(HTTPException)
    def http_problem(exc: HTTPException) -> Response:
        data = getattr(exc, "data", None) or {}
        errors = _flatten_messages(data.get("messages")) if data.get("messages") else None
        detail = "request body or parameters are invalid" if errors else (exc.description or exc.name)
        return problem(exc.code or 500, detail, errors=errors)

    @app.errorhandler(RecursionError)
    def too_deep(exc: RecursionError) -> Response:
        # Only hostile input nests this deep (JSON bodies, NDJSON lines, cursors): the parser gave up.
        return problem(400, "the request nests values too deeply to be read", slug="too-deep")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem(500, "an unexpected error occurred; it has been logged")


def _flatten_messages(messages: dict) -> dict:
    """webargs nests messages by location ({"json": {...}}); clients want the fields."""
    flat: dict = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


def _register_operations(app: Flask, config: Config) -> None:
    assets = swagger_ui_bundle.swagger_ui_path

    @app.get("/docs/assets/<path:filename>")
    def docs_assets(filename: str) -> Response:
        return send_from_directory(assets, filename)

    @app.get("/asyncapi.json")
    def asyncapi() -> dict:
        """The AsyncAPI 3.0 document of every topic and event (the same on every service)."""
        return asyncapi_document()

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok", "service": config.service}

    @app.get("/readyz")
    def readyz() -> Response | dict:
        checks = {"store": store_of(app).ping(), "kafka": broker_reachable(config.kafka_servers)}
        if all(checks.values()):
            return {"status": "ready", "checks": checks}
        failing = ", ".join(name for name, ok in checks.items() if not ok)
        return problem(503, f"not ready: {failing} unreachable", title="Service unavailable")

    @app.get("/metrics")
    def metrics() -> Response:
        body, content_type = exposition()
        return Response(body, content_type=content_type)


def _register_request_metrics(app: Flask, service: str) -> None:
    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()
        # every /v1 route needs a valid token, before its body is even read, and not an identity provider's
        if request.path.startswith("/v1/") and authenticate().roles == SCIM_ONLY:
            raise Forbidden("the scim role may only call /scim/v2")

    @app.after_request
    def observe(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else "unmatched"
        HTTP_REQUESTS.labels(service, request.method, route, str(response.status_code)).inc()
        if "started" in g:
            HTTP_LATENCY.labels(service, route).observe(time.perf_counter() - g.started)
        return response
