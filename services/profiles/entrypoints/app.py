"""The profiles service's Flask app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from services.profiles.entrypoints import api_backfills, api_goals  # noqa: F401 - their routes join the blueprint
from services.profiles.entrypoints.api import blp
from services.profiles.entrypoints.scim_routes import init_scim, scim_blp
from shared.config import load_config
from shared.web import create_service_app


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    config = load_config("profiles").with_overrides(overrides)
    return create_service_app(config, title="Tandem profiles", blueprints=[blp, scim_blp], extensions=init_scim)
