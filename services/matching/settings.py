"""Matching's settings beyond the shared Config, read once from the environment (MATCHING_*)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from services.matching.use_cases.run_executor import RunPolicy
from shared.config import Config, service_settings

_ENV = {  # field -> environment variable
    "run_poll_seconds": "MATCHING_RUN_POLL_SECONDS",
    "run_stale_after_seconds": "MATCHING_RUN_STALE_AFTER_SECONDS",
    "run_heartbeat_seconds": "MATCHING_RUN_HEARTBEAT_SECONDS",
    "run_max_attempts": "MATCHING_RUN_MAX_ATTEMPTS",
}


@dataclass(frozen=True)
class MatchingSettings:
    """How often the worker looks for queued runs, and when a silent executor's run is taken over."""

    run_poll_seconds: float = 0.5
    run_stale_after_seconds: float = 600.0
    run_heartbeat_seconds: float = 30.0
    run_max_attempts: int = 3

    @property
    def run_policy(self) -> RunPolicy:
        return RunPolicy(timedelta(seconds=self.run_stale_after_seconds), self.run_heartbeat_seconds,
                         self.run_max_attempts)

    @classmethod
    def load(cls, config: Config, environ: Mapping[str, str] | None = None) -> MatchingSettings:
        """From MATCHING_* variables, then `config.extra` overrides (by field name) on top."""
        return service_settings(cls, _ENV, config, environ)
