"""Notification settings beyond the shared Config, read once from the environment (NOTIFY_*)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from services.notifications.domain.delivery import RetryPolicy
from services.notifications.use_cases.dispatch import DispatchPace
from shared.config import Config, service_settings

_ENV = {  # field -> environment variable
    "retry_base_seconds": "NOTIFY_RETRY_BASE_SECONDS",
    "retry_factor": "NOTIFY_RETRY_FACTOR",
    "retry_max_seconds": "NOTIFY_RETRY_MAX_SECONDS",
    "max_attempts": "NOTIFY_MAX_ATTEMPTS",
    "dispatch_poll_seconds": "NOTIFY_DISPATCH_POLL_SECONDS",
    "dispatch_batch": "NOTIFY_DISPATCH_BATCH",
    "dispatch_group": "NOTIFY_DISPATCH_GROUP",
    "dispatch_threads": "NOTIFY_DISPATCH_THREADS",
    "claim_seconds": "NOTIFY_CLAIM_SECONDS",
    "handoff_capacity": "NOTIFY_HANDOFF_CAPACITY",
    "people_wait_seconds": "NOTIFY_PEOPLE_WAIT_SECONDS",
    "people_recheck_seconds": "NOTIFY_PEOPLE_RECHECK_SECONDS",
    "job_every_seconds": "NOTIFY_JOB_EVERY_SECONDS",
    "reminder_lead_hours": "NOTIFY_REMINDER_LEAD_HOURS",
    "send_timeout_seconds": "NOTIFY_SEND_TIMEOUT_SECONDS",
    "webhook_allow_private": "NOTIFY_WEBHOOK_ALLOW_PRIVATE",
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
    dispatch_batch: int = 200  # notifications claimed at once
    dispatch_group: int = 50  # rendered, sent and recorded together (the most a crash can leave unrecorded)
    dispatch_threads: int = 2
    claim_seconds: float = 120.0  # a claim's lease: how long a stopped dispatcher's work waits for another
    handoff_capacity: int = 5000  # notifications the consumer hands this process's dispatchers in memory
    people_wait_seconds: float = 60.0  # how long a message naming someone not heard of yet waits for them
    people_recheck_seconds: float = 2.0
    job_every_seconds: float = 300.0
    reminder_lead_hours: float = 24.0
    send_timeout_seconds: float = 10.0
    webhook_allow_private: bool = False  # local development and tests: webhooks to 127.0.0.1, 10/8, ...
    consumer_group: str = "notifications"  # a new group replays every topic from the start

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(self.retry_base_seconds, self.retry_factor, self.retry_max_seconds, self.max_attempts)

    @property
    def pace(self) -> DispatchPace:
        return DispatchPace(self.dispatch_batch, self.dispatch_group, timedelta(seconds=self.claim_seconds))

    @property
    def reminder_lead(self) -> timedelta:
        return timedelta(hours=self.reminder_lead_hours)

    @classmethod
    def load(cls, config: Config, environ: Mapping[str, str] | None = None) -> NotifySettings:
        """From NOTIFY_* variables, then `config.extra` overrides (by field name) on top."""
        return service_settings(cls, _ENV, config, environ)
