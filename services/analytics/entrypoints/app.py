"""The analytics service's Flask app: the /v1 KPI API and the /dashboard pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from services.analytics.entrypoints.api import blp
from services.analytics.entrypoints.dashboard.views import bp as dashboard
from shared.config import load_config
from shared.web import create_service_app


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    config = load_config("analytics").with_overrides(overrides)
    return create_service_app(config, title="Tandem analytics", blueprints=[blp],
                              extensions=lambda app: app.register_blueprint(dashboard))
