"""The notifications service's Flask app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from services.notifications.entrypoints.api import blp
from services.notifications.settings import NotifySettings
from shared.config import load_config
from shared.web import create_service_app


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    config = load_config("notifications").with_overrides(overrides)

    def wire(app: Flask) -> None:
        app.extensions["tandem.notifications.settings"] = NotifySettings.load(config)

    return create_service_app(config, title="Tandem notifications", blueprints=[blp], extensions=wire)
