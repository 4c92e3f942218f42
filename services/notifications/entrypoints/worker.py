"""The notifications worker: consumes every mentoring topic, dispatches deliveries, relays outcome events,
runs the scheduled jobs."""

from __future__ import annotations

import logging
from datetime import timedelta

from services.notifications.adapters import metrics
from services.notifications.adapters.channels.mail import EmailSender
from services.notifications.adapters.channels.webhook import WebhookSender
from services.notifications.adapters.handoff import LocalHandoff
from services.notifications.adapters.indexes import INDEXES
from services.notifications.adapters.relay import OutboxRelay
from services.notifications.adapters.rendering import renderer
from services.notifications.adapters.unit_of_work import NotificationsUnitOfWork, unit_of_work_with
from services.notifications.entrypoints.handlers import EVENT_HANDLERS
from services.notifications.settings import NotifySettings
from services.notifications.use_cases.delivering import Delivery
from services.notifications.use_cases.dispatch import Dispatcher
from services.notifications.use_cases.jobs import JOBS, run_job
from shared import topology
from shared.kafka import EventPublisher
from shared.timeutil import utcnow
from shared.worker import Loop, WorkerContext, polling

log = logging.getLogger(__name__)

CONSUMED = [t.name for t in topology.of("notifications").consumes]


def loops(context: WorkerContext) -> list[Loop]:
    context.prepare(INDEXES)
    settings = NotifySettings.load(context.config)
    handoff = LocalHandoff(timedelta(seconds=settings.claim_seconds), settings.handoff_capacity)
    return [
        relay_loop(context),
        context.consumer_loop(settings.consumer_group, CONSUMED, EVENT_HANDLERS, unit_of_work_with(handoff)),
        *[dispatch_loop(context, settings, handoff) for _ in range(settings.dispatch_threads)],
        *[context.periodic(job, settings.job_every_seconds, scheduled(context, settings, handoff, job),
                           ttl_seconds=settings.job_every_seconds * 2 + 5) for job in JOBS],
    ]


def dispatch_loop(context: WorkerContext, settings: NotifySettings, handoff: LocalHandoff) -> Loop:
    """Send what is due: at once while busy, else when the consumer hands over new notifications, or
    after `dispatch_poll_seconds` (retries, quiet hours ending, notifications the API created)."""
    config = context.config
    delivery = Delivery(EmailSender(config, settings.send_timeout_seconds),
                        WebhookSender(config.webhook_secret, settings.send_timeout_seconds,
                                      allow_private=settings.webhook_allow_private),
                        renderer(), settings.retry, people_wait=timedelta(seconds=settings.people_wait_seconds),
                        recheck=timedelta(seconds=settings.people_recheck_seconds), count=metrics.count)
    dispatcher = Dispatcher(NotificationsUnitOfWork(context.store.db, handoff=handoff), delivery, settings.pace,
                            take=handoff.take, count=metrics.count)
    return polling("dispatcher", dispatcher.run_once, idle_seconds=settings.dispatch_poll_seconds,
                   wake=handoff.wake, on_stop=delivery.close)


def relay_loop(context: WorkerContext) -> Loop:
    """Publish the outbox; one replica at a time holds the relay lease, so events stay in order."""
    relay = OutboxRelay(context.store.db, EventPublisher(context.producer, service=context.config.service),
                        service=context.config.service)
    lease = context.lease("outbox-relay")
    return polling("outbox relay", lambda: lease.acquire() and relay.relay_once() > 0,
                   idle_seconds=context.config.outbox_poll_seconds, on_stop=lease.release)


def scheduled(context: WorkerContext, settings: NotifySettings, handoff: LocalHandoff, job: str):
    """The job on the real clock; what it creates goes straight to this process's dispatchers."""

    def run() -> None:
        uow = NotificationsUnitOfWork(context.store.db, handoff=handoff)
        report = run_job(uow, job, utcnow(), settings.reminder_lead)
        if report.created:
            log.info("job %s created %d notifications", job, report.created)

    return run
