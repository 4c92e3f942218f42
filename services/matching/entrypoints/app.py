"""The matching service's Flask app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from services.matching.entrypoints import api_backfills, api_mentorships, api_programs, api_sessions
from shared.config import load_config
from shared.web import create_service_app


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    config = load_config("matching").with_overrides(overrides)
    return create_service_app(config, title="Tandem matching",
                              blueprints=[api_programs.blp, api_mentorships.blp, api_sessions.blp, api_backfills.blp])
