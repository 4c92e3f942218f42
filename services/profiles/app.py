"""The profiles service's Flask app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from services.profiles.api import blp
from shared.config import load_config
from shared.web import create_service_app


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    config = load_config("profiles").with_overrides(overrides)
    return create_service_app(config, title="Tandem profiles", blueprints=[blp])
