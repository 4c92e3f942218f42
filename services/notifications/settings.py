"""Notification settings beyond the shared Config, read once from the environment (NOTIFY_*)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.notifications.domain.delivery import RetryPolicy
from shared.config import Config, service_settings

_ENV = {  # field -> environment variable
    "retry_base_seconds": "NOTIFY_RETRY_BASE_SECONDS",
    "retry_factor": "NOTIFY_RETRY_FACTOR",
    "retry_max_seconds": "NOTIFY_RETRY_MAX_SECONDS",
    "max_attempts": "NOTIFY_MAX_ATTEMPTS",
    "dispatch_poll_seconds": "NOTIFY_DISPATCH_POLL_SECONDS",
    "dispatch_batch": "NOTIFY_DISPATCH_BATCH",
    "dispatch_threads": "NOTIFY_DISPATCH_THREADS",
    "claim_seconds": "NOTIFY_CLAIM_SECONDS",
    "job_every_seconds": "NOTIFY_JOB_EVERY_SECONDS",
    "reminder_lead_hours": "NOTIFY_REMINDER_LEAD_HOURS",
    "send_timeout_seconds": "NOTIFY_SEND_TIMEOUT_SECONDS",
    "consumer_group": "NOTIFY_CONSUMER_GROUP",
}


@dataclass(frozen=True)
class NotifySettings:
    """Retry policy, dispatcher pace and job period; defaults suit production, tests shorten them."""

    retry_base_seconds: float = 30.0
    retry_factor: float = 2.0
    retry_max_seconds: float = 3600.0
    max_attempts: int = 5
    dispatch_poll_seconds: float = 1.0
    dispatch_batch: int = 100
    dispatch_threads: int = 2
    claim_seconds: float = 120.0
    job_every_seconds: float = 300.0
    reminder_lead_hours: float = 24.0
    send_timeout_seconds: float = 10.0
    consumer_group: str = "notifications"  # a new group replays every topic from the start

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(self.retry_base_seconds, self.retry_factor, self.retry_max_seconds, self.max_attempts)

    @classmethod
    def load(cls, config: Config, environ: Mapping[str, str] | None = None) -> NotifySettings:
        """From NOTIFY_* variables, then `config.extra` overrides (by field name) on top."""
        return service_settings(cls, _ENV, config, environ)
