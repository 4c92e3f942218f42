"""Analytics settings beyond the shared Config, read once from the environment (ANALYTICS_*)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from shared.config import Config, service_settings

_ENV = {  # field -> environment variable
    "consumer_group": "ANALYTICS_CONSUMER_GROUP",
    "report_pause_seconds": "ANALYTICS_REPORT_PAUSE_SECONDS",
    "report_refresh_seconds": "ANALYTICS_REPORT_REFRESH_SECONDS",
    "gauge_every_seconds": "ANALYTICS_GAUGE_EVERY_SECONDS",
    "gauge_max_programs": "ANALYTICS_GAUGE_MAX_PROGRAMS",
    "gauge_recent_days": "ANALYTICS_GAUGE_RECENT_DAYS",
    "pseudonym_key": "ANALYTICS_PSEUDONYM_KEY",
}


@dataclass(frozen=True)
class AnalyticsSettings:
    """Consumer group, report rebuild pace, the bounds of the per-program Prometheus gauges, and the
    secret key of people's pseudonyms (the worker's; never shown in a repr or a log)."""

    # A new group (with a fresh MONGODB_DB) rebuilds every projection from the start of every topic.
    consumer_group: str = "analytics"
    report_pause_seconds: float = 1.0
    # Figures counted up to now (days without a session, mentorship-months) age with no new fact: the
    # reports of programs still running are rebuilt at least this often.
    report_refresh_seconds: float = 3600.0
    gauge_every_seconds: float = 30.0
    gauge_max_programs: int = 50  # bounded label set: at most this many programs get gauges
    gauge_recent_days: int = 30  # ... among those running, or ended no longer ago than this
    pseudonym_key: str = field(default="", repr=False)

    @classmethod
    def load(cls, config: Config, environ: Mapping[str, str] | None = None) -> AnalyticsSettings:
        """From ANALYTICS_* variables, then `config.extra` overrides (by field name) on top."""
        return service_settings(cls, _ENV, config, environ)
