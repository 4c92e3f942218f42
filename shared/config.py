"""Service configuration, read once from the environment into one typed object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

from shared import tracing

DEFAULT_PORTS = {"profiles": 8001, "matching": 8002, "notifications": 8003, "analytics": 8004}


T = TypeVar("T")


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Config:
    """Everything a Tandem process reads from its environment."""

    service: str
    port: int
    host: str = "127.0.0.1"
    mongodb_uri: str = "mongodb://127.0.0.1:27017/"
    mongodb_db: str = "tandem"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    auth_jwt_secret: str = ""
    auth_jwks_url: str = ""
    auth_audience: str = ""
    auth_issuer: str = ""
    max_body_bytes: int = 16 * 1024 * 1024
    log_level: str = "INFO"
    metrics_port: int = 9100
    web_concurrency: int = 2
    consumer_max_attempts: int = 3
    outbox_poll_seconds: float = 0.5
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "Tandem <tandem@localhost>"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    webhook_secret: str = ""
    analytics_min_group_size: int = 5
    public_base_url: str = ""
    tracing: bool = False  # OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT set and OTEL_SDK_DISABLED not true
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def kafka_servers(self) -> list[str]:
        return [s.strip() for s in self.kafka_bootstrap_servers.split(",") if s.strip()]

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> Config:
        """A copy with known fields replaced; unknown keys land in `extra`."""
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        direct = {k: v for k, v in overrides.items() if k in known}
        rest = {k: v for k, v in overrides.items() if k not in known}
        return replace(self, **direct, extra={**self.extra, **rest})


_ENV = {  # field name -> (environment variable, converter)
    "host": ("HOST", str),
    "mongodb_uri": ("MONGODB_URI", str),
    "mongodb_db": ("MONGODB_DB", str),
    "kafka_bootstrap_servers": ("KAFKA_BOOTSTRAP_SERVERS", str),
    "auth_jwt_secret": ("AUTH_JWT_SECRET", str),
    "auth_jwks_url": ("AUTH_JWKS_URL", str),
    "auth_audience": ("AUTH_AUDIENCE", str),
    "auth_issuer": ("AUTH_ISSUER", str),
    "max_body_bytes": ("MAX_BODY_BYTES", int),
    "log_level": ("LOG_LEVEL", str),
    "metrics_port": ("METRICS_PORT", int),
    "web_concurrency": ("WEB_CONCURRENCY", int),
    "consumer_max_attempts": ("CONSUMER_MAX_ATTEMPTS", int),
    "outbox_poll_seconds": ("OUTBOX_POLL_SECONDS", float),
    "smtp_host": ("SMTP_HOST", str),
    "smtp_port": ("SMTP_PORT", int),
    "smtp_from": ("SMTP_FROM", str),
    "smtp_username": ("SMTP_USERNAME", str),
    "smtp_password": ("SMTP_PASSWORD", str),
    "smtp_starttls": ("SMTP_STARTTLS", _flag),
    "webhook_secret": ("WEBHOOK_SECRET", str),
    "analytics_min_group_size": ("ANALYTICS_MIN_GROUP_SIZE", int),
    "public_base_url": ("PUBLIC_BASE_URL", str),
}


def load_config(service: str, environ: Mapping[str, str] | None = None) -> Config:
    """Build the service's Config from environment variables (PORT, MONGODB_URI, ...)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name, (var, convert) in _ENV.items():
        if env.get(var, "") != "":
            values[name] = convert(env[var])
    port = int(env.get("PORT") or DEFAULT_PORTS.get(service, 8000))
    return Config(service=service, port=port, tracing=tracing.wanted(env), **values)


_BY_TYPE_NAME = {"int": int, "float": float, "str": str, "bool": _flag}


def service_settings(cls: type[T], variables: Mapping[str, str], config: Config,
                     environ: Mapping[str, str] | None = None) -> T:
    """A service's own settings dataclass, read once: each field from its environment variable
    (`variables`: field -> variable), then `config.extra` overrides by field name on top."""
    env = os.environ if environ is None else environ
    types = {f.name: f.type for f in fields(cls)}
    values: dict[str, Any] = {}
    for name, var in variables.items():
        raw = config.extra.get(name, env.get(var, ""))
        if raw != "" and raw is not None:
            values[name] = _BY_TYPE_NAME[types[name]](raw)
    return cls(**values)
